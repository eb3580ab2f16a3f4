package io.corsdoctor.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the proxy does.
 *
 * @param target where every request goes: scheme, host, port and an optional base path
 * @param listenHost the address to bind (loopback unless the user names another)
 * @param listenPort the port to bind (0 picks a free one)
 * @param allowedOrigins the origins that get CORS headers, exactly as browsers send them; {@code *}
 *     alone means any origin without credentials
 * @param allowCredentials whether to send {@code Access-Control-Allow-Credentials: true}
 * @param passPreflight forward preflights to the target and repair the answer, instead of answering
 *     them in the proxy
 * @param upstreamTimeout how long the target may stay silent before the proxy answers 504
 * @param preflightMaxAge the {@code Access-Control-Max-Age} of the proxy's preflight answers
 */
public record ProxySettings(
    URI target,
    String listenHost,
    int listenPort,
    List<String> allowedOrigins,
    boolean allowCredentials,
    boolean passPreflight,
    Duration upstreamTimeout,
    Duration preflightMaxAge) {

  public ProxySettings {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(listenHost, "listenHost");
    allowedOrigins = List.copyOf(allowedOrigins);
    Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
    Objects.requireNonNull(preflightMaxAge, "preflightMaxAge");
  }

  /** Settings with the defaults the command uses. */
  public static ProxySettings of(URI target, List<String> allowedOrigins) {
    return new ProxySettings(
        target,
        "127.0.0.1",
        0,
        allowedOrigins,
        false,
        false,
        Duration.ofSeconds(30),
        Duration.ofSeconds(60));
  }

  public ProxySettings withListen(String host, int port) {
    return new ProxySettings(
        target,
        host,
        port,
        allowedOrigins,
        allowCredentials,
        passPreflight,
        upstreamTimeout,
        preflightMaxAge);
  }

  public ProxySettings withCredentials(boolean credentials) {
    return new ProxySettings(
        target,
        listenHost,
        listenPort,
        allowedOrigins,
        credentials,
        passPreflight,
        upstreamTimeout,
        preflightMaxAge);
  }

  public ProxySettings withPassPreflight(boolean pass) {
    return new ProxySettings(
        target,
        listenHost,
        listenPort,
        allowedOrigins,
        allowCredentials,
        pass,
        upstreamTimeout,
        preflightMaxAge);
  }

  public ProxySettings withUpstreamTimeout(Duration timeout) {
    return new ProxySettings(
        target,
        listenHost,
        listenPort,
        allowedOrigins,
        allowCredentials,
        passPreflight,
        timeout,
        preflightMaxAge);
  }
}
