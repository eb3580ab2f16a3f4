package io.corsdoctor.cors;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The small part of the WHATWG URL standard (https://url.spec.whatwg.org/) the engine needs: parse
 * an absolute URL, resolve a {@code Location} against it, serialize it the way Chromium prints it
 * ({@code GURL::spec()}: lower-case scheme and host, default port dropped, an empty path becomes
 * {@code /}, no fragment), and tell its origin.
 *
 * @param scheme lower-case scheme without the colon
 * @param userinfo {@code user:pass} as written, or empty
 * @param host lower-case host, IPv6 in brackets; empty for non-special schemes without authority
 * @param port the port written in the URL, or -1 when none (or the scheme's default)
 * @param path the path and query ({@code /sample?x=1}); for non-special URLs, everything after the
 *     scheme's colon
 */
record Url(String scheme, String userinfo, String host, int port, String path) {

  static boolean isSpecial(String scheme) {
    return switch (scheme) {
      case "http", "https", "ws", "wss", "ftp", "file" -> true;
      default -> false;
    };
  }

  boolean isHttp() {
    return scheme.equals("http") || scheme.equals("https");
  }

  boolean hasCredentials() {
    return !userinfo.isEmpty();
  }

  /** The effective port: the written one, else the scheme's default. */
  int effectivePort() {
    return port >= 0 ? port : Origin.defaultPort(scheme);
  }

  /** https://url.spec.whatwg.org/#concept-url-origin (tuple origins for http(s), ws(s), ftp). */
  Origin origin() {
    if (!isSpecial(scheme) || scheme.equals("file")) {
      return Origin.OPAQUE;
    }
    return Origin.of(scheme, host, effectivePort());
  }

  /** {@code host:port} with the effective port, e.g. {@code 127.0.0.1:5000}, {@code [::1]:5002}. */
  String hostPort() {
    return host + ":" + effectivePort();
  }

  String serialize() {
    if (!isSpecial(scheme)) {
      return scheme + ":" + path;
    }
    StringBuilder b = new StringBuilder(scheme).append("://");
    if (!userinfo.isEmpty()) {
      b.append(userinfo).append('@');
    }
    b.append(host);
    if (port >= 0 && port != Origin.defaultPort(scheme)) {
      b.append(':').append(port);
    }
    return b.append(path).toString();
  }

  @Override
  public String toString() {
    return serialize();
  }

  /** Parses an absolute URL; empty when it is not one a browser would accept. */
  static Optional<Url> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    int colon = schemeEnd(s);
    if (colon < 0) {
      return Optional.empty();
    }
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = s.substring(colon + 1);
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    if (!isSpecial(scheme)) {
      return Optional.of(new Url(scheme, "", "", -1, rest));
    }
    rest = rest.replace('\\', '/');
    int slashes = 0;
    while (slashes < rest.length() && rest.charAt(slashes) == '/') {
      slashes++;
    }
    rest = rest.substring(slashes);
    int end = 0;
    while (end < rest.length() && "/?".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String authority = rest.substring(0, end);
    String path = rest.substring(end);
    if (path.isEmpty() || path.startsWith("?")) {
      path = "/" + path;
    }
    String userinfo = "";
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      userinfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
    }
    String host;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      host = authority.substring(0, close + 1);
      String after = authority.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          return Optional.empty();
        }
        portText = after.substring(1);
      }
    } else {
      int c = authority.lastIndexOf(':');
      host = c < 0 ? authority : authority.substring(0, c);
      portText = c < 0 ? null : authority.substring(c + 1);
    }
    if (!validHost(host, scheme)) {
      return Optional.empty();
    }
    int port = -1;
    if (portText != null && !portText.isEmpty()) {
      if (portText.length() > 5 || !portText.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
        return Optional.empty();
      }
      port = Integer.parseInt(portText);
      if (port > 65535) {
        return Optional.empty();
      }
      if (port == Origin.defaultPort(scheme)) {
        port = -1;
      }
    }
    return Optional.of(
        new Url(scheme, userinfo, host.toLowerCase(Locale.ROOT), port, percentEncode(path)));
  }

  /**
   * https://url.spec.whatwg.org/#path-percent-encode-set and #special-query-percent-encode-set : C0
   * controls, space, ", #, <, >, `, {, } in the path (', not `{}`, in the query) and every
   * non-ASCII code point (as UTF-8) become %XX, as Chromium serializes them.
   */
  static String percentEncode(String pathAndQuery) {
    StringBuilder b = null;
    boolean query = false;
    for (int i = 0; i < pathAndQuery.length(); i++) {
      char c = pathAndQuery.charAt(i);
      if (c == '?') {
        query = true;
      }
      boolean encode =
          c <= 0x20
              || c >= 0x7F
              || c == '"'
              || c == '<'
              || c == '>'
              || (query ? c == '\'' : (c == '`' || c == '{' || c == '}'));
      if (encode && b == null) {
        b = new StringBuilder(pathAndQuery.substring(0, i));
      }
      if (b != null) {
        if (encode) {
          for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
            b.append('%').append(String.format("%02X", x & 0xFF));
          }
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? pathAndQuery : b.toString();
  }

  /**
   * Resolves a {@code Location} value against this URL
   * (https://url.spec.whatwg.org/#concept-basic-url-parser with a base).
   */
  Optional<Url> resolve(String reference) {
    String ref = reference.strip();
    if (schemeEnd(ref) >= 0) {
      return parse(ref);
    }
    if (!isSpecial(scheme)) {
      return Optional.empty();
    }
    String r = ref.replace('\\', '/');
    if (r.startsWith("//")) {
      return parse(scheme + ":" + r);
    }
    String authority = serialize();
    authority = authority.substring(0, authority.length() - path.length());
    int q = path.indexOf('?');
    String basePath = q < 0 ? path : path.substring(0, q);
    if (r.isEmpty()) {
      return parse(authority + path);
    }
    if (r.startsWith("/")) {
      return parse(authority + removeDotSegments(r));
    }
    if (r.startsWith("?")) {
      return parse(authority + basePath + r);
    }
    if (r.startsWith("#")) {
      return parse(authority + path);
    }
    String dir = basePath.substring(0, basePath.lastIndexOf('/') + 1);
    return parse(authority + removeDotSegments(dir + r));
  }

  private static String removeDotSegments(String p) {
    int q = p.indexOf('?');
    String query = q < 0 ? "" : p.substring(q);
    String pathOnly = q < 0 ? p : p.substring(0, q);
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    String[] parts = pathOnly.split("/", -1);
    for (int i = 1; i < parts.length; i++) {
      String seg = parts[i];
      boolean last = i == parts.length - 1;
      if (seg.equals(".")) {
        if (last) {
          out.addLast("");
        }
      } else if (seg.equals("..")) {
        out.pollLast();
        if (last) {
          out.addLast("");
        }
      } else {
        out.addLast(seg);
      }
    }
    return "/" + String.join("/", out) + query;
  }

  /** Index of the scheme's colon, or -1 when {@code s} does not start with a scheme. */
  private static int schemeEnd(String s) {
    if (s.isEmpty() || !isAsciiAlpha(s.charAt(0))) {
      return -1;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i;
      }
      if (!(isAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isAsciiAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * https://url.spec.whatwg.org/#forbidden-host-code-point, plus Chromium's IDN step: a host whose
   * bytes (the header's ISO-8859-1 chars) are not valid UTF-8 cannot be converted and fails.
   */
  private static boolean validHost(String host, String scheme) {
    if (host.isEmpty()) {
      return scheme.equals("file");
    }
    if (host.startsWith("[")) {
      return host.endsWith("]") && host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+");
    }
    boolean nonAscii = false;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= 0x20 || c == 0x7F || "#%/:<>?@[\\]^|".indexOf(c) >= 0) {
        return false;
      }
      if (c > 0x7F) {
        nonAscii = true;
      }
    }
    return !nonAscii || validUtf8(host);
  }

  /** Whether the chars of {@code latin1} (one byte each) form valid UTF-8. */
  static boolean validUtf8(String latin1) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Whether Chromium's {@code GURL} would call {@code text} valid: an absolute URL with a scheme;
   * special schemes need a valid host. Used only to word the Allow-Origin error, as Chromium does.
   */
  static boolean isValidGurl(String text) {
    if (schemeEnd(text) < 0) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7F && !validUtf8(text)) {
        return false;
      }
    }
    return parse(text).isPresent();
  }
}
