package io.corsdoctor.proxy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** A running (or startable) proxy: one Jetty server, one listener, one target. */
public final class CorsProxy implements AutoCloseable {
  private final ProxySettings settings;
  private final CorsRules rules;
  private final TargetAddresses addresses;
  private final Server server;
  private final ServerConnector connector;

  private CorsProxy(
      ProxySettings settings,
      CorsRules rules,
      TargetAddresses addresses,
      Consumer<ProxyExchange> sink) {
    this.settings = settings;
    this.rules = rules;
    this.addresses = addresses;
    QueuedThreadPool pool = new QueuedThreadPool(400, 8);
    pool.setName("cors-doctor-proxy");
    pool.setDaemon(true);
    this.server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    http.setSendXPoweredBy(false);
    http.setUriCompliance(UriCompliance.LEGACY);
    http.setRelativeRedirectAllowed(true);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(settings.listenHost());
    connector.setPort(settings.listenPort());
    connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    server.setHandler(new CorsProxyHandler(settings, rules, addresses, sink));
    server.setStopTimeout(2000);
  }

  /**
   * Checks the settings, probes the target's addresses and builds the proxy (not started).
   *
   * @throws IllegalArgumentException when the settings are contradictory (the message says why)
   * @throws UnknownHostException when the target's host does not resolve
   */
  public static CorsProxy create(ProxySettings settings, Consumer<ProxyExchange> sink)
      throws UnknownHostException {
    URI t = settings.target();
    if (t.getScheme() == null
        || !(t.getScheme().equalsIgnoreCase("http") || t.getScheme().equalsIgnoreCase("https"))
        || t.getHost() == null) {
      throw new IllegalArgumentException(
          "--target " + t + " is not an http:// or https:// URL with a host");
    }
    CorsRules rules =
        new CorsRules(
            settings.allowedOrigins(),
            settings.allowCredentials(),
            settings.preflightMaxAge().toSeconds());
    int port = t.getPort() != -1 ? t.getPort() : t.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    TargetAddresses addresses = TargetAddresses.probe(t.getHost(), port, Duration.ofSeconds(1));
    return new CorsProxy(settings, rules, addresses, sink);
  }

  /** As {@link #create}, with the target host's addresses given (tests: both families). */
  static CorsProxy create(
      ProxySettings settings, Consumer<ProxyExchange> sink, List<InetAddress> targetAddresses) {
    URI t = settings.target();
    CorsRules rules =
        new CorsRules(
            settings.allowedOrigins(),
            settings.allowCredentials(),
            settings.preflightMaxAge().toSeconds());
    TargetAddresses addresses =
        TargetAddresses.probe(targetAddresses, t.getPort(), Duration.ofSeconds(1));
    return new CorsProxy(settings, rules, addresses, sink);
  }

  public CorsProxy start() throws Exception {
    server.start();
    return this;
  }

  /** The port the proxy listens on (the one picked when the settings said 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public ProxySettings settings() {
    return settings;
  }

  public TargetAddresses addresses() {
    return addresses;
  }

  /** Words for the start-up banner: which origins get CORS headers. */
  public String allows() {
    return rules.describe();
  }

  /** Whether the listen address is a loopback address (only this machine can connect). */
  public static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // Connections still open after the stop timeout were closed: the server is stopped.
    }
  }
}
