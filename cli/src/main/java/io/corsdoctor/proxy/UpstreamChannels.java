package io.corsdoctor.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The keep-alive connections to the target of one event loop of the {@link NettyFront}, as nginx's
 * upstream {@code keepalive} pool: only that loop's thread touches them, so there is no lock.
 * Reused newest first, dropped after a short idle time (below Node's 5 s keep-alive timeout); at
 * most {@link NettyFront#MAX_UPSTREAM_PER_LOOP} at once, further requests wait for one.
 */
final class UpstreamChannels {
  private static final long MAX_IDLE_NANOS = Duration.ofSeconds(4).toNanos();

  private final NettyFront front;
  private final Bootstrap bootstrap;
  private final ArrayDeque<Link> idle = new ArrayDeque<>();
  private final ArrayDeque<FrontConnection> waiting = new ArrayDeque<>();
  private int busy;

  private final EventLoop loop;
  private final ArrayList<Channel> toFlush = new ArrayList<>();
  private final Runnable flushAll = this::flushAll;

  /** Reads plain heads for this event loop's browser connections (its thread only). */
  final HeadScanner scanner = new HeadScanner();

  UpstreamChannels(NettyFront front, EventLoop loop) {
    this.front = front;
    this.loop = loop;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(EpollSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            // Reads grow to 256 KiB on large answers: a 1 MB body in 4 reads and writes, not 16
            // (as UpstreamPool.BUFFER_BYTES); small answers keep small buffers.
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new AdaptiveRecvByteBufAllocator(512, 2048, UpstreamPool.BUFFER_BYTES));
  }

  /**
   * Flushes {@code c} once this round of the event loop has handled every socket that was ready:
   * the answers and requests of a round leave together, so each browser and the target are woken
   * once per round rather than once per message, and the loop is not preempted by the process it
   * just woke after each write (on two cores that cost the loop an eighth of its time).
   */
  void flushLater(Channel c) {
    if (toFlush.isEmpty()) {
      loop.execute(flushAll);
    }
    toFlush.add(c);
  }

  private void flushAll() {
    // Indexed: a flush may lead to another flushLater, which joins this round.
    for (int i = 0; i < toFlush.size(); i++) {
      toFlush.get(i).flush();
    }
    toFlush.clear();
  }

  /**
   * Hands {@code f} a connection ({@link FrontConnection#upstreamReady}), now or when one frees.
   */
  void acquire(FrontConnection f) {
    long now = System.nanoTime();
    Link u;
    while ((u = idle.pollFirst()) != null) {
      if (u.channel.isActive() && now - u.idleSince < MAX_IDLE_NANOS) {
        busy++;
        f.upstreamReady(u, true);
        return;
      }
      u.channel.close();
    }
    if (busy >= NettyFront.MAX_UPSTREAM_PER_LOOP) {
      waiting.addLast(f);
      return;
    }
    connect(f);
  }

  /**
   * Opens a new connection for {@code f}, over the first of the target's addresses that accepts.
   */
  void connect(FrontConnection f) {
    busy++;
    connect(f, front.addresses.ordered(), 0, null);
  }

  private void connect(FrontConnection f, List<InetSocketAddress> all, int i, Throwable last) {
    if (i >= all.size()) {
      busy--;
      f.upstreamFailed(last != null ? last : new ConnectException("the target has no address"));
      return;
    }
    Link u = new Link(this);
    bootstrap
        .clone()
        .handler(u)
        .connect(all.get(i))
        .addListener(
            (ChannelFuture cf) -> {
              if (cf.isSuccess()) {
                f.upstreamReady(u, false);
              } else {
                connect(f, all, i + 1, cf.cause());
              }
            });
  }

  /** Forgets a waiting requester (its browser went away). */
  void cancel(FrontConnection f) {
    waiting.remove(f);
  }

  /**
   * Gives back a connection after an exchange: kept when {@code reusable} (and there is room), else
   * closed; a waiting requester gets it, or a new one in its place.
   */
  void release(Link u, boolean reusable) {
    busy--;
    u.owner = null;
    if (!reusable || !u.channel.isActive()) {
      u.channel.close();
      u = null;
    }
    FrontConnection w = waiting.pollFirst();
    if (w != null) {
      if (u != null) {
        busy++;
        w.upstreamReady(u, true);
      } else {
        connect(w);
      }
      return;
    }
    if (u != null) {
      if (idle.size() >= NettyFront.MAX_IDLE_PER_LOOP) {
        u.channel.close();
      } else {
        u.idleSince = System.nanoTime();
        idle.addFirst(u);
      }
    }
  }

  /** One connection to the target; its owner is the browser connection it serves, if any. */
  static final class Link extends ChannelInboundHandlerAdapter {
    private final UpstreamChannels pool;
    Channel channel;
    FrontConnection owner;
    Throwable failure;
    private long idleSince;
    private LeanForwarder.Answer answer;

    Link(UpstreamChannels pool) {
      this.pool = pool;
    }

    /** The connection's answer parser (kept for its header cache), ready for the next answer. */
    LeanForwarder.Answer answer(boolean headRequest) {
      if (answer == null) {
        answer = new LeanForwarder.Answer();
      }
      return answer.next(headRequest);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (owner != null) {
        owner.upstreamRead(this, (ByteBuf) msg);
      } else {
        // Bytes nobody asked for: the connection is no longer in a known state.
        ((ByteBuf) msg).release();
        ctx.close();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (owner != null) {
        owner.upstreamReadComplete();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (owner != null) {
        owner.upstreamClosed(this);
      } else {
        pool.idle.remove(this);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      ctx.close();
    }
  }
}
