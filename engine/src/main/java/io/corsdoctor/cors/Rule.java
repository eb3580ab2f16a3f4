package io.corsdoctor.cors;

/**
 * Stable ids of the problems the engine finds. They appear in JSON: add, never rename.
 *
 * <p>(Filled in by the engine; this list is the single source of truth for problem ids.)
 */
public enum Rule {
  ALLOW_ORIGIN_MISSING,
  ALLOW_ORIGIN_MULTIPLE,
  ALLOW_ORIGIN_INVALID,
  ALLOW_ORIGIN_MISMATCH,
  ALLOW_ORIGIN_WILDCARD_WITH_CREDENTIALS,
  ALLOW_CREDENTIALS_INVALID,
  PREFLIGHT_STATUS_NOT_OK,
  PREFLIGHT_REDIRECT,
  METHOD_NOT_ALLOWED,
  HEADER_NOT_ALLOWED,
  ALLOW_METHODS_UNPARSABLE,
  ALLOW_HEADERS_UNPARSABLE,
  AUTHORIZATION_NOT_COVERED_BY_WILDCARD,
  REDIRECT_CONTAINS_CREDENTIALS,
  NETWORK_FAILURE,
  /** mode "same-origin" to another origin. */
  DISALLOWED_BY_MODE,
  /** A URL scheme the request cannot use (ftp:, file:, ...). */
  SCHEME_NOT_SUPPORTED,
  /** mode "no-cors" with a method that is not GET, HEAD or POST. */
  METHOD_NOT_ALLOWED_IN_NO_CORS,
  /** mode "no-cors" with a redirect mode other than "follow". */
  NO_CORS_REDIRECT_MODE_NOT_FOLLOW,
  /** CONNECT, TRACE or TRACK. */
  FORBIDDEN_METHOD,
  /** The script set a header the browser never sends (Origin, Cookie, Sec-*...). */
  FORBIDDEN_HEADER_DROPPED,
  /**
   * Local Network Access: a less private page reaches a more private address without permission.
   */
  LOCAL_NETWORK_ACCESS_DENIED,
  /** Local Network Access: a page that is not a secure context reaches a more private address. */
  INSECURE_LOCAL_NETWORK_ACCESS,
  /** fetch's targetAddressSpace differs from the address space the server is in. */
  TARGET_ADDRESS_SPACE_MISMATCH,
  /** redirect mode "error" and the server redirected. */
  REDIRECT_MODE_ERROR,
  /** More than 20 redirects. */
  TOO_MANY_REDIRECTS,
  /** A redirect to a scheme that is not http(s) (data:, file:, ...). */
  UNSAFE_REDIRECT,
  /** The actual request was redirected; cross-origin, this makes the request's origin "null". */
  REDIRECT_TAINTS_ORIGIN,
  /** fetch() with a body on GET or HEAD. */
  BODY_NOT_ALLOWED,
  /** Access-Control-Max-Age is not a number (or appears twice); Chromium caches for 5 s. */
  MAX_AGE_INVALID,
  /** Access-Control-Allow-Headers: * while credentials are included: the * is a literal name. */
  WILDCARD_WITH_CREDENTIALS_IGNORED,
  /** The response passed CORS but its status is 4xx or 5xx: the page sees an error status. */
  ERROR_STATUS
}
