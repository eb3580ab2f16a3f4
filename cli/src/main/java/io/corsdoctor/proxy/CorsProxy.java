package io.corsdoctor.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A running (or startable) proxy: one listener, one target. On Linux with a plain-http target the
 * browser's connections go to the epoll front ({@link NettyFront}), which hands what it does not
 * forward itself to the Jetty server on a loopback port; elsewhere the Jetty server listens itself.
 */
public final class CorsProxy implements AutoCloseable {
  private final ProxySettings settings;
  private final CorsRules rules;
  private final TargetAddresses addresses;
  private final Server server;
  private final ServerConnector connector;
  private final CorsProxyHandler handler;
  private final boolean epoll;
  private NettyFront front;

  /** Which server accepts the browser's connections. */
  enum Front {
    /** The epoll front ({@link NettyFront}) where it runs (Linux, http target), else Jetty. */
    AUTO,
    /** Jetty alone (the only choice on macOS and Windows, and for https targets). */
    JETTY
  }

  /**
   * The front the command uses: {@code -Dcorsdoctor.proxy.front=jetty} turns the epoll front off (a
   * way out should it misbehave, and the benchmark's comparison).
   */
  static Front defaultFront() {
    return "jetty".equalsIgnoreCase(System.getProperty("corsdoctor.proxy.front"))
        ? Front.JETTY
        : Front.AUTO;
  }

  private CorsProxy(
      ProxySettings settings,
      CorsRules rules,
      TargetAddresses addresses,
      Consumer<ProxyExchange> sink,
      Front wanted) {
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
    this.epoll =
        wanted == Front.AUTO
            && settings.target().getScheme().equalsIgnoreCase("http")
            && NettyFront.available();
    if (epoll) {
      // Only the front connects here, each connection starting with a PROXY line naming the
      // browser (its address is the one Forwarded and the logs show).
      this.connector =
          new ServerConnector(
              server,
              1,
              1,
              new ProxyConnectionFactory(HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(http));
      connector.setHost("127.0.0.1");
      connector.setPort(0);
    } else {
      this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
      connector.setHost(settings.listenHost());
      connector.setPort(settings.listenPort());
    }
    connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
    connector.setAcceptQueueSize(4096);
    server.addConnector(connector);
    this.handler = new CorsProxyHandler(settings, rules, addresses, sink);
    server.setHandler(handler);
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
    return create(settings, sink, defaultFront());
  }

  /** As {@link #create(ProxySettings, Consumer)}, with the front chosen (tests: both). */
  static CorsProxy create(ProxySettings settings, Consumer<ProxyExchange> sink, Front front)
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
    return new CorsProxy(settings, rules, addresses, sink, front);
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
    return new CorsProxy(settings, rules, addresses, sink, defaultFront());
  }

  public CorsProxy start() throws Exception {
    if (!epoll) {
      server.start();
      return this;
    }
    // The front's classes, native library and loops load while Jetty starts (about half a second
    // of a cold, C2-only JVM each).
    FutureTask<NettyFront> building =
        new FutureTask<>(() -> new NettyFront(settings, handler, addresses, loops()));
    Thread t = new Thread(building, "cors-doctor-front-start");
    t.setDaemon(true);
    t.start();
    try {
      server.start();
      front = building.get();
      front.start(new InetSocketAddress("127.0.0.1", connector.getLocalPort()));
    } catch (Exception e) {
      if (front == null) {
        try {
          front = building.get(); // built meanwhile: its loops must end too
        } catch (ExecutionException | InterruptedException ignored) {
          // nothing was built
        }
      }
      close();
      throw e instanceof ExecutionException && e.getCause() instanceof Exception cause ? cause : e;
    }
    return this;
  }

  /**
   * Event loops of the front: one per two cores, at most 4 ({@code -Dcorsdoctor.proxy.loops=N} to
   * change it). A browser connection and its target connections share one loop. The proxy shares
   * the machine with the browser and the target: on 2 cores one loop (about 40k small answers a
   * second) kept p99 lower than two that compete with them (bench/proxy/RESULTS.md).
   */
  private static int loops() {
    int cores = Runtime.getRuntime().availableProcessors();
    return Integer.getInteger("corsdoctor.proxy.loops", Math.max(1, Math.min(cores / 2, 4)));
  }

  /** The port the proxy listens on (the one picked when the settings said 0). */
  public int port() {
    return front != null ? front.port() : connector.getLocalPort();
  }

  CorsProxyHandler handler() {
    return handler;
  }

  /** Browser connections the epoll front handed to Jetty so far (tests). */
  long tunnelled() {
    return front == null ? 0 : front.tunnels.sum();
  }

  /** Whether the epoll front accepts the browser's connections (else Jetty does). */
  public boolean epollFront() {
    return front != null;
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
    if (front != null) {
      front.close();
    }
    try {
      server.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // Connections still open after the stop timeout were closed: the server is stopped.
    }
  }
}
