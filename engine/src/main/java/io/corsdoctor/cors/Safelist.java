package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request side of the CORS protocol, named after the Fetch standard's definitions
 * (https://fetch.spec.whatwg.org/#cors-safelisted-method and following). Where Chromium 156
 * differs, the comment says "Chromium:".
 */
public final class Safelist {
  private Safelist() {}

  /** "A CORS-safelisted request-header's value must not be longer than 128 bytes." */
  public static final int MAX_SAFELISTED_VALUE = 128;

  /**
   * "If safelistValueSize is greater than 1024, then for each name of potentiallyUnsafeNames..."
   */
  public static final int MAX_SAFELISTED_TOTAL = 1024;

  /**
   * https://fetch.spec.whatwg.org/#cors-safelisted-method : "A CORS-safelisted method is a method
   * that is `GET`, `HEAD`, or `POST`." Methods compare case-sensitively once normalized.
   */
  public static boolean isCorsSafelistedMethod(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("POST");
  }

  /**
   * https://fetch.spec.whatwg.org/#concept-method-normalize : "To normalize a method, if it is a
   * byte-case-insensitive match for `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST`, or `PUT`,
   * byte-uppercase it." ({@code patch} stays lower-case.)
   */
  public static String normalizeMethod(String method) {
    String upper = method.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT" -> upper;
      default -> method;
    };
  }

  /** https://fetch.spec.whatwg.org/#forbidden-method : `CONNECT`, `TRACE`, `TRACK`. */
  public static boolean isForbiddenMethod(String method) {
    String upper = method.toUpperCase(Locale.ROOT);
    return upper.equals("CONNECT") || upper.equals("TRACE") || upper.equals("TRACK");
  }

  private static final Set<String> FORBIDDEN_NAMES =
      Set.of(
          "accept-charset",
          "accept-encoding",
          "access-control-request-headers",
          "access-control-request-method",
          "connection",
          "content-length",
          "cookie",
          "cookie2",
          "date",
          "dnt",
          "expect",
          "host",
          "keep-alive",
          "origin",
          "referer",
          "set-cookie",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "user-agent",
          "via");

  /**
   * https://fetch.spec.whatwg.org/#forbidden-request-header : the forbidden names, or a name that
   * starts with `Proxy-` or `Sec-`. The browser drops such headers a script sets (fetch does so
   * silently). Chromium: {@code User-Agent} is still forbidden (the standard allows it now).
   */
  public static boolean isForbiddenRequestHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return FORBIDDEN_NAMES.contains(lower)
        || lower.startsWith("proxy-")
        || lower.startsWith("sec-");
  }

  /**
   * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte : "a byte byte for which one of
   * the following is true: byte is less than 0x20 and is not 0x09 HT; byte is 0x22 ("), 0x28 (left
   * parenthesis), 0x29 (right parenthesis), 0x3A (:), 0x3C (<), 0x3E (>), 0x3F (?), 0x40 (@), 0x5B
   * ([), 0x5C (\), 0x5D (]), 0x7B ({), 0x7D (}), or 0x7F DEL."
   */
  public static boolean isCorsUnsafeRequestHeaderByte(char c) {
    return (c < 0x20 && c != 0x09) || "\"():<>?@[\\]{}".indexOf(c) >= 0 || c == 0x7F;
  }

  /** https://fetch.spec.whatwg.org/#cors-safelisted-request-header */
  public static boolean isCorsSafelistedRequestHeader(String name, String value) {
    // "1. If value's length is greater than 128, then return false."
    if (value.length() > MAX_SAFELISTED_VALUE) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "accept":
        // "If value contains a CORS-unsafe request-header byte, then return false."
        return value.chars().noneMatch(c -> isCorsUnsafeRequestHeaderByte((char) c));
      case "accept-language":
      case "content-language":
        // "If value contains a byte that is not in the range 0x30 (0) to 0x39 (9), inclusive, is
        // not in the range 0x41 (A) to 0x5A (Z), inclusive, is not in the range 0x61 (a) to 0x7A
        // (z), inclusive, and is not 0x20 SP, 0x2A (*), 0x2C (,), 0x2D (-), 0x2E (.), 0x3B (;), or
        // 0x3D (=), then return false."
        return value
            .chars()
            .allMatch(
                c ->
                    (c >= '0' && c <= '9')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= 'a' && c <= 'z')
                        || " *,-.;=".indexOf(c) >= 0);
      case "content-type":
        return isCorsSafelistedContentType(value);
      case "range":
        return isSimpleRangeHeaderValue(value);
      case "device-memory":
      case "dpr":
        // Chromium: client hints a page may set stay safelisted (cors.cc IsCorsSafelistedHeader).
        return value.matches("[0-9]+(\\.[0-9]+)?");
      case "width":
      case "viewport-width":
        return value.matches("[0-9]+");
      case "save-data":
        return value.equalsIgnoreCase("on");
      default:
        return false;
    }
  }

  /**
   * Content-Type: "If value contains a CORS-unsafe request-header byte, then return false. Let
   * mimeType be the result of parsing the result of isomorphic decoding value. If mimeType is
   * failure, then return false. If mimeType's essence is not "application/x-www-form-urlencoded",
   * "multipart/form-data", or "text/plain", then return false."
   */
  public static boolean isCorsSafelistedContentType(String value) {
    if (value.chars().anyMatch(c -> isCorsUnsafeRequestHeaderByte((char) c))) {
      return false;
    }
    String essence = mimeEssence(value);
    return essence != null
        && (essence.equals("application/x-www-form-urlencoded")
            || essence.equals("multipart/form-data")
            || essence.equals("text/plain"));
  }

  /**
   * https://mimesniff.spec.whatwg.org/#parse-a-mime-type , type and subtype only; null = failure.
   */
  static String mimeEssence(String value) {
    String v = value.strip();
    int slash = v.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    String type = v.substring(0, slash);
    String rest = v.substring(slash + 1);
    int semi = rest.indexOf(';');
    String subtype = (semi < 0 ? rest : rest.substring(0, semi)).stripTrailing();
    if (!isToken(type) || subtype.isEmpty() || !isToken(subtype)) {
      return null;
    }
    return (type + "/" + subtype).toLowerCase(Locale.ROOT);
  }

  /**
   * https://fetch.spec.whatwg.org/#simple-range-header-value : {@code bytes=N-} or {@code
   * bytes=N-M}.
   */
  static boolean isSimpleRangeHeaderValue(String value) {
    var m = java.util.regex.Pattern.compile("bytes=([0-9]+)-([0-9]*)").matcher(value);
    if (!m.matches()) {
      return false;
    }
    if (m.group(2).isEmpty()) {
      return true;
    }
    try {
      return Long.parseLong(m.group(1)) <= Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** RFC 9110 token: 1*tchar. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names : the names of the headers that
   * are not CORS-safelisted, plus all safelisted ones when their values add up to more than 1024
   * bytes, "convert header names to a sorted-lowercase set". Forbidden headers are not counted (the
   * browser never sends the script's value).
   */
  public static List<String> corsUnsafeRequestHeaderNames(List<Header> headers) {
    TreeSet<String> unsafe = new TreeSet<>();
    List<String> potentiallyUnsafe = new ArrayList<>();
    int safelistValueSize = 0;
    for (Header h : headers) {
      if (isForbiddenRequestHeader(h.name())) {
        continue;
      }
      if (!isCorsSafelistedRequestHeader(h.name(), h.value())) {
        unsafe.add(h.lowerName());
      } else {
        potentiallyUnsafe.add(h.lowerName());
        safelistValueSize += h.value().length();
      }
    }
    if (safelistValueSize > MAX_SAFELISTED_TOTAL) {
      unsafe.addAll(potentiallyUnsafe);
    }
    return List.copyOf(unsafe);
  }

  /**
   * https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name : `Accept`,
   * `Accept-Language`, `Content-Language`, `Content-Type`.
   */
  public static boolean isNoCorsSafelistedRequestHeaderName(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "accept", "accept-language", "content-language", "content-type" -> true;
      default -> false;
    };
  }
}
