package io.corsdoctor.proxy;

/**
 * One thing the proxy changed (or refused) in an exchange.
 *
 * @param code a stable id for scripts (appears in {@code --format json}; never rename)
 * @param message what happened, in words, naming the exact values
 */
public record Change(Code code, String message) {

  /** Stable ids of the proxy's changes. */
  public enum Code {
    PREFLIGHT_ANSWERED,
    PREFLIGHT_REPAIRED,
    ALLOW_ORIGIN_ADDED,
    ALLOW_ORIGIN_DUPLICATE_REMOVED,
    ALLOW_ORIGIN_REPLACED,
    ALLOW_CREDENTIALS_ADDED,
    ALLOW_CREDENTIALS_REMOVED,
    EXPOSE_HEADERS_MERGED,
    ORIGIN_NOT_ALLOWED,
    LOCATION_REWRITTEN,
    COOKIE_DOMAIN_REMOVED,
    COOKIE_SECURE_REMOVED,
    COOKIE_PATH_REWRITTEN,
    UPSTREAM_UNREACHABLE,
    UPSTREAM_TIMEOUT,
    UPSTREAM_FAILED,
    CLIENT_GONE,
    UPGRADE_TUNNELLED,
    REFUSED_NOT_A_PROXY
  }

  @Override
  public String toString() {
    return message;
  }
}
