package io.corsdoctor.cors;

import java.util.Locale;
import java.util.Optional;

/**
 * https://html.spec.whatwg.org/multipage/browsers.html#concept-origin : a tuple origin (scheme,
 * host, port) or an opaque origin, which serializes as {@code null}.
 *
 * <p>{@code host} is as serialized in a URL: lower-case names, IPv6 in brackets ({@code [::1]}).
 * {@code port} is the effective port (80 for http when none is written).
 */
public record Origin(String scheme, String host, int port, boolean opaque) {

  /**
   * The opaque origin (a sandboxed page, a file: page, or a request after a cross-origin redirect).
   */
  public static final Origin OPAQUE = new Origin("", "", -1, true);

  public static Origin of(String scheme, String host, int port) {
    return new Origin(scheme.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT), port, false);
  }

  /**
   * Parses a serialized origin such as {@code http://localhost:4200} or {@code null}. Returns empty
   * for anything else (a path, a missing scheme, a bad port).
   */
  public static Optional<Origin> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.equals("null")) {
      return Optional.of(OPAQUE);
    }
    int sep = text.indexOf("://");
    if (sep <= 0) {
      return Optional.empty();
    }
    String scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
    String rest = text.substring(sep + 3);
    if (rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#")) {
      return Optional.empty();
    }
    String host;
    String portText = null;
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      host = rest.substring(0, close + 1);
      String after = rest.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          return Optional.empty();
        }
        portText = after.substring(1);
      }
    } else {
      int colon = rest.lastIndexOf(':');
      host = colon < 0 ? rest : rest.substring(0, colon);
      portText = colon < 0 ? null : rest.substring(colon + 1);
    }
    if (host.isEmpty() || host.contains("@")) {
      return Optional.empty();
    }
    int port = defaultPort(scheme);
    if (portText != null) {
      if (portText.isEmpty()
          || portText.length() > 5
          || !portText.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      port = Integer.parseInt(portText);
      if (port > 65535) {
        return Optional.empty();
      }
    }
    if (port < 0) {
      return Optional.empty();
    }
    return Optional.of(of(scheme, host, port));
  }

  static int defaultPort(String scheme) {
    switch (scheme) {
      case "http":
      case "ws":
        return 80;
      case "https":
      case "wss":
        return 443;
      default:
        return -1;
    }
  }

  /** https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin */
  public String serialize() {
    if (opaque) {
      return "null";
    }
    return port == defaultPort(scheme) ? scheme + "://" + host : scheme + "://" + host + ":" + port;
  }

  /**
   * Two tuple origins are the same when scheme, host and port are; an opaque one only to itself.
   */
  public boolean sameOrigin(Origin other) {
    if (opaque || other.opaque) {
      return this == other;
    }
    return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port;
  }

  @Override
  public String toString() {
    return serialize();
  }
}
