package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The response side of the CORS protocol: the CORS check and the checks of a CORS-preflight
 * response, in the order Chromium 156 runs them ({@code cors.cc CheckAccess}, {@code
 * preflight_result.cc}).
 */
public final class CorsCheck {
  private CorsCheck() {}

  /** One failed check: Chromium's CorsError and hint, and the problem for people. */
  record Failure(CorsError error, String hint, Problem problem) {}

  static final String ACAO = "Access-Control-Allow-Origin";
  static final String ACAC = "Access-Control-Allow-Credentials";
  static final String ACAM = "Access-Control-Allow-Methods";
  static final String ACAH = "Access-Control-Allow-Headers";
  static final String MAX_AGE = "Access-Control-Max-Age";

  /**
   * https://fetch.spec.whatwg.org/#cors-check , as Chromium's {@code CheckAccess} words it.
   *
   * <p>"1. Let origin be the result of getting `Access-Control-Allow-Origin` from response's header
   * list. 2. If origin is null, then return failure. 3. If request's credentials mode is not
   * "include" and origin is `*`, then return success. 4. If the result of byte-serializing a
   * request origin with request is not origin, then return failure. 5. If request's credentials
   * mode is not "include", then return success. 6. Let credentials be the result of getting
   * `Access-Control-Allow-Credentials` from response's header list. 7. If credentials is `true`,
   * then return success. 8. Return failure."
   *
   * <p>Several header lines are combined with ", " (so two lines are "multiple values", even when
   * equal). Chromium: `null` matches an opaque request origin (after a cross-origin redirect).
   *
   * @param requestOrigin the serialized request origin (the tainted origin is "null")
   */
  static Optional<Failure> corsCheck(
      HttpReply response, boolean credentialsInclude, String requestOrigin, Stage stage) {
    Optional<String> origin = response.combined(ACAO);
    boolean preflight = stage == Stage.PREFLIGHT;
    if (origin.isPresent() && origin.get().equals("*")) {
      if (!credentialsInclude) {
        return Optional.empty();
      }
      return fail(
          preflight
              ? CorsError.PreflightWildcardOriginNotAllowed
              : CorsError.WildcardOriginNotAllowed,
          "",
          Rule.ALLOW_ORIGIN_WILDCARD_WITH_CREDENTIALS,
          stage,
          ACAO,
          "*",
          requestOrigin);
    }
    if (origin.isEmpty()) {
      return fail(
          preflight
              ? CorsError.PreflightMissingAllowOriginHeader
              : CorsError.MissingAllowOriginHeader,
          "",
          Rule.ALLOW_ORIGIN_MISSING,
          stage,
          ACAO,
          null,
          requestOrigin);
    }
    String value = origin.get();
    if (!value.equals(requestOrigin)) {
      // Chromium words the mismatch more precisely (cors.cc): several values, `null`, a value that
      // is not a URL, or a plain mismatch.
      if (value.indexOf(' ') >= 0 || value.indexOf(',') >= 0) {
        return fail(
            preflight
                ? CorsError.PreflightMultipleAllowOriginValues
                : CorsError.MultipleAllowOriginValues,
            value,
            Rule.ALLOW_ORIGIN_MULTIPLE,
            stage,
            ACAO,
            value,
            requestOrigin);
      }
      if (!value.equals("null") && !Url.isValidGurl(value)) {
        return fail(
            preflight
                ? CorsError.PreflightInvalidAllowOriginValue
                : CorsError.InvalidAllowOriginValue,
            value,
            Rule.ALLOW_ORIGIN_INVALID,
            stage,
            ACAO,
            value,
            requestOrigin);
      }
      return fail(
          preflight ? CorsError.PreflightAllowOriginMismatch : CorsError.AllowOriginMismatch,
          value,
          Rule.ALLOW_ORIGIN_MISMATCH,
          stage,
          ACAO,
          value,
          requestOrigin);
    }
    if (credentialsInclude) {
      // "If credentials is `true`, then return success." (case-sensitive)
      String credentials = response.combined(ACAC).orElse(null);
      if (!"true".equals(credentials)) {
        return fail(
            preflight
                ? CorsError.PreflightInvalidAllowCredentials
                : CorsError.InvalidAllowCredentials,
            credentials == null ? "" : credentials,
            Rule.ALLOW_CREDENTIALS_INVALID,
            stage,
            ACAC,
            credentials,
            "true");
      }
    }
    return Optional.empty();
  }

  /**
   * Every problem of the CORS check, not only the one Chromium reports: when Allow-Origin already
   * fails, a credentialed request still needs `Access-Control-Allow-Credentials: true`, and a
   * server fix must cover both. The first item is {@link #corsCheck}'s.
   */
  static List<Problem> corsCheckProblems(
      HttpReply response, boolean credentialsInclude, String requestOrigin, Stage stage) {
    Optional<Failure> first = corsCheck(response, credentialsInclude, requestOrigin, stage);
    if (first.isEmpty()) {
      return List.of();
    }
    List<Problem> out = new ArrayList<>();
    out.add(first.get().problem());
    String credentials = response.combined(ACAC).orElse(null);
    if (credentialsInclude
        && first.get().problem().rule() != Rule.ALLOW_CREDENTIALS_INVALID
        && !"true".equals(credentials)) {
      out.add(new Problem(Rule.ALLOW_CREDENTIALS_INVALID, stage, ACAC, credentials, "true"));
    }
    return out;
  }

  private static Optional<Failure> fail(
      CorsError error,
      String hint,
      Rule rule,
      Stage stage,
      String header,
      String observed,
      String expected) {
    return Optional.of(
        new Failure(error, hint, new Problem(rule, stage, header, observed, expected)));
  }

  /**
   * https://fetch.spec.whatwg.org/#ok-status : "An ok status is a status in the range 200 to 299,
   * inclusive."
   */
  public static boolean isOkStatus(int status) {
    return status >= 200 && status <= 299;
  }

  /**
   * https://fetch.spec.whatwg.org/#redirect-status : 301, 302, 303, 307, 308 (and 300 with a
   * Location in Chromium).
   */
  public static boolean isRedirectStatus(int status) {
    return status == 300
        || status == 301
        || status == 302
        || status == 303
        || status == 307
        || status == 308;
  }

  /** Whether Chromium follows this response as a redirect: a redirect status with a Location. */
  static boolean isRedirect(HttpReply r) {
    return isRedirectStatus(r.status())
        && r.values("Location").stream().anyMatch(v -> !v.isEmpty());
  }

  /**
   * "Let methods be the result of extracting header list values given
   * `Access-Control-Allow-Methods` and response's header list" — a comma-separated list of tokens;
   * Chromium fails the whole list when one item is not a token. Methods keep their case. Returns
   * null on failure.
   */
  static Set<String> parseAllowList(HttpReply r, String header, boolean lowerCase) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : r.values(header)) {
      for (String item : line.split(",", -1)) {
        String v = ResponseHead.trimLws(item);
        if (v.isEmpty()) {
          continue;
        }
        if (!Safelist.isToken(v)) {
          return null;
        }
        out.add(lowerCase ? v.toLowerCase(Locale.ROOT) : v);
      }
    }
    return out;
  }

  /**
   * The max-age of a preflight response in seconds, or empty when absent or invalid (several lines
   * combine to "600, 0", which is invalid). Chromium then uses its default of 5 seconds and caps at
   * 2 hours.
   */
  static Optional<Long> parseMaxAge(HttpReply r) {
    Optional<String> v = r.combined(MAX_AGE);
    if (v.isPresent()
        && v.get().startsWith("-")
        && AddressSpace.isDigits(v.get().substring(1), 18)) {
      // Chromium reads a negative number as such: the entry expires at once, nothing is cached
      // (browser-truth: "Access-Control-Max-Age: -1" preflights again at once).
      return Optional.of(0L);
    }
    if (v.isEmpty() || !AddressSpace.isDigits(v.get(), 18)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(v.get()));
  }

  /**
   * Step 7 of https://fetch.spec.whatwg.org/#cors-preflight-fetch-0 : "If request's method is not
   * in methods, request's method is not a CORS-safelisted method, and request's credentials mode is
   * "include" or methods does not contain `*`, then return a network error."
   */
  static boolean methodAllowed(Set<String> methods, String method, boolean credentialsInclude) {
    return methods.contains(method)
        || Safelist.isCorsSafelistedMethod(method)
        || (!credentialsInclude && methods.contains("*"));
  }

  /**
   * Step 8: "If one of request's header list's names is a CORS non-wildcard request-header name and
   * is not a byte-case-insensitive match for an item in headerNames, then return a network error."
   * and "For each unsafeName of the CORS-unsafe request-header names with request's header list, if
   * unsafeName is not a byte-case-insensitive match for an item in headerNames and request's
   * credentials mode is "include" or headerNames does not contain `*`, return a network error."
   * Chromium 156 skips the first rule (Authorization passes under `*` with a deprecation issue).
   * Returns the name Chromium reports, or empty when all are allowed. Chromium 156 reports the last
   * name that is not allowed in sorted order (browser-truth: X-Mid, X-Alpha and X-Zeta against
   * "Access-Control-Allow-Headers: X-Zeta" give {@code x-mid}).
   */
  static Optional<String> headerNotAllowed(
      Set<String> allowed, List<String> unsafeNames, boolean credentialsInclude) {
    if (!credentialsInclude && allowed.contains("*")) {
      return Optional.empty();
    }
    String reported = null;
    for (String name : unsafeNames) {
      if (!allowed.contains(name)) {
        reported = name;
      }
    }
    return Optional.ofNullable(reported);
  }

  /** The unsafe names a wildcard does not cover in the standard and Firefox: Authorization. */
  static List<String> nonWildcardNames(Set<String> allowed, List<String> unsafeNames) {
    List<String> out = new ArrayList<>();
    if (allowed.contains("*")
        && unsafeNames.contains("authorization")
        && !allowed.contains("authorization")) {
      out.add("authorization");
    }
    return out;
  }
}
