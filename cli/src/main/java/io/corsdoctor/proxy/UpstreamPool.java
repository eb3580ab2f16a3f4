package io.corsdoctor.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to the target for the lean forwarding path, as nginx's upstream {@code
 * keepalive} pool: blocking channels with 256 KiB direct buffers (the kernel reads into them, Jetty
 * writes them out: no copy on the heap), reused newest first, dropped after a short idle time
 * (below Node's 5 s keep-alive timeout) so a reused connection is rarely one the target already
 * closed.
 *
 * <p>Blocking reads and writes have no timeout of their own: one daemon thread closes any
 * connection whose read or write has waited longer than the upstream timeout, and the reader sees a
 * {@link SocketTimeoutException}.
 */
final class UpstreamPool implements AutoCloseable {
  /**
   * Per connection: a 1 MB answer takes 4 reads and writes instead of 16 with 64 KiB (a third less
   * CPU per megabyte, bench/proxy/RESULTS.md).
   */
  static final int BUFFER_BYTES = 256 * 1024;

  /** Idle connections kept (nginx's {@code keepalive 128} in the benchmark). */
  static final int MAX_IDLE = 128;

  private static final long MAX_IDLE_NANOS = Duration.ofSeconds(4).toNanos();

  /**
   * Buffers of closed connections kept for the next ones: a target that closes after every answer
   * (Flask's HTTP/1.0 dev server) would otherwise cost a new 256 KiB direct buffer per request,
   * freed only when the collector gets to it.
   */
  static final int MAX_SPARE_BUFFERS = 32;

  private final ConcurrentLinkedQueue<ByteBuffer> spare = new ConcurrentLinkedQueue<>();
  private final AtomicInteger spareCount = new AtomicInteger();
  private final AtomicInteger allocated = new AtomicInteger();
  private final TargetAddresses addresses;
  private final int connectTimeoutMillis;
  private final long readTimeoutNanos;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Thread watchdog;
  private volatile boolean closed;

  UpstreamPool(TargetAddresses addresses, Duration connectTimeout, Duration readTimeout) {
    this.addresses = addresses;
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    this.readTimeoutNanos = readTimeout.toNanos();
    this.watchdog = new Thread(this::watch, "cors-doctor-upstream-timeouts");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** An idle connection to the target, or null when there is none to reuse. */
  Connection pooled() {
    long now = System.nanoTime();
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      idleCount.decrementAndGet();
      if (now - c.idleSince < MAX_IDLE_NANOS && c.channel.isOpen()) {
        return c;
      }
      c.close();
    }
    return null;
  }

  /** A new connection, over the first of the target's addresses that accepts one. */
  Connection connect() throws IOException {
    IOException last = null;
    List<InetSocketAddress> all = addresses.ordered();
    for (InetSocketAddress a : all) {
      SocketChannel ch = SocketChannel.open();
      try {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.socket().connect(a, connectTimeoutMillis);
        Connection c = new Connection(ch);
        open.add(c);
        if (closed) {
          c.close();
          throw new IOException("the proxy is stopping");
        }
        return c;
      } catch (IOException e) {
        ch.close();
        last = e;
      }
    }
    throw last != null ? last : new java.net.ConnectException("the target has no address");
  }

  /** Gives a connection back after a complete exchange; it is closed when the pool is full. */
  void release(Connection c) {
    if (closed || !c.channel.isOpen() || idleCount.get() >= MAX_IDLE) {
      c.close();
      return;
    }
    c.buffer.clear().flip();
    c.idleSince = System.nanoTime();
    idleCount.incrementAndGet();
    idle.offerFirst(c);
  }

  int openConnections() {
    return open.size();
  }

  /** Buffers allocated so far (tests: spares are reused). */
  int buffersAllocated() {
    return allocated.get();
  }

  private ByteBuffer buffer() {
    ByteBuffer b = spare.poll();
    if (b == null) {
      allocated.incrementAndGet();
      return ByteBuffer.allocateDirect(BUFFER_BYTES).flip();
    }
    spareCount.decrementAndGet();
    return b.clear().flip();
  }

  private void giveBack(ByteBuffer b) {
    if (spareCount.incrementAndGet() <= MAX_SPARE_BUFFERS) {
      spare.offer(b);
    } else {
      spareCount.decrementAndGet();
    }
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (Connection c : open) {
        long since = c.waitingSince;
        if (since != 0 && now - since > readTimeoutNanos) {
          c.timedOut = true;
          c.abort();
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    watchdog.interrupt();
    for (Connection c : open) {
      c.abort();
    }
  }

  /** One connection to the target, with its read buffer (flush mode: position..limit unread). */
  final class Connection {
    final SocketChannel channel;
    final ByteBuffer buffer = buffer();
    private boolean bufferReturned;
    private volatile long waitingSince;
    private volatile boolean timedOut;
    private long idleSince;
    private LeanForwarder.Answer answer;

    private Connection(SocketChannel channel) {
      this.channel = channel;
    }

    /** The connection's answer parser, ready for the next answer. */
    LeanForwarder.Answer answer(boolean headRequest) {
      if (answer == null) {
        answer = new LeanForwarder.Answer();
      }
      return answer.next(headRequest);
    }

    /**
     * Reads what the target sent next into the buffer, keeping what is still unread.
     *
     * @return the bytes read, -1 at the end of the stream
     * @throws SocketTimeoutException when the target stayed silent longer than the timeout
     */
    int read() throws IOException {
      buffer.compact();
      waitingSince = System.nanoTime() | 1;
      try {
        return channel.read(buffer);
      } catch (AsynchronousCloseException e) {
        if (timedOut) {
          throw new SocketTimeoutException("the target stayed silent");
        }
        throw e;
      } finally {
        waitingSince = 0;
        buffer.flip();
      }
    }

    void write(ByteBuffer head) throws IOException {
      waitingSince = System.nanoTime() | 1;
      try {
        while (head.hasRemaining()) {
          channel.write(head);
        }
      } catch (AsynchronousCloseException e) {
        if (timedOut) {
          throw new SocketTimeoutException("the target stopped reading");
        }
        throw e;
      } finally {
        waitingSince = 0;
      }
    }

    /**
     * Closes the connection; its buffer goes back to the spares. Only the thread using the
     * connection calls this (others {@link #abort}: a reader may still be filling the buffer).
     */
    void close() {
      abort();
      if (!bufferReturned) {
        bufferReturned = true;
        giveBack(buffer);
      }
    }

    /** Closes the channel (from any thread): a blocked read or write fails. */
    void abort() {
      open.remove(this);
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
