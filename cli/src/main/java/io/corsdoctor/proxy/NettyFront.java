package io.corsdoctor.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The epoll front of the proxy (Linux): accepts the browser's connections on Netty's native
 * transport and forwards the lean requests (no body, plain-http target) itself, over keep-alive
 * connections to the target that live on the same event loop as the browser's connection (no thread
 * hand-off, no lock: {@link FrontConnection}). Everything else (bodies, upgrades, event streams,
 * anything unusual) goes as a byte tunnel, with a PROXY protocol line naming the browser, to the
 * Jetty server listening on a loopback port of its own, which handles it as before.
 *
 * <p>Jetty costs about 21 µs of CPU per small request on its server side alone, as much as nginx's
 * whole proxying; this front does the same exchange in a fraction of it (bench/proxy/RESULTS.md).
 */
final class NettyFront implements AutoCloseable {
  /** Connections to the target per event loop, busy or connecting; more requests wait. */
  static final int MAX_UPSTREAM_PER_LOOP = 256;

  /** Idle connections to the target kept per event loop. */
  static final int MAX_IDLE_PER_LOOP = 128;

  final ProxySettings settings;
  final CorsProxyHandler handler;
  final TargetAddresses addresses;

  /** Jetty's loopback port: set by {@link #start}, before the first connection. */
  InetSocketAddress jetty;

  final String hostHeader;

  /** Browser connections handed to Jetty as a tunnel (tests: which path served what). */
  final LongAdder tunnels = new LongAdder();

  private final EventLoopGroup group;
  private final Map<EventExecutor, UpstreamChannels> pools;
  private final ServerBootstrap bootstrap;
  private Channel server;

  static {
    // Netty's leak detector samples buffers with a stack trace each (about 1% of the front's CPU),
    // and its reports would go to a silent logger here anyway. -Dio.netty.leakDetection.level wins.
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /** Whether this machine can run the front (Linux with the native epoll library). */
  static boolean available() {
    return Epoll.isAvailable();
  }

  NettyFront(
      ProxySettings settings, CorsProxyHandler handler, TargetAddresses addresses, int loops) {
    this.settings = settings;
    this.handler = handler;
    this.addresses = addresses;
    this.hostHeader = settings.target().getRawAuthority();
    this.group =
        new MultiThreadIoEventLoopGroup(
            loops,
            new DefaultThreadFactory("cors-doctor-front", true),
            EpollIoHandler.newFactory());
    Map<EventExecutor, UpstreamChannels> m = new HashMap<>();
    for (EventExecutor e : group) {
      m.put(e, new UpstreamChannels(this, (EventLoop) e));
    }
    this.pools = Map.copyOf(m);
    this.bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(new FrontConnection.Initializer(this));
    // Loaded here, off the starting thread, rather than on the first connection.
    PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
    new FrontConnection(this);
  }

  /**
   * Binds the listen address; tunnels go to {@code jetty}. Returns the port bound. The constructor
   * does the slow part (classes, the native library, the loops) on a thread of its own while Jetty
   * starts ({@link CorsProxy#start}).
   */
  int start(InetSocketAddress jetty) throws IOException {
    this.jetty = jetty;
    try {
      server =
          bootstrap
              .bind(new InetSocketAddress(settings.listenHost(), settings.listenPort()))
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      // Netty rethrows the native bind error unchecked; the command expects an IOException.
      BindException be = new BindException(e.getMessage());
      be.initCause(e);
      throw be;
    }
    return port();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The pool of target connections of the event loop that runs {@code loop}. */
  UpstreamChannels pool(EventLoop loop) {
    return pools.get(loop);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
