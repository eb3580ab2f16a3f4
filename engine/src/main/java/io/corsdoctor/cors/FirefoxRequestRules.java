package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Firefox decides from the request alone: the method it sends, the CORS-unsafe header names it
 * lists in {@code Access-Control-Request-Headers}, and whether it preflights.
 *
 * <p>Firefox follows https://fetch.spec.whatwg.org/#cors-safelisted-request-header header by header
 * ({@code InternalHeaders::GetUnsafeHeaders}); unlike the standard it has no 1024-byte total for
 * the safelisted values, so this stays Firefox's own.
 */
final class FirefoxRequestRules {
  private FirefoxRequestRules() {}

  private static final Set<String> NORMALIZED_METHODS =
      Set.of("DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");

  /** https://fetch.spec.whatwg.org/#forbidden-request-header (names; prefixes below). */
  private static final Set<String> FORBIDDEN =
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
          "via");

  /**
   * https://fetch.spec.whatwg.org/#concept-method-normalize : fetch and XHR upper-case the six
   * common methods; any other method ({@code patch}) is sent as written.
   */
  static String normalizedMethod(String method) {
    String upper = method.toUpperCase(Locale.ROOT);
    return NORMALIZED_METHODS.contains(upper) ? upper : method;
  }

  /**
   * The header names Firefox puts in {@code Access-Control-Request-Headers}: the script's headers
   * (forbidden ones dropped, as the browser drops them silently) plus the Content-Type the body
   * implies, minus the CORS-safelisted ones; lower-case, sorted, without duplicates.
   */
  static List<String> unsafeHeaderNames(CorsRequest request) {
    List<Header> effective = new ArrayList<>();
    boolean scriptContentType = false;
    for (Header h : request.headers()) {
      if (isForbidden(h.lowerName())) {
        continue;
      }
      scriptContentType |= h.is("content-type");
      effective.add(h);
    }
    String implied = impliedContentType(request.body());
    if (!scriptContentType && implied != null) {
      effective.add(new Header("Content-Type", implied));
    }
    Set<String> names = new TreeSet<>();
    for (Header h : effective) {
      if (!isSafelisted(h.lowerName(), trimHttpWhitespace(h.value()))) {
        names.add(h.lowerName());
      }
    }
    return List.copyOf(names);
  }

  /**
   * Firefox preflights a cross-site request whose method is not GET, HEAD or POST (compared
   * case-insensitively, {@code nsCORSListenerProxy::CheckPreflightNeeded}) or that carries a
   * CORS-unsafe header.
   */
  static boolean needsPreflight(CorsRequest request) {
    String m = normalizedMethod(request.method()).toLowerCase(Locale.ROOT);
    boolean simpleMethod = m.equals("get") || m.equals("head") || m.equals("post");
    return !simpleMethod || !unsafeHeaderNames(request).isEmpty();
  }

  static boolean isForbidden(String lowerName) {
    return FORBIDDEN.contains(lowerName)
        || lowerName.startsWith("proxy-")
        || lowerName.startsWith("sec-");
  }

  /** https://fetch.spec.whatwg.org/#concept-bodyinit-extract : the type a body brings along. */
  private static String impliedContentType(BodyKind body) {
    switch (body) {
      case TEXT:
        return "text/plain;charset=UTF-8";
      case URL_SEARCH_PARAMS:
        return "application/x-www-form-urlencoded;charset=UTF-8";
      case FORM_DATA:
        return "multipart/form-data; boundary=----geckoformboundary";
      default:
        return null;
    }
  }

  /** https://fetch.spec.whatwg.org/#cors-safelisted-request-header */
  static boolean isSafelisted(String lowerName, String value) {
    if (value.length() > 128) { // "If value's length is greater than 128, then return false."
      return false;
    }
    switch (lowerName) {
      case "accept":
        return noUnsafeByte(value);
      case "accept-language":
      case "content-language":
        return value.chars().allMatch(FirefoxRequestRules::isLanguageByte);
      case "content-type":
        return noUnsafeByte(value) && isSafelistedMimeEssence(value);
      case "range":
        return isSimpleRange(value);
      default:
        return false;
    }
  }

  /** https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte */
  private static boolean noUnsafeByte(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f || "\"():<>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLanguageByte(int c) {
    return (c >= '0' && c <= '9')
        || (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || c == ' '
        || "*,-.;=".indexOf(c) >= 0;
  }

  /**
   * The essence of the parsed MIME type is application/x-www-form-urlencoded, multipart/form-data
   * or text/plain (https://mimesniff.spec.whatwg.org/#parse-a-mime-type, type and subtype part).
   */
  private static boolean isSafelistedMimeEssence(String value) {
    String v = trimHttpWhitespace(value);
    int semi = v.indexOf(';');
    String essence = trimHttpWhitespace(semi < 0 ? v : v.substring(0, semi));
    int slash = essence.indexOf('/');
    if (slash <= 0 || slash == essence.length() - 1) {
      return false;
    }
    if (!isToken(essence.substring(0, slash)) || !isToken(essence.substring(slash + 1))) {
      return false;
    }
    String lower = essence.toLowerCase(Locale.ROOT);
    return lower.equals("application/x-www-form-urlencoded")
        || lower.equals("multipart/form-data")
        || lower.equals("text/plain");
  }

  /** https://fetch.spec.whatwg.org/#simple-range-header-value */
  private static boolean isSimpleRange(String value) {
    if (!value.startsWith("bytes=")) {
      return false;
    }
    String rest = value.substring(6);
    int dash = rest.indexOf('-');
    if (dash < 0) {
      return false;
    }
    String start = rest.substring(0, dash);
    String end = rest.substring(dash + 1);
    if (start.isEmpty() || !start.chars().allMatch(Character::isDigit)) {
      return false;
    }
    if (end.isEmpty()) {
      return true;
    }
    if (!end.chars().allMatch(Character::isDigit)) {
      return false;
    }
    return new java.math.BigInteger(start).compareTo(new java.math.BigInteger(end)) <= 0;
  }

  /** https://httpwg.org/specs/rfc9110.html#tokens */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Strips leading and trailing HTTP whitespace (tab, space, CR, LF). */
  static String trimHttpWhitespace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isHttpWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isHttpWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isHttpWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
