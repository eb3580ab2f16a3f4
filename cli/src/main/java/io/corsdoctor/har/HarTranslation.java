package io.corsdoctor.har;

import io.corsdoctor.cors.Api;
import io.corsdoctor.cors.BodyKind;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.cors.Reply;
import io.corsdoctor.cors.Safelist;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns recorded entries into the engine's inputs: the request as the page made it, and the replies
 * as they arrived. No CORS decisions here.
 */
final class HarTranslation {
  private HarTranslation() {}

  /**
   * Headers a browser adds on its own beyond the forbidden request headers (which {@link
   * Safelist#isForbiddenRequestHeader} knows), so a recorded request carries them although the
   * script did not set them: what Chromium and Firefox add (Accept, client data, DevTools' "Disable
   * cache").
   */
  private static final Set<String> BROWSER_ADDED =
      Set.of(
          "accept",
          "accept-language",
          "access-control-request-private-network",
          "cache-control",
          "pragma",
          "priority",
          "upgrade-insecure-requests",
          "x-client-data");

  /** Stands for a header value a sanitiser removed; its parentheses make it non-safelisted. */
  static final String REMOVED = "(removed from the HAR)";

  /** The page's origin as the {@code Origin} header sent it, or null (no header, not an origin). */
  static Origin pageOrigin(HarEntry e) {
    String origin = e.request().header("Origin");
    if (origin != null) {
      return Origin.parse(origin.trim()).orElse(null);
    }
    return null;
  }

  /**
   * The request as the script made it. With a recorded preflight, the script's non-safelisted
   * headers are exactly those its {@code Access-Control-Request-Headers} names; without one, the
   * headers a browser adds on its own are dropped.
   */
  static CorsRequest request(Origin origin, HarEntry actual, HarEntry preflight) {
    HarEntry base = actual != null ? actual : preflight;
    String method =
        actual != null
            ? actual.request().method()
            : orElse(preflight.request().header("Access-Control-Request-Method"), "GET");
    List<Header> headers = new ArrayList<>();
    if (actual == null) {
      for (String name : requestedHeaderNames(preflight)) {
        headers.add(new Header(name, REMOVED));
      }
    } else if (preflight != null) {
      Set<String> requested = requestedHeaderNames(preflight);
      Set<String> present = new HashSet<>();
      for (Header h : actual.request().headers()) {
        String lower = lower(h.name());
        if (requested.contains(lower) || lower.equals("content-type")) {
          headers.add(h);
          present.add(lower);
        }
      }
      for (String name : requested) {
        if (!present.contains(name)) {
          // Removed by a sanitised export (Chrome 130+ drops Authorization and cookies); the
          // preflight proves the script set it, with a value that is not CORS-safelisted.
          headers.add(new Header(name, REMOVED));
        }
      }
    } else {
      for (Header h : actual.request().headers()) {
        if (scriptHeader(lower(h.name()))) {
          headers.add(h);
        }
      }
    }
    boolean bodyAllowed = !method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("HEAD");
    boolean body = bodyAllowed && actual != null && actual.request().hasBody();
    return CorsRequest.builder(origin, base.request().url())
        .method(method)
        .headers(headers)
        .body(body ? BodyKind.BYTES : BodyKind.NONE)
        .credentials(credentials(actual))
        .api("xhr".equals(base.resourceType()) ? Api.XHR : Api.FETCH)
        .build();
  }

  /**
   * Header names in lower case, remembered: a HAR repeats the same few dozen names on every entry,
   * and lower-casing them each time is a good part of the analysis. Bounded; shared by threads.
   */
  private static final Map<String, String> LOWER = new ConcurrentHashMap<>();

  private static String lower(String name) {
    String lower = LOWER.get(name);
    if (lower == null) {
      lower = name.toLowerCase(Locale.ROOT);
      if (LOWER.size() < 4096) {
        LOWER.put(name, lower);
      }
    }
    return lower;
  }

  private static boolean scriptHeader(String lower) {
    return !Safelist.isForbiddenRequestHeader(lower)
        && !BROWSER_ADDED.contains(lower)
        && !lower.startsWith(":");
  }

  /**
   * Cookies on a cross-origin request mean the page asked for credentials ({@code include});
   * without them the recording cannot tell, and fetch's default applies.
   */
  private static CredentialsMode credentials(HarEntry actual) {
    if (actual != null
        && (actual.request().cookieCount() > 0 || actual.request().header("Cookie") != null)) {
      return CredentialsMode.INCLUDE;
    }
    return CredentialsMode.SAME_ORIGIN;
  }

  static Set<String> requestedHeaderNames(HarEntry preflight) {
    Set<String> names = new HashSet<>();
    String list = preflight.request().header("Access-Control-Request-Headers");
    if (list != null) {
      for (String part : list.split(",")) {
        String name = part.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** The recorded reply: the response head, or a network failure when nothing came back. */
  static Reply reply(HarEntry e) {
    HarEntry.HarResponse r = e.response();
    if (r.status() <= 0) {
      String error = r.error();
      return new NetworkFailure(
          netError(error),
          error == null || error.isEmpty()
              ? "the browser recorded no response (status 0)"
              : "the browser recorded " + error);
    }
    List<String> lines = new ArrayList<>(r.headers().size());
    for (Header h : r.headers()) {
      lines.add(h.toString());
    }
    return new HttpReply(r.statusLine(), r.status(), r.headers(), lines, "");
  }

  private static NetError netError(String error) {
    if (error != null) {
      for (NetError n : NetError.values()) {
        if (n.chromiumName().equals(error.trim())) {
          return n;
        }
      }
    }
    return NetError.FAILED;
  }

  private static String orElse(String s, String fallback) {
    return s == null ? fallback : s;
  }
}
