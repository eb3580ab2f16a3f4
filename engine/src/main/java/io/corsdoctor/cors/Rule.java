package io.corsdoctor.cors;

/**
 * Stable ids of the problems the engine finds. They appear in JSON: add, never rename.
 *
 * <p>This list is the single source of truth for problem ids. {@link #blocking()} tells whether the
 * problem, found at the deciding stage, makes Chromium fail the request; the others are notes (a
 * deviation of another browser, a cache surprise, a server error behind a passing CORS check).
 */
public enum Rule {
  /** No Access-Control-Allow-Origin on the response. */
  ALLOW_ORIGIN_MISSING(true),
  /** Several Allow-Origin values (one line with a comma or space, or several lines). */
  ALLOW_ORIGIN_MULTIPLE(true),
  /** An Allow-Origin value that is not a URL (empty, non-ASCII bytes...). */
  ALLOW_ORIGIN_INVALID(true),
  /** An Allow-Origin value that is not the request's origin (trailing slash, other host...). */
  ALLOW_ORIGIN_MISMATCH(true),
  /** Allow-Origin `*` on a request with credentials. */
  ALLOW_ORIGIN_WILDCARD_WITH_CREDENTIALS(true),
  /** A credentialed request without `Access-Control-Allow-Credentials: true` (exactly). */
  ALLOW_CREDENTIALS_INVALID(true),
  /** The preflight's status is not 200-299. */
  PREFLIGHT_STATUS_NOT_OK(true),
  /** The preflight was answered with a redirect. */
  PREFLIGHT_REDIRECT(true),
  /** The method is not in Access-Control-Allow-Methods (compared case-sensitively). */
  METHOD_NOT_ALLOWED(true),
  /** A request header is not in Access-Control-Allow-Headers. */
  HEADER_NOT_ALLOWED(true),
  /** Access-Control-Allow-Methods is not a list of tokens. */
  ALLOW_METHODS_UNPARSABLE(true),
  /** Access-Control-Allow-Headers is not a list of tokens. */
  ALLOW_HEADERS_UNPARSABLE(true),
  /**
   * Authorization covered only by `Access-Control-Allow-Headers: *`: the standard and Firefox block
   * it, Chromium 156 lets it through with a deprecation issue.
   */
  AUTHORIZATION_NOT_COVERED_BY_WILDCARD(false),
  /** A cross-origin redirect to a URL with user:password@. */
  REDIRECT_CONTAINS_CREDENTIALS(true),
  /** Refused, reset, empty or non-HTTP reply, timeout, TLS: the browser fails before CORS. */
  NETWORK_FAILURE(true),
  /** mode "same-origin" to another origin. */
  DISALLOWED_BY_MODE(true),
  /** A URL scheme the request cannot use (ftp:, file:, ...). */
  SCHEME_NOT_SUPPORTED(true),
  /** mode "no-cors" with a method that is not GET, HEAD or POST. */
  METHOD_NOT_ALLOWED_IN_NO_CORS(true),
  /** mode "no-cors" with a redirect mode other than "follow". */
  NO_CORS_REDIRECT_MODE_NOT_FOLLOW(true),
  /** CONNECT, TRACE or TRACK. */
  FORBIDDEN_METHOD(true),
  /** The script set a header the browser never sends (Origin, Cookie, Sec-*...). */
  FORBIDDEN_HEADER_DROPPED(false),
  /**
   * Local Network Access: a less private page reaches a more private address without permission.
   */
  LOCAL_NETWORK_ACCESS_DENIED(true),
  /** Local Network Access: a page that is not a secure context reaches a more private address. */
  INSECURE_LOCAL_NETWORK_ACCESS(true),
  /** fetch's targetAddressSpace differs from the address space the server is in. */
  TARGET_ADDRESS_SPACE_MISMATCH(true),
  /** redirect mode "error" and the server redirected. */
  REDIRECT_MODE_ERROR(true),
  /** More than 20 redirects. */
  TOO_MANY_REDIRECTS(true),
  /** A redirect to a scheme that is not http(s) (data:, file:, ...). */
  UNSAFE_REDIRECT(true),
  /** The actual request was redirected cross-origin: from there on its origin is "null". */
  REDIRECT_TAINTS_ORIGIN(false),
  /** Access-Control-Max-Age is not a number (or appears twice); Chromium caches for 5 s. */
  MAX_AGE_INVALID(false),
  /** `*` in Allow-Methods/Allow-Headers while credentials are included: it is a literal name. */
  WILDCARD_WITH_CREDENTIALS_IGNORED(false),
  /** The response passed CORS but its status is 4xx or 5xx: the page sees an error status. */
  ERROR_STATUS(false),
  /** fetch() with a body on GET or HEAD. */
  BODY_NOT_ALLOWED(true);

  private final boolean blocking;

  Rule(boolean blocking) {
    this.blocking = blocking;
  }

  /** Whether this problem, where it is found, makes Chromium fail the request. */
  public boolean blocking() {
    return blocking;
  }
}
