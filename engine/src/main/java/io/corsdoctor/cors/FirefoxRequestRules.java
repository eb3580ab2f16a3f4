package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Firefox decides from the request alone: the method it sends, the CORS-unsafe header names it
 * lists in {@code Access-Control-Request-Headers}, and whether it preflights. Built on the engine's
 * {@link Safelist} (the standard's definitions); where Firefox differs from it and from Chromium,
 * this class says so:
 *
 * <ul>
 *   <li>no 1024-byte total for the safelisted values: Firefox judges header by header ({@code
 *       InternalHeaders::GetUnsafeHeaders});
 *   <li>{@code User-Agent} is not forbidden (Firefox 43 and later, as the standard now says), so a
 *       script's User-Agent is sent and needs a preflight;
 *   <li>Chromium's client-hint headers ({@code DPR}, {@code Width}, {@code Save-Data}, ...) are not
 *       safelisted.
 * </ul>
 */
final class FirefoxRequestRules {
  private FirefoxRequestRules() {}

  private static final Set<String> CHROMIUM_ONLY_SAFELISTED =
      Set.of("device-memory", "dpr", "width", "viewport-width", "save-data");

  static String normalizedMethod(String method) {
    return Safelist.normalizeMethod(method);
  }

  /**
   * Whether the page's API throws before sending: a forbidden method (CONNECT, TRACE, TRACK), a
   * fetch() body on GET or HEAD, or in mode no-cors a method other than GET, HEAD or POST.
   */
  static boolean rejectedByScriptApi(CorsRequest request) {
    String method = normalizedMethod(request.method());
    if (Safelist.isForbiddenMethod(method)) {
      return true;
    }
    if (request.api() == Api.FETCH
        && request.body() != BodyKind.NONE
        && (method.equals("GET") || method.equals("HEAD"))) {
      return true;
    }
    return request.mode() == RequestMode.NO_CORS && !Safelist.isCorsSafelistedMethod(method);
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
      if (isForbidden(h.name())) {
        continue;
      }
      scriptContentType |= h.is("content-type");
      effective.add(h);
    }
    String implied = impliedContentType(request);
    if (!scriptContentType && implied != null) {
      effective.add(new Header("Content-Type", implied));
    }
    Set<String> names = new TreeSet<>();
    for (Header h : effective) {
      if (!isSafelisted(h.name(), trimHttpWhitespace(h.value()))) {
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
    String m = normalizedMethod(request.method()).toUpperCase(Locale.ROOT);
    return !Safelist.isCorsSafelistedMethod(m) || !unsafeHeaderNames(request).isEmpty();
  }

  /** https://fetch.spec.whatwg.org/#forbidden-request-header, minus User-Agent (see above). */
  static boolean isForbidden(String name) {
    return Safelist.isForbiddenRequestHeader(name) && !name.equalsIgnoreCase("user-agent");
  }

  /** https://fetch.spec.whatwg.org/#cors-safelisted-request-header, without Chromium's hints. */
  static boolean isSafelisted(String name, String value) {
    return !CHROMIUM_ONLY_SAFELISTED.contains(name.toLowerCase(Locale.ROOT))
        && Safelist.isCorsSafelistedRequestHeader(name, value);
  }

  /**
   * https://fetch.spec.whatwg.org/#concept-bodyinit-extract : the type a body brings along. XHR's
   * send() drops a body on GET or HEAD, and its type with it.
   */
  private static String impliedContentType(CorsRequest request) {
    String method = normalizedMethod(request.method());
    if (method.equals("GET") || method.equals("HEAD")) {
      return null;
    }
    switch (request.body()) {
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

  /** RFC 9110 token: 1*tchar. */
  static boolean isToken(String s) {
    return Safelist.isToken(s);
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
