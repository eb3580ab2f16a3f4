package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Entry point: what the browser (Chromium 156) does with a {@link CorsRequest}, following the
 * WHATWG Fetch standard's main fetch, HTTP fetch, CORS-preflight fetch and HTTP-redirect fetch
 * (https://fetch.spec.whatwg.org/#main-fetch), with Chromium's deviations marked "Chromium:".
 *
 * <p>Sans I/O: {@link #start} returns a {@link Step}; each {@link Step.Send} asks the caller to put
 * one request on the wire and hand back the {@link Reply}. Steps are immutable: answering the same
 * {@code Send} twice (say, once per address of {@code localhost}) gives two independent
 * continuations.
 */
public final class CorsEngine {
  /** "If request's redirect count is 20, then return a network error." */
  static final int MAX_REDIRECTS = 20;

  /** Chromium's preflight cache lifetime without a valid Access-Control-Max-Age (5 s). */
  static final long DEFAULT_MAX_AGE_SECONDS = 5;

  /** Chromium caps Access-Control-Max-Age at 2 hours. */
  static final long MAX_MAX_AGE_SECONDS = 7200;

  /** The User-Agent a Chromium 156 on Linux sends (headful form). */
  static final String USER_AGENT =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0"
          + " Safari/537.36";

  static final String FORM_BOUNDARY = "----WebKitFormBoundaryCorsDoctor000";

  private CorsEngine() {}

  /**
   * Begins a request in a browser context with the given state. The returned step either asks for a
   * request to be sent or carries the verdict.
   */
  public static Step start(CorsRequest request, BrowserState state) {
    Flow f = new Flow(request, state);
    String method = request.method();
    // Request constructor: "If method is a forbidden method, then throw a TypeError."
    if (Safelist.isForbiddenMethod(method)) {
      return rejected(
          f,
          null,
          ChromiumMessages.fill("script.forbiddenMethod", Map.of("method", method)),
          null,
          new Problem(Rule.FORBIDDEN_METHOD, Stage.REQUEST, null, method, "another method"));
    }
    f.method = Safelist.normalizeMethod(method);
    // Request constructor: "If either init["body"] exists and is non-null or inputBody is
    // non-null, and request's method is `GET` or `HEAD`, then throw a TypeError." (XHR's send()
    // instead sets the body to null.)
    if (request.body() != BodyKind.NONE && (f.method.equals("GET") || f.method.equals("HEAD"))) {
      if (request.api() == Api.FETCH) {
        return rejected(
            f,
            null,
            ChromiumMessages.template("script.getWithBody"),
            null,
            new Problem(Rule.BODY_NOT_ALLOWED, Stage.REQUEST, null, f.method, "no body"));
      }
      f.bodyIgnored = true;
    }
    Optional<Url> parsed = Url.parse(request.url());
    if (parsed.isEmpty()) {
      return rejected(
          f,
          null,
          "TypeError: Failed to execute 'fetch' on 'Window': Failed to parse URL from "
              + request.url(),
          null,
          new Problem(Rule.SCHEME_NOT_SUPPORTED, Stage.REQUEST, null, request.url(), "a URL"));
    }
    f.firstUrl = parsed.get();
    f.url = f.firstUrl;
    f.headers = authorHeaders(f);
    // Request constructor: "If mode is "no-cors", then: If this's request's method is not a
    // CORS-safelisted method, then throw a TypeError."
    if (request.mode() == RequestMode.NO_CORS
        && !Safelist.isCorsSafelistedMethod(f.method)
        && request.api() == Api.FETCH) {
      return rejected(
          f,
          null,
          ChromiumMessages.fill("script.noCorsMethod", Map.of("method", f.method)),
          null,
          new Problem(
              Rule.METHOD_NOT_ALLOWED_IN_NO_CORS,
              Stage.REQUEST,
              null,
              f.method,
              "GET, HEAD, POST"));
    }
    if (!f.url.isHttp()) {
      return unsupportedScheme(f);
    }
    // Chromium (fetch_manager.cc): "no-cors" with a redirect mode other than "follow" is refused
    // before anything is sent, and reported only as a DevTools issue.
    if (request.mode() == RequestMode.NO_CORS && request.redirect() != RedirectMode.FOLLOW) {
      return rejected(
          f,
          ChromiumMessages.fill("fetch.noCorsRedirectMode", Map.of("url", f.url.serialize())),
          ChromiumMessages.template("script.fetchFailed"),
          CorsError.NoCorsRedirectModeNotFollow,
          new Problem(
              Rule.NO_CORS_REDIRECT_MODE_NOT_FOLLOW,
              Stage.REQUEST,
              null,
              request.redirect().token(),
              "follow"));
    }
    return mainFetch(f);
  }

  /** Runs a request to its verdict, asking {@code network} for each reply. */
  public static Verdict evaluate(
      CorsRequest request, BrowserState state, Function<OutgoingRequest, Reply> network) {
    Step step = start(request, state);
    while (step instanceof Step.Send send) {
      step = send.reply(network.apply(send.request()));
    }
    return ((Step.Done) step).verdict();
  }

  // ---------------------------------------------------------------------------------------------
  // Main fetch, per URL of the redirect chain.

  /** https://fetch.spec.whatwg.org/#main-fetch , for the request's current URL. */
  private static Step mainFetch(Flow f) {
    CorsRequest request = f.request;
    boolean sameOrigin = !f.tainted && request.origin().sameOrigin(f.url.origin());
    // "request's mode is "same-origin": Return a network error." (Chromium prints its own line.)
    if (request.mode() == RequestMode.SAME_ORIGIN && !sameOrigin) {
      return rejected(
          f,
          ChromiumMessages.fill(
              "fetch.sameOriginMode",
              Map.of("url", f.url.serialize(), "origin", request.origin().serialize())),
          ChromiumMessages.template("script.fetchFailed"),
          CorsError.DisallowedByMode,
          new Problem(
              Rule.DISALLOWED_BY_MODE,
              Stage.REQUEST,
              null,
              f.url.origin().serialize(),
              request.origin().serialize()));
    }
    f.corsFlag = request.mode() == RequestMode.CORS && !sameOrigin;
    f.crossSite |= !sameSite(request.origin(), f.url);

    List<String> unsafeNames = Safelist.corsUnsafeRequestHeaderNames(f.headers);
    // "request's use-CORS-preflight flag is set" or "request's unsafe-request flag is set and
    // either request's method is not a CORS-safelisted method or CORS-unsafe request-header names
    // with request's header list is not empty"
    boolean needsPreflight =
        f.corsFlag && (!Safelist.isCorsSafelistedMethod(f.method) || !unsafeNames.isEmpty());
    f.preflightNeeded |= needsPreflight;
    // Chromium checks Local Network Access when it connects, before the preflight or the request
    // is written.
    Optional<Blocked> lna = localNetworkAccessCheck(f);
    if (lna.isPresent()) {
      return blocked(f, Stage.REQUEST, lna.get());
    }
    if (needsPreflight && !preflightCacheMatch(f, unsafeNames)) {
      return corsPreflightFetch(f, unsafeNames);
    }
    return httpNetworkFetch(f);
  }

  // ---------------------------------------------------------------------------------------------
  // CORS-preflight fetch.

  /** https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 */
  private static Step corsPreflightFetch(Flow f, List<String> unsafeNames) {
    List<Header> h = new ArrayList<>();
    // "Let preflight be a new request whose method is `OPTIONS`, ... Append (`Accept`, `*/*`) ...
    // Append (`Access-Control-Request-Method`, request's method) ... If headers is not empty,
    // then: Let value be the items in headers separated from each other by `,`."
    // Chromium's order on the wire: Accept, ACRM, ACRH, Origin, User-Agent, Sec-Fetch-Mode,
    // Sec-Fetch-Site, Sec-Fetch-Dest, Referer, Accept-Language.
    h.add(new Header("Accept", "*/*"));
    h.add(new Header("Access-Control-Request-Method", f.method));
    if (!unsafeNames.isEmpty()) {
      h.add(new Header("Access-Control-Request-Headers", String.join(",", unsafeNames)));
    }
    h.add(new Header("Origin", f.requestOrigin()));
    h.add(new Header("User-Agent", USER_AGENT));
    h.add(new Header("Sec-Fetch-Mode", "cors"));
    h.add(new Header("Sec-Fetch-Site", f.secFetchSite()));
    h.add(new Header("Sec-Fetch-Dest", "empty"));
    f.referer().ifPresent(r -> h.add(new Header("Referer", r)));
    h.add(new Header("Accept-Language", "en-US,en;q=0.9"));
    OutgoingRequest preflight =
        new OutgoingRequest(OutgoingRequest.Kind.PREFLIGHT, "OPTIONS", f.url.serialize(), h);
    return new Step.Send(preflight, reply -> onPreflightResponse(f, preflight, reply, unsafeNames));
  }

  private static Step onPreflightResponse(
      Flow before, OutgoingRequest sent, Reply reply, List<String> unsafeNames) {
    Flow f = before.copy();
    f.exchanges = append(f.exchanges, new Exchange(sent, reply));
    if (reply instanceof NetworkFailure nf) {
      f.preflightSent |= reachedServer(nf);
      return networkError(f, Stage.PREFLIGHT, nf);
    }
    HttpReply r = (HttpReply) reply;
    f.preflightSent = true;
    boolean include = f.credentialsInclude();
    List<CorsCheck.Failure> failures = new ArrayList<>();
    List<Problem> notes = new ArrayList<>();
    // Chromium: a redirect is refused before the response is looked at.
    if (CorsCheck.isRedirect(r)) {
      failures.add(
          new CorsCheck.Failure(
              CorsError.PreflightDisallowedRedirect,
              "",
              new Problem(
                  Rule.PREFLIGHT_REDIRECT,
                  Stage.PREFLIGHT,
                  "Location",
                  r.combined("Location").orElse(null),
                  "a 2xx answer without a redirect")));
    }
    // "If a CORS check for request and response returns success and response's status is an ok
    // status, then: ..." Chromium runs the CORS check before the status check.
    CorsCheck.corsCheck(r, include, f.requestOrigin(), Stage.PREFLIGHT).ifPresent(failures::add);
    CorsCheck.corsCheckProblems(r, include, f.requestOrigin(), Stage.PREFLIGHT).stream()
        .skip(1)
        .forEach(notes::add);
    if (!CorsCheck.isOkStatus(r.status())) {
      failures.add(
          new CorsCheck.Failure(
              CorsError.PreflightInvalidStatus,
              "",
              new Problem(
                  Rule.PREFLIGHT_STATUS_NOT_OK,
                  Stage.PREFLIGHT,
                  null,
                  r.statusLine(),
                  "a status from 200 to 299")));
    }
    // "Let methods be the result of extracting header list values given
    // `Access-Control-Allow-Methods` and response's header list."
    Set<String> methods = CorsCheck.parseAllowList(r, CorsCheck.ACAM, false);
    if (methods == null) {
      failures.add(
          new CorsCheck.Failure(
              CorsError.InvalidAllowMethodsPreflightResponse,
              "",
              new Problem(
                  Rule.ALLOW_METHODS_UNPARSABLE,
                  Stage.PREFLIGHT,
                  CorsCheck.ACAM,
                  r.combined(CorsCheck.ACAM).orElse(null),
                  "a comma-separated list of method names")));
    }
    // "Let headerNames be the result of extracting header list values given
    // `Access-Control-Allow-Headers` and response's header list."
    Set<String> allowedHeaders = CorsCheck.parseAllowList(r, CorsCheck.ACAH, true);
    if (allowedHeaders == null) {
      failures.add(
          new CorsCheck.Failure(
              CorsError.InvalidAllowHeadersPreflightResponse,
              "",
              new Problem(
                  Rule.ALLOW_HEADERS_UNPARSABLE,
                  Stage.PREFLIGHT,
                  CorsCheck.ACAH,
                  r.combined(CorsCheck.ACAH).orElse(null),
                  "a comma-separated list of header names")));
    }
    if (methods != null && !CorsCheck.methodAllowed(methods, f.method, include)) {
      failures.add(
          new CorsCheck.Failure(
              CorsError.MethodDisallowedByPreflightResponse,
              f.method,
              new Problem(
                  Rule.METHOD_NOT_ALLOWED,
                  Stage.PREFLIGHT,
                  CorsCheck.ACAM,
                  r.combined(CorsCheck.ACAM).orElse(null),
                  f.method)));
      if (include && methods.contains("*")) {
        notes.add(
            new Problem(
                Rule.WILDCARD_WITH_CREDENTIALS_IGNORED,
                Stage.PREFLIGHT,
                CorsCheck.ACAM,
                "*",
                f.method));
      }
    }
    if (allowedHeaders != null) {
      Optional<String> first = CorsCheck.headerNotAllowed(allowedHeaders, unsafeNames, include);
      if (first.isPresent()) {
        failures.add(
            new CorsCheck.Failure(
                CorsError.HeaderDisallowedByPreflightResponse,
                first.get(),
                new Problem(
                    Rule.HEADER_NOT_ALLOWED,
                    Stage.PREFLIGHT,
                    CorsCheck.ACAH,
                    r.combined(CorsCheck.ACAH).orElse(null),
                    first.get())));
        // Every other name that is missing too, so a fix covers them all.
        for (String name : unsafeNames) {
          if (!name.equals(first.get()) && !allowedHeaders.contains(name)) {
            notes.add(
                new Problem(
                    Rule.HEADER_NOT_ALLOWED,
                    Stage.PREFLIGHT,
                    CorsCheck.ACAH,
                    r.combined(CorsCheck.ACAH).orElse(null),
                    name));
          }
        }
        if (include && allowedHeaders.contains("*")) {
          notes.add(
              new Problem(
                  Rule.WILDCARD_WITH_CREDENTIALS_IGNORED,
                  Stage.PREFLIGHT,
                  CorsCheck.ACAH,
                  "*",
                  String.join(",", unsafeNames)));
        }
      } else if (!include) {
        // Chromium 156 deviation: "Authorization" is a CORS non-wildcard request-header name, so
        // the standard (and Firefox) block it under `Access-Control-Allow-Headers: *`; Chromium
        // lets it through and files a deprecation issue.
        for (String name : CorsCheck.nonWildcardNames(allowedHeaders, unsafeNames)) {
          notes.add(
              new Problem(
                  Rule.AUTHORIZATION_NOT_COVERED_BY_WILDCARD,
                  Stage.PREFLIGHT,
                  CorsCheck.ACAH,
                  "*",
                  name));
        }
      }
    }
    Optional<Long> maxAge = CorsCheck.parseMaxAge(r);
    if (maxAge.isEmpty() && r.combined(CorsCheck.MAX_AGE).isPresent()) {
      notes.add(
          new Problem(
              Rule.MAX_AGE_INVALID,
              Stage.PREFLIGHT,
              CorsCheck.MAX_AGE,
              r.combined(CorsCheck.MAX_AGE).get(),
              "one number of seconds"));
    }
    if (!failures.isEmpty()) {
      // "Otherwise, return a network error." Failed preflights are not cached.
      f.problems = concat(f.problems, failures.stream().map(CorsCheck.Failure::problem).toList());
      f.problems = concat(f.problems, notes);
      return blocked(f, Stage.PREFLIGHT, Blocked.of(failures.get(0)));
    }
    f.problems = concat(f.problems, notes);
    // "Let max-age be the result of extracting header list values given `Access-Control-Max-Age`
    // ... If max-age is failure or null, then set max-age to 5." (Chromium: 5 s, capped at 2 h.)
    long seconds = Math.min(maxAge.orElse(DEFAULT_MAX_AGE_SECONDS), MAX_MAX_AGE_SECONDS);
    PreflightCacheEntry entry =
        new PreflightCacheEntry(
            f.requestOrigin(),
            f.url.serialize(),
            include,
            List.copyOf(methods),
            List.copyOf(allowedHeaders),
            f.state.nowMillis() + seconds * 1000);
    List<PreflightCacheEntry> cache = new ArrayList<>();
    for (PreflightCacheEntry e : f.cache) {
      if (!(e.origin().equals(entry.origin()) && e.url().equals(entry.url()))) {
        cache.add(e);
      }
    }
    cache.add(entry);
    f.cache = List.copyOf(cache);
    return httpNetworkFetch(f);
  }

  /**
   * https://fetch.spec.whatwg.org/#cors-preflight-cache : "there is a method cache entry match for
   * request's method using request" and "a header-name cache entry match" for every unsafe name.
   * Chromium: an entry learned without credentials does not serve a credentialed request.
   */
  private static boolean preflightCacheMatch(Flow f, List<String> unsafeNames) {
    boolean include = f.credentialsInclude();
    for (PreflightCacheEntry e : f.cache) {
      if (!e.origin().equals(f.requestOrigin())
          || !e.url().equals(f.url.serialize())
          || e.expiresAtMillis() <= f.state.nowMillis()) {
        continue;
      }
      if (!e.credentials() && include) {
        return false;
      }
      return CorsCheck.methodAllowed(Set.copyOf(e.methods()), f.method, include)
          && CorsCheck.headerNotAllowed(Set.copyOf(e.headers()), unsafeNames, include).isEmpty();
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // The request itself.

  /**
   * https://fetch.spec.whatwg.org/#http-network-or-cache-fetch : the request as Chromium sends it.
   */
  private static Step httpNetworkFetch(Flow f) {
    List<Header> h = new ArrayList<>();
    h.add(new Header("User-Agent", USER_AGENT));
    h.addAll(f.headers);
    if (f.headers.stream().noneMatch(x -> x.is("Accept"))) {
      h.add(new Header("Accept", "*/*"));
    }
    // "If request's response tainting is "cors" or request's mode is "websocket", or request's
    // method is neither `GET` nor `HEAD`, then append (`Origin`, serializedOrigin)."
    if (f.corsFlag || !(f.method.equals("GET") || f.method.equals("HEAD"))) {
      h.add(new Header("Origin", f.requestOrigin()));
    }
    h.add(new Header("Sec-Fetch-Site", f.secFetchSite()));
    h.add(new Header("Sec-Fetch-Mode", f.request.mode().token()));
    h.add(new Header("Sec-Fetch-Dest", "empty"));
    f.referer().ifPresent(r -> h.add(new Header("Referer", r)));
    if (f.headers.stream().noneMatch(x -> x.is("Accept-Language"))) {
      h.add(new Header("Accept-Language", "en-US,en;q=0.9"));
    }
    OutgoingRequest actual =
        new OutgoingRequest(OutgoingRequest.Kind.ACTUAL, f.method, f.url.serialize(), h);
    return new Step.Send(actual, reply -> onResponse(f, actual, reply));
  }

  private static Step onResponse(Flow before, OutgoingRequest sent, Reply reply) {
    Flow f = before.copy();
    f.exchanges = append(f.exchanges, new Exchange(sent, reply));
    if (reply instanceof NetworkFailure nf) {
      return networkError(f, f.redirects > 0 ? Stage.REDIRECT : Stage.ACTUAL, nf);
    }
    HttpReply r = (HttpReply) reply;
    if (CorsCheck.isRedirect(r)) {
      return httpRedirectFetch(f, r);
    }
    if (r.status() >= 400) {
      f.problems =
          append(
              f.problems,
              new Problem(Rule.ERROR_STATUS, Stage.ACTUAL, null, r.statusLine(), "2xx"));
    }
    // HTTP fetch: "If request's response tainting is "cors" and a CORS check for request and
    // response returns failure, then return a network error."
    if (f.corsFlag) {
      Optional<CorsCheck.Failure> failure =
          CorsCheck.corsCheck(r, f.credentialsInclude(), f.requestOrigin(), Stage.ACTUAL);
      if (failure.isPresent()) {
        f.problems =
            concat(
                CorsCheck.corsCheckProblems(
                    r, f.credentialsInclude(), f.requestOrigin(), Stage.ACTUAL),
                f.problems);
        return blocked(f, Stage.ACTUAL, Blocked.of(failure.get()));
      }
    }
    String networkLine =
        r.status() >= 400
            ? ChromiumMessages.statusLine(r.status(), ResponseHead.reasonPhrase(r.statusLine()))
            : null;
    return done(
        f,
        Outcome.PASS,
        Stage.ACTUAL,
        new ChromeVerdict(null, null, null, null, networkLine, null, null));
  }

  /** https://fetch.spec.whatwg.org/#http-redirect-fetch , with Chromium's order of checks. */
  private static Step httpRedirectFetch(Flow f, HttpReply r) {
    String location = r.combined("Location").orElse("");
    Optional<Url> next = f.url.resolve(location);
    RedirectMode mode = f.request.redirect();
    if (next.isEmpty()) {
      return networkError(
          f, Stage.REDIRECT, new NetworkFailure(NetError.INVALID_REDIRECT, location));
    }
    Url target = next.get();
    if (mode == RedirectMode.FOLLOW) {
      // "If locationURL's scheme is not an HTTP(S) scheme, then return a network error."
      // (Chromium's network stack: net::ERR_UNSAFE_REDIRECT.)
      if (!target.isHttp()) {
        f.problems =
            append(
                f.problems,
                new Problem(Rule.UNSAFE_REDIRECT, Stage.REDIRECT, "Location", location, "http(s)"));
        return networkError(
            f, Stage.REDIRECT, new NetworkFailure(NetError.UNSAFE_REDIRECT, location));
      }
      // "If request's redirect count is 20, then return a network error."
      if (f.redirects >= MAX_REDIRECTS) {
        f.problems =
            append(
                f.problems,
                new Problem(
                    Rule.TOO_MANY_REDIRECTS, Stage.REDIRECT, "Location", location, "at most 20"));
        return networkError(
            f, Stage.REDIRECT, new NetworkFailure(NetError.TOO_MANY_REDIRECTS, location));
      }
    }
    // "request's redirect mode is "error": Set response to a network error."
    if (mode == RedirectMode.ERROR) {
      f.problems =
          append(
              f.problems,
              new Problem(Rule.REDIRECT_MODE_ERROR, Stage.REDIRECT, "Location", location, null));
      return networkError(f, Stage.REDIRECT, new NetworkFailure(NetError.FAILED, location));
    }
    boolean include = f.credentialsInclude();
    // Chromium (CorsURLLoader::OnReceiveRedirect): the redirect response itself passes the CORS
    // check first.
    if (f.corsFlag) {
      Optional<CorsCheck.Failure> failure =
          CorsCheck.corsCheck(r, include, f.requestOrigin(), Stage.REDIRECT);
      if (failure.isPresent()) {
        f.problems =
            concat(
                CorsCheck.corsCheckProblems(r, include, f.requestOrigin(), Stage.REDIRECT),
                f.problems);
        return blocked(f, Stage.REDIRECT, Blocked.of(failure.get()));
      }
    }
    if (mode == RedirectMode.MANUAL) {
      // "request's redirect mode is "manual": Set response to an opaque-redirect filtered
      // response" — the page gets it; Chromium cancels the load (net::ERR_ABORTED).
      return done(
          f,
          Outcome.PASS,
          Stage.REDIRECT,
          new ChromeVerdict(null, null, null, NetError.ABORTED, null, null, null));
    }
    // "If request's mode is "cors", locationURL includes credentials, and request's origin is not
    // same origin with locationURL's origin, then return a network error."
    // "If request's response tainting is "cors" and locationURL includes credentials, then return
    // a network error." Chromium 156 leaves the hint empty.
    if (target.hasCredentials()
        && ((f.request.mode() == RequestMode.CORS
                && (f.tainted || !f.request.origin().sameOrigin(target.origin())))
            || f.corsFlag)) {
      Problem p =
          new Problem(
              Rule.REDIRECT_CONTAINS_CREDENTIALS,
              Stage.REDIRECT,
              "Location",
              location,
              "a URL without user:password@");
      f.problems = prepend(f.problems, p);
      return blocked(
          f, Stage.REDIRECT, new Blocked(CorsError.RedirectContainsCredentials, "", null, null));
    }
    Flow g = f.copy();
    // "If one of the following is true: internalResponse's status is 301 or 302 and request's
    // method is `POST`; internalResponse's status is 303 and request's method is not `GET` or
    // `HEAD` then: Set request's method to `GET` and request's body to null. For each headerName
    // of request-body-header name, delete headerName from request's header list."
    if (((r.status() == 301 || r.status() == 302) && f.method.equals("POST"))
        || (r.status() == 303 && !(f.method.equals("GET") || f.method.equals("HEAD")))) {
      g.method = "GET";
      g.headers =
          f.headers.stream()
              .filter(
                  x ->
                      !(x.is("Content-Encoding")
                          || x.is("Content-Language")
                          || x.is("Content-Location")
                          || x.is("Content-Type")))
              .toList();
    }
    // "If request's current URL's origin is not same origin with locationURL's origin and
    // request's origin is not same origin with request's current URL's origin, then set request's
    // tainted origin flag."
    if (!f.url.origin().sameOrigin(target.origin())
        && (f.tainted || !f.request.origin().sameOrigin(f.url.origin()))) {
      if (!g.tainted && f.request.mode() == RequestMode.CORS) {
        g.problems =
            append(
                g.problems,
                new Problem(
                    Rule.REDIRECT_TAINTS_ORIGIN,
                    Stage.REDIRECT,
                    "Origin",
                    "null",
                    f.request.origin().serialize()));
      }
      g.tainted = true;
    }
    g.redirects++;
    g.url = target;
    return mainFetch(g);
  }

  // ---------------------------------------------------------------------------------------------
  // Local Network Access (https://wicg.github.io/local-network-access/), as Chromium 156 runs it
  // when it connects, before a byte is sent.

  private static Optional<Blocked> localNetworkAccessCheck(Flow f) {
    CorsRequest request = f.request;
    AddressSpace resource = resourceAddressSpace(request, f.url);
    AddressSpace target = request.targetAddressSpace();
    if (target != null && target != resource) {
      f.problems =
          append(
              f.problems,
              new Problem(
                  Rule.TARGET_ADDRESS_SPACE_MISMATCH,
                  Stage.REQUEST,
                  null,
                  resource.word(),
                  target.word()));
      return Optional.of(new Blocked(CorsError.InvalidLocalNetworkAccess, "", target, resource));
    }
    AddressSpace client = clientAddressSpace(request);
    if (client != AddressSpace.UNKNOWN && resource.isMorePrivateThan(client)) {
      if (!isSecureContext(request.origin())) {
        f.problems =
            append(
                f.problems,
                new Problem(
                    Rule.INSECURE_LOCAL_NETWORK_ACCESS,
                    Stage.REQUEST,
                    null,
                    request.origin().serialize(),
                    "a secure context (https or localhost)"));
        return Optional.of(new Blocked(CorsError.InsecureLocalNetwork, "", target, resource));
      }
      if (!request.localNetworkAccessGranted()) {
        f.problems =
            append(
                f.problems,
                new Problem(
                    Rule.LOCAL_NETWORK_ACCESS_DENIED,
                    Stage.REQUEST,
                    null,
                    client.word() + " -> " + resource.word(),
                    "the local network access permission"));
        return Optional.of(
            new Blocked(CorsError.LocalNetworkAccessPermissionDenied, "", target, resource));
      }
    }
    return Optional.empty();
  }

  static AddressSpace resourceAddressSpace(CorsRequest request, Url url) {
    Map<String, AddressSpace> overrides = request.addressSpaceOverrides();
    AddressSpace o = overrides.get(url.hostPort());
    if (o == null && url.host().equals("localhost")) {
      o = overrides.get("[::1]:" + url.effectivePort());
      if (o == null) {
        o = overrides.get("127.0.0.1:" + url.effectivePort());
      }
    }
    return o != null ? o : AddressSpace.ofHost(url.host());
  }

  static AddressSpace clientAddressSpace(CorsRequest request) {
    if (request.clientAddressSpace() != null) {
      return request.clientAddressSpace();
    }
    Origin origin = request.origin();
    if (origin.opaque()) {
      return AddressSpace.UNKNOWN;
    }
    AddressSpace o = request.addressSpaceOverrides().get(origin.host() + ":" + origin.port());
    return o != null ? o : AddressSpace.ofHost(origin.host());
  }

  /**
   * https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy : https/wss, and
   * loopback hosts over http.
   */
  static boolean isSecureContext(Origin origin) {
    if (origin.opaque()) {
      return false;
    }
    if (origin.scheme().equals("https") || origin.scheme().equals("wss")) {
      return true;
    }
    return AddressSpace.ofHost(origin.host()) == AddressSpace.LOOPBACK;
  }

  // ---------------------------------------------------------------------------------------------
  // Verdicts.

  /** A CORS failure as Chromium reports it: the error, its hint, and LNA address spaces. */
  record Blocked(CorsError error, String hint, AddressSpace target, AddressSpace resource) {
    static Blocked of(CorsCheck.Failure failure) {
      return new Blocked(failure.error(), failure.hint(), null, null);
    }
  }

  private static Step blocked(Flow f, Stage stage, Blocked b) {
    String message =
        ChromiumMessages.corsLine(
            f.request.api(),
            f.firstUrl.serialize(),
            f.url.serialize(),
            f.request.origin().serialize(),
            b.error(),
            b.hint(),
            b.target(),
            b.resource());
    ChromeVerdict chrome =
        new ChromeVerdict(
            b.error(),
            ChromiumMessages.cdpFailedParameter(b.hint()),
            message,
            NetError.FAILED,
            ChromiumMessages.networkLine(NetError.FAILED),
            null,
            scriptError(f));
    return done(f, Outcome.BLOCKED, stage, chrome);
  }

  private static Step networkError(Flow f, Stage stage, NetworkFailure nf) {
    f.problems =
        append(f.problems, new Problem(Rule.NETWORK_FAILURE, stage, null, shortDetail(nf), null));
    ChromeVerdict chrome =
        new ChromeVerdict(
            null,
            null,
            null,
            nf.error(),
            ChromiumMessages.networkLine(nf.error()),
            null,
            scriptError(f));
    return done(f, Outcome.NETWORK_ERROR, stage, chrome);
  }

  /** The request never left the page: Chromium refuses it in the renderer. */
  private static Step rejected(
      Flow f, String message, String scriptError, CorsError issue, Problem problem) {
    f.problems = append(f.problems, problem);
    ChromeVerdict chrome = new ChromeVerdict(null, null, message, null, null, issue, scriptError);
    return done(f, Outcome.BLOCKED, Stage.REQUEST, chrome);
  }

  private static Step unsupportedScheme(Flow f) {
    String scheme = f.url.scheme();
    Problem p =
        new Problem(
            Rule.SCHEME_NOT_SUPPORTED, Stage.REQUEST, null, scheme + ":", "http: or https:");
    if (f.request.api() == Api.FETCH) {
      return rejected(
          f,
          ChromiumMessages.fill(
              "fetch.unsupportedScheme", Map.of("url", f.url.serialize(), "scheme", scheme)),
          ChromiumMessages.template("script.fetchFailed"),
          CorsError.CorsDisabledScheme,
          p);
    }
    if (scheme.equals("ftp")) {
      return rejected(f, ChromiumMessages.template("xhr.ftp"), null, null, p);
    }
    String message =
        ChromiumMessages.corsLine(
            f.request.api(),
            f.firstUrl.serialize(),
            f.url.serialize(),
            f.request.origin().serialize(),
            CorsError.CorsDisabledScheme,
            "",
            null,
            null);
    return rejected(f, message, null, CorsError.CorsDisabledScheme, p);
  }

  private static String scriptError(Flow f) {
    return switch (f.request.api()) {
      case FETCH -> ChromiumMessages.template("script.fetchFailed");
      case XHR_SYNC ->
          ChromiumMessages.fill("script.xhrSync", Map.of("url", f.firstUrl.serialize()));
      case XHR -> null;
    };
  }

  private static String shortDetail(NetworkFailure nf) {
    String d = nf.detail();
    int nl = d.indexOf('\n');
    String first = nl < 0 ? d : d.substring(0, nl);
    first = first.strip();
    return first.isEmpty() ? nf.error().chromiumName() : first;
  }

  private static Step done(Flow f, Outcome outcome, Stage stage, ChromeVerdict chrome) {
    List<PreflightCacheEntry> live = new ArrayList<>();
    for (PreflightCacheEntry e : f.cache) {
      if (e.expiresAtMillis() > f.state.nowMillis()) {
        live.add(e);
      }
    }
    BrowserState after = new BrowserState(live, f.state.nowMillis());
    FirefoxVerdict firefox = FirefoxModel.judge(f.request, f.exchanges);
    // "every problem found, the deciding one first": blocking problems, in the order found, before
    // the notes.
    List<Problem> problems = new ArrayList<>(f.problems.size());
    f.problems.stream().filter(p -> p.rule().blocking()).forEach(problems::add);
    f.problems.stream().filter(p -> !p.rule().blocking()).forEach(problems::add);
    return new Step.Done(
        new Verdict(
            outcome,
            stage,
            f.preflightNeeded,
            f.preflightSent,
            chrome,
            firefox,
            problems,
            f.exchanges,
            after));
  }

  /** Whether a failed exchange still reached a server (a refused connection did not). */
  static boolean reachedServer(NetworkFailure nf) {
    return switch (nf.error()) {
      case CONNECTION_REFUSED,
          NAME_NOT_RESOLVED,
          ADDRESS_UNREACHABLE,
          CONNECTION_TIMED_OUT,
          BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS ->
          false;
      default -> true;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Request preparation.

  /**
   * The script's headers as the browser keeps them: forbidden request-headers are dropped ("If name
   * is a forbidden request-header, return"), in "no-cors" mode only no-CORS-safelisted ones stay,
   * and the body's Content-Type is added when the script set none
   * (https://fetch.spec.whatwg.org/#concept-bodyinit-extract).
   */
  private static List<Header> authorHeaders(Flow f) {
    List<Header> out = new ArrayList<>();
    for (Header h : f.request.headers()) {
      if (Safelist.isForbiddenRequestHeader(h.name())) {
        f.problems =
            append(
                f.problems,
                new Problem(
                    Rule.FORBIDDEN_HEADER_DROPPED, Stage.REQUEST, h.name(), h.value(), null));
        continue;
      }
      if (f.request.mode() == RequestMode.NO_CORS
          && !(Safelist.isNoCorsSafelistedRequestHeaderName(h.name())
              && Safelist.isCorsSafelistedRequestHeader(h.name(), h.value()))) {
        continue;
      }
      out.add(h);
    }
    boolean hasContentType = out.stream().anyMatch(h -> h.is("Content-Type"));
    if (!hasContentType && !f.bodyIgnored) {
      String type =
          switch (f.request.body()) {
            case TEXT -> "text/plain;charset=UTF-8";
            case URL_SEARCH_PARAMS -> "application/x-www-form-urlencoded;charset=UTF-8";
            case FORM_DATA -> "multipart/form-data; boundary=" + FORM_BOUNDARY;
            default -> null;
          };
      if (type != null) {
        out.add(new Header("Content-Type", type));
      }
    }
    return List.copyOf(out);
  }

  /** Same site: same scheme and the same registrable domain (approximated: the last two labels). */
  private static boolean sameSite(Origin origin, Url url) {
    if (origin.opaque()) {
      return false;
    }
    return origin.scheme().equals(url.scheme()) && site(origin.host()).equals(site(url.host()));
  }

  private static String site(String host) {
    if (host.startsWith("[") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      return host;
    }
    String[] labels = host.split("\\.");
    if (labels.length <= 2) {
      return host;
    }
    return labels[labels.length - 2] + "." + labels[labels.length - 1];
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> out = new ArrayList<>(list.size() + 1);
    out.addAll(list);
    out.add(item);
    return List.copyOf(out);
  }

  private static <T> List<T> prepend(List<T> list, T item) {
    List<T> out = new ArrayList<>(list.size() + 1);
    out.add(item);
    out.addAll(list);
    return List.copyOf(out);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    if (b.isEmpty()) {
      return a;
    }
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  /**
   * The state of one request on its way. A continuation copies it before changing anything, so a
   * {@link Step} can be answered more than once.
   */
  private static final class Flow {
    final CorsRequest request;
    final BrowserState state;
    List<PreflightCacheEntry> cache;
    String method;
    List<Header> headers = List.of();
    Url firstUrl;
    Url url;
    boolean tainted;
    boolean bodyIgnored;
    boolean corsFlag;
    boolean crossSite;
    int redirects;
    boolean preflightNeeded;
    boolean preflightSent;
    List<Exchange> exchanges = List.of();
    List<Problem> problems = List.of();

    Flow(CorsRequest request, BrowserState state) {
      this.request = request;
      this.state = state;
      this.cache = state.preflightCache();
      this.method = request.method();
    }

    Flow copy() {
      Flow c = new Flow(request, state);
      c.cache = cache;
      c.method = method;
      c.headers = headers;
      c.firstUrl = firstUrl;
      c.url = url;
      c.tainted = tainted;
      c.bodyIgnored = bodyIgnored;
      c.corsFlag = corsFlag;
      c.crossSite = crossSite;
      c.redirects = redirects;
      c.preflightNeeded = preflightNeeded;
      c.preflightSent = preflightSent;
      c.exchanges = exchanges;
      c.problems = problems;
      return c;
    }

    boolean credentialsInclude() {
      return request.credentials() == CredentialsMode.INCLUDE;
    }

    /** https://fetch.spec.whatwg.org/#serializing-a-request-origin : "null" once tainted. */
    String requestOrigin() {
      return tainted ? "null" : request.origin().serialize();
    }

    String secFetchSite() {
      if (request.origin().sameOrigin(url.origin()) && !crossSite && redirects == 0) {
        return "same-origin";
      }
      return crossSite ? "cross-site" : "same-site";
    }

    /** strict-origin-when-cross-origin: the page's origin and "/" (the page URL is unknown). */
    Optional<String> referer() {
      return request.origin().opaque()
          ? Optional.empty()
          : Optional.of(request.origin().serialize() + "/");
    }
  }

  static Set<String> setOf(List<String> list) {
    return new LinkedHashSet<>(list);
  }
}
