package io.corsdoctor.proxy;

import java.time.Instant;
import java.util.List;

/**
 * One exchange through the proxy, as the log shows it.
 *
 * @param time when the request arrived
 * @param method the request method
 * @param path the path and query the browser asked for
 * @param origin the request's Origin header, or null
 * @param status the status the proxy sent (0 when the client went away before one was sent)
 * @param latencyMicros from the request's arrival to the end of the answer
 * @param kind what the proxy did
 * @param changes what the proxy changed, in order
 * @param verdict what the browser decides about the upstream's answer and the proxy's (null when
 *     not a CORS request)
 */
public record ProxyExchange(
    Instant time,
    String method,
    String path,
    String origin,
    int status,
    long latencyMicros,
    Kind kind,
    List<Change> changes,
    BrowserLabel verdict) {

  public ProxyExchange {
    changes = List.copyOf(changes);
  }

  /** What the proxy did with the request. */
  public enum Kind {
    /** Forwarded to the target and answered with its (repaired) response. */
    FORWARDED,
    /** A preflight the proxy answered itself. */
    PREFLIGHT,
    /** The target failed (refused, reset, garbage, timeout): the proxy answered 502/504. */
    UPSTREAM_ERROR,
    /** The proxy refused the request (CONNECT, origin not allowed on a preflight). */
    REFUSED,
    /** A protocol upgrade (WebSocket) tunnelled to the target. */
    TUNNEL
  }

  /**
   * The browser's verdict, from cors-doctor's engine.
   *
   * @param upstream what the browser would decide about the upstream's answer as it was
   *     (pass/blocked), with Chromium's CorsError name when blocked
   * @param upstreamCorsError Chromium's CorsError for the upstream's answer, or null
   * @param proxied what the browser decides about the proxy's answer
   * @param proxiedCorsError Chromium's CorsError for the proxy's answer, or null
   */
  public record BrowserLabel(
      String upstream, String upstreamCorsError, String proxied, String proxiedCorsError) {}
}
