package io.corsdoctor.cors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Firefox (ESR 153) decides for the same request and replies: its reason codes, in the order
 * it logs them, and its console text. Firefox reads some header lines differently from Chromium (it
 * sees {@link HttpReply#rawHeaderLines()}, see {@link FirefoxHead}), and reads a non-HTTP reply
 * ({@link NetError#INVALID_HTTP_RESPONSE}) as an HTTP/0.9 body: status 200, no headers.
 *
 * <p>The model follows Firefox's own order of checks ({@code nsCORSListenerProxy}), held against
 * 149 scenarios recorded in real Firefox ESR 153 (the Firefox corpus replay test):
 *
 * <ol>
 *   <li>the CORS check of a response, also of a preflight and of every redirect: duplicate {@code
 *       Access-Control-Allow-Origin} lines ("Multiple"), missing ("missing", with the status),
 *       {@code *} with credentials, value different from the origin ("does not match ‘value’",
 *       quoting the header, not the origin), then {@code Access-Control-Allow-Credentials} must be
 *       exactly {@code true};
 *   <li>for a preflight, only then its status (2xx), its methods and its headers; every failed
 *       preflight adds the main request's "CORS request did not succeed ... Status code: (null)";
 *   <li>a failed redirect check adds "did not succeed" for the cancelled channel; a redirect of a
 *       preflight logs "external redirect not allowed", and the 3xx is then checked as the
 *       preflight response (with the origin {@code null} when the redirect pointed to another
 *       origin);
 *   <li>after a cross-origin redirect the request's origin is {@code null}; a redirect to a URL
 *       with user:pass or to a non-HTTP URL fails with "did not succeed" only, as does the 21st
 *       redirect;
 *   <li>network failures (refused, reset, closed, empty) log "did not succeed" (twice for a
 *       preflight: its own channel and the main one); Firefox retries a closed or reset connection,
 *       so several identical failed exchanges in a row are one failure; a timeout logs nothing
 *       within the time the corpus waited.
 * </ol>
 *
 * <p>{@code Access-Control-Allow-Headers: *} covers {@code Authorization} in Firefox ESR 153 by
 * default (pref {@code network.cors_preflight.authorization_covered_by_wildcard}, MDN "Experimental
 * features"), unlike the standard: the request passes and no line reaches the page's console. A
 * redirect in redirect mode {@code error} fails without any line. Both checked in real Firefox ESR
 * 153.7.0 over WebDriver BiDi.
 */
public final class FirefoxModel {
  private FirefoxModel() {}

  /**
   * Judges the exchanges as Firefox would. Called by the engine at the end of every request with
   * the exchanges it made; when Firefox would have gone further than Chromium did (e.g. passed a
   * preflight Chromium failed), it judges from what is there: with no reply to judge, nothing
   * blocks.
   */
  public static FirefoxVerdict judge(CorsRequest request, List<Exchange> exchanges) {
    return new Judgement(request, List.copyOf(exchanges)).run();
  }

  /**
   * Whether Firefox sends a CORS preflight before this request when it goes to another origin
   * (method other than GET/HEAD/POST, or a CORS-unsafe header).
   */
  public static boolean preflightNeeded(CorsRequest request) {
    return request.mode() == RequestMode.CORS && FirefoxRequestRules.needsPreflight(request);
  }

  private static final String ACAO = "Access-Control-Allow-Origin";
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(300, 301, 302, 303, 307, 308);
  private static final int MAX_REDIRECTS = 20;

  /** One evaluation: walks the exchanges in order and collects the lines Firefox logs. */
  private static final class Judgement {
    private final CorsRequest request;
    private final List<Exchange> exchanges;
    private final Origin page;
    private final boolean withCredentials;
    private final String method;
    private final List<FirefoxMessages.Line> lines = new ArrayList<>();
    private boolean networkFailure;
    private boolean refusedBeforeSending;
    private boolean crossSite;

    Judgement(CorsRequest request, List<Exchange> exchanges) {
      this.request = request;
      this.exchanges = exchanges;
      this.page = request.origin();
      this.withCredentials = request.credentials() == CredentialsMode.INCLUDE;
      this.method = FirefoxRequestRules.normalizedMethod(request.method());
    }

    FirefoxVerdict run() {
      if (FirefoxRequestRules.rejectedByScriptApi(request)) {
        // fetch() or XHR throws a TypeError before anything is sent; no console line.
        refusedBeforeSending = true;
        return finish();
      }
      if (request.mode() == RequestMode.NO_CORS) {
        return noCors();
      }
      Optional<Url> target = Url.parse(request.url());
      String url = target.map(Url::serialize).orElse(request.url());
      String scheme = target.map(Url::scheme).orElse("");
      if (scheme.equals("data") || scheme.equals("blob") || scheme.equals("about")) {
        return finish(); // same-origin by nature: no CORS
      }
      if (!scheme.equals("http") && !scheme.equals("https")) {
        // nsCORSListenerProxy::CheckPreflightNeeded: a channel that is not HTTP.
        lines.add(FirefoxMessages.line("CORSRequestNotHttp", url));
        return finish();
      }
      crossSite = !page.sameOrigin(target.get().origin());
      if (request.mode() == RequestMode.SAME_ORIGIN && crossSite) {
        lines.add(FirefoxMessages.line("CheckSameOriginError", page.serialize() + "/", url));
        return finish();
      }
      walk();
      return finish();
    }

    /** Mode no-cors: no CORS listener, so no CORS line; the page gets an opaque response. */
    private FirefoxVerdict noCors() {
      if (request.redirect() != RedirectMode.FOLLOW) {
        // fetch() rejects with a TypeError before anything is sent.
        refusedBeforeSending = true;
        return finish();
      }
      for (int i = 0; i < exchanges.size(); i++) {
        if (exchanges.get(i).reply() instanceof NetworkFailure f
            && f.error() != NetError.INVALID_HTTP_RESPONSE
            && !isRetried(i)) {
          networkFailure = true;
        }
      }
      return finish();
    }

    private void walk() {
      String origin = page.serialize();
      int redirects = 0;
      for (int i = 0; i < exchanges.size(); i++) {
        if (isRetried(i)) {
          continue;
        }
        Exchange exchange = exchanges.get(i);
        String url = spec(exchange.request().url());
        Url here = Url.parse(url).orElse(null);
        if (exchange.request().kind() == OutgoingRequest.Kind.PREFLIGHT) {
          if (crossSite && !preflight(exchange.reply(), url)) {
            return;
          }
          continue;
        }
        Optional<FirefoxHead> read = read(exchange.reply(), url, false);
        if (read.isEmpty()) {
          return;
        }
        FirefoxHead head = read.get();
        Optional<String> location = redirectLocation(head);
        if (location.isEmpty()) {
          if (crossSite) {
            corsCheck(head, origin, url).ifPresent(lines::add);
          }
          return;
        }
        if (request.redirect() == RedirectMode.MANUAL) {
          // The 3xx itself is the response (an opaque redirect for the page).
          if (crossSite) {
            corsCheck(head, origin, url).ifPresent(lines::add);
          }
          return;
        }
        if (request.redirect() == RedirectMode.ERROR) {
          // The channel refuses the redirect before the CORS listener sees it: a network error
          // without any console line (seen in Firefox ESR 153).
          networkFailure = true;
          return;
        }
        // A real redirect: nsCORSListenerProxy::AsyncOnChannelRedirect.
        if (crossSite) {
          Optional<FirefoxMessages.Line> refused = corsCheck(head, origin, url);
          if (refused.isPresent()) {
            lines.add(refused.get());
            failed(url); // the cancelled channel then reports that it did not succeed
            return;
          }
        }
        Url next = here == null ? null : here.resolve(location.get()).orElse(null);
        if (next == null || !next.isHttp()) {
          failed(url);
          return;
        }
        if (crossSite && !here.origin().sameOrigin(next.origin())) {
          origin = "null"; // "set request's tainted origin flag"
        }
        crossSite |= !page.sameOrigin(next.origin());
        if ((crossSite && next.hasCredentials()) || ++redirects > MAX_REDIRECTS) {
          failed(url);
          return;
        }
      }
    }

    /**
     * A preflight's reply, as its own CORS listener and then nsCORSPreflightListener read it.
     * Returns whether the actual request may go.
     */
    private boolean preflight(Reply reply, String url) {
      // Preflights always carry the page's origin, also after a redirect of the actual request.
      String origin = page.serialize();
      Optional<FirefoxHead> read = read(reply, url, true);
      if (read.isEmpty()) {
        return false;
      }
      FirefoxHead head = read.get();
      Optional<String> location = redirectLocation(head);
      if (location.isPresent()) {
        Optional<FirefoxMessages.Line> refused = corsCheck(head, origin, url);
        if (refused.isPresent()) {
          lines.add(refused.get());
          failed(url); // the preflight channel, cancelled
          failed(url); // the main channel
          return false;
        }
        Url here = Url.parse(url).orElse(null);
        Url next = here == null ? null : here.resolve(location.get()).orElse(null);
        if (next == null || !next.isHttp() || next.hasCredentials()) {
          failed(url);
          failed(url);
          return false;
        }
        String tainted = here.origin().sameOrigin(next.origin()) ? origin : "null";
        lines.add(FirefoxMessages.line("CORSExternalRedirectNotAllowed", url));
        // The vetoed redirect leaves the 3xx as the preflight's response.
        return preflightResponse(head, tainted, url);
      }
      return preflightResponse(head, origin, url);
    }

    private boolean preflightResponse(FirefoxHead head, String origin, String url) {
      Optional<FirefoxMessages.Line> refused = corsCheck(head, origin, url);
      if (refused.isEmpty()) {
        refused = preflightCheck(head, url);
      }
      if (refused.isPresent()) {
        lines.add(refused.get());
        failed(url); // the main request: "CORS request did not succeed ... (null)"
        return false;
      }
      return true;
    }

    /** nsCORSPreflightListener::CheckPreflightRequestApproved: status, methods, headers. */
    private Optional<FirefoxMessages.Line> preflightCheck(FirefoxHead head, String url) {
      if (head.status() < 200 || head.status() > 299) {
        return Optional.of(
            FirefoxMessages.line(
                "CORSPreflightDidNotSucceed3", url, String.valueOf(head.status())));
      }
      boolean methodFound = method.equals("GET") || method.equals("HEAD") || method.equals("POST");
      for (String token : tokens(head.get("Access-Control-Allow-Methods").orElse(""))) {
        if (!FirefoxRequestRules.isToken(token)) {
          return Optional.of(FirefoxMessages.line("CORSInvalidAllowMethod", url, utf8(token)));
        }
        // "*" is a wildcard only without credentials; methods compare case-sensitively.
        methodFound |= (token.equals("*") && !withCredentials) || token.equals(method);
      }
      if (!methodFound) {
        return Optional.of(FirefoxMessages.line("CORSMethodNotFound", url));
      }
      List<String> allowed = new ArrayList<>();
      boolean wildcard = false;
      boolean authorizationListed = false;
      for (String token : tokens(head.get("Access-Control-Allow-Headers").orElse(""))) {
        if (!FirefoxRequestRules.isToken(token)) {
          return Optional.of(FirefoxMessages.line("CORSInvalidAllowHeader", url, utf8(token)));
        }
        if (token.equals("*") && !withCredentials) {
          wildcard = true;
        } else {
          allowed.add(token);
        }
        authorizationListed |= token.equalsIgnoreCase("authorization");
      }
      for (String name : FirefoxRequestRules.unsafeHeaderNames(request)) {
        boolean authorization = name.equals("authorization");
        if (wildcard && !authorization) {
          continue;
        }
        if (wildcard && !authorizationListed) {
          // Covered by "*" under the default pref: the request goes; Firefox ESR 153's
          // deprecation warning does not reach the page's console.
          continue;
        }
        if (allowed.stream().noneMatch(a -> a.equalsIgnoreCase(name))) {
          return Optional.of(
              FirefoxMessages.line("CORSMissingAllowHeaderFromPreflight2", url, name));
        }
      }
      return Optional.empty();
    }

    /** nsCORSListenerProxy::CheckRequestApproved, for a response that arrived. */
    private Optional<FirefoxMessages.Line> corsCheck(FirefoxHead head, String origin, String url) {
      if (head.countExactly(ACAO) > 1) {
        return Optional.of(FirefoxMessages.line("CORSMultipleAllowOriginNotAllowed", url));
      }
      Optional<String> allowOrigin = head.get(ACAO);
      if (allowOrigin.isEmpty()) {
        return Optional.of(
            FirefoxMessages.line("CORSMissingAllowOrigin2", url, String.valueOf(head.status())));
      }
      String value = allowOrigin.get();
      if (withCredentials && value.equals("*")) {
        return Optional.of(FirefoxMessages.line("CORSNotSupportingCredentials", url));
      }
      if ((withCredentials || !value.equals("*")) && !value.equals(origin)) {
        return Optional.of(
            FirefoxMessages.line("CORSAllowOriginNotMatchingOrigin", url, utf8(value)));
      }
      if (withCredentials
          && !head.get("Access-Control-Allow-Credentials").orElse("").equals("true")) {
        return Optional.of(FirefoxMessages.line("CORSMissingAllowCredentials", url));
      }
      return Optional.empty();
    }

    /**
     * How Firefox reads a reply: a non-HTTP reply as HTTP/0.9 (status 200, no headers), a failure
     * as "did not succeed" (empty result), conflicting duplicate headers as a failure.
     */
    private Optional<FirefoxHead> read(Reply reply, String url, boolean preflight) {
      FirefoxHead head;
      if (reply instanceof NetworkFailure f) {
        if (f.error() != NetError.INVALID_HTTP_RESPONSE) {
          if (isTimeout(f.error())) {
            networkFailure = true; // nothing logged while the browser still waits
          } else {
            failed(url);
            if (preflight) {
              failed(url);
            }
          }
          return Optional.empty();
        }
        head = FirefoxHead.HTTP_09;
      } else {
        head = FirefoxHead.of((HttpReply) reply);
      }
      if (head.hasConflictingDuplicates()) {
        failed(url);
        if (preflight) {
          failed(url);
        }
        return Optional.empty();
      }
      return Optional.of(head);
    }

    /** The channel failed: Firefox's CORS listener logs it when the request is cross-site. */
    private void failed(String url) {
      networkFailure = true;
      if (crossSite) {
        lines.add(FirefoxMessages.line("CORSDidNotSucceed2", url, null));
      }
    }

    /** A failure directly followed by the same request again is one of Firefox's retries. */
    private boolean isRetried(int i) {
      if (i + 1 >= exchanges.size()
          || !(exchanges.get(i).reply() instanceof NetworkFailure f)
          || f.error() == NetError.INVALID_HTTP_RESPONSE) {
        return false;
      }
      OutgoingRequest a = exchanges.get(i).request();
      OutgoingRequest b = exchanges.get(i + 1).request();
      return a.kind() == b.kind() && a.method().equals(b.method()) && a.url().equals(b.url());
    }

    private FirefoxVerdict finish() {
      List<String> reasons = new ArrayList<>();
      List<String> messages = new ArrayList<>();
      for (FirefoxMessages.Line line : lines) {
        if (line.key().startsWith("CORS")) {
          reasons.add(line.reasonCode());
        }
        messages.add(line.text());
      }
      Outcome outcome;
      if (lines.isEmpty()) {
        outcome =
            refusedBeforeSending
                ? Outcome.BLOCKED
                : networkFailure ? Outcome.NETWORK_ERROR : Outcome.PASS;
      } else if (!reasons.isEmpty()
          && reasons.stream().allMatch(r -> r.equals("CORSDidNotSucceed"))) {
        outcome = Outcome.NETWORK_ERROR;
      } else {
        outcome = Outcome.BLOCKED;
      }
      return new FirefoxVerdict(outcome, reasons, messages);
    }
  }

  private static boolean isTimeout(NetError e) {
    return e == NetError.TIMED_OUT || e == NetError.CONNECTION_TIMED_OUT;
  }

  private static Optional<String> redirectLocation(FirefoxHead head) {
    if (!REDIRECT_STATUSES.contains(head.status())) {
      return Optional.empty();
    }
    return head.get("Location");
  }

  /** Comma-separated tokens, trimmed, empty ones skipped (nsCCharSeparatedTokenizer). */
  private static List<String> tokens(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String t = FirefoxRequestRules.trimHttpWhitespace(part);
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * Header bytes as Firefox prints them: decoded as UTF-8 ({@code NS_ConvertUTF8toUTF16}), an
   * invalid byte as U+FFFD.
   */
  static String utf8(String latin1) {
    return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** The URL as Firefox prints it (lower-case scheme and host, no default port, no fragment). */
  static String spec(String url) {
    return Url.parse(url).map(Url::serialize).orElse(url);
  }
}
