package io.corsdoctor.proxy;

import io.corsdoctor.proxy.Change.Code;
import io.corsdoctor.proxy.CorsProxyHandler.Exchange;
import io.corsdoctor.proxy.ProxyExchange.Kind;
import io.corsdoctor.proxy.UpstreamChannels.Link;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.HostPort;

/**
 * One browser connection on the {@link NettyFront}. Requests are read one at a time (pipelined ones
 * wait in the buffer) with Jetty's {@link HttpParser}. A request without a body, upgrade, Expect or
 * event stream is forwarded over a connection of this event loop's {@link UpstreamChannels}, its
 * answer parsed and repaired ({@link CorsProxyHandler#repair}) and its body passed on slice by
 * slice, written and flushed once per read from the target; preflights are answered here. Any other
 * request turns the rest of the connection into a byte tunnel to the Jetty server, starting with
 * that request's first byte.
 */
final class FrontConnection extends ChannelInboundHandlerAdapter
    implements HttpParser.RequestHandler, HeadScanner.Fields {
  /** Jetty's default bound on a request head: beyond it Jetty answers 431 (through the tunnel). */
  private static final int MAX_REQUEST_HEAD = 8192;

  /** Pipelined bytes kept while an exchange runs before reading from the browser pauses. */
  private static final int MAX_WAITING_BYTES = 64 * 1024;

  private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] HTTP_1_1 = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
  private static final ByteBuf LAST_CHUNK =
      Unpooled.unreleasableBuffer(
          Unpooled.directBuffer(5).writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));

  /** Installs a {@link FrontConnection} on every accepted channel. */
  static final class Initializer extends ChannelInitializer<Channel> {
    private final NettyFront front;

    Initializer(NettyFront front) {
      this.front = front;
    }

    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline().addLast(new FrontConnection(front));
    }
  }

  private final NettyFront front;
  private final CorsProxyHandler handler;
  private final long timeoutNanos;
  private final HttpParser parser = new HttpParser(this, MAX_REQUEST_HEAD);
  private ChannelHandlerContext ctx;
  private Channel ch;
  private UpstreamChannels pool;
  private String remoteAddr;
  private String forwarded;
  private String forwardedHost;
  private boolean closed;
  private boolean inputShut;
  private boolean serving;
  private long lastRead;

  // The request being read: bytes from in.readerIndex(), `parsed` of them seen by the parser.
  private ByteBuf in;
  private int parsed;
  private String method;
  private String uri;
  private HttpVersion version;
  private HttpFields.Mutable fields;
  private boolean headDone;
  private boolean requestDone;
  private boolean bad;

  // The exchange in flight.
  private Exchange ex;
  private HttpFields requestFields;
  private boolean closeAfter;
  private boolean headRequest;
  private ByteBuf request;
  private Link up;
  private LeanForwarder.Answer answer;
  private boolean reused;
  private boolean retried;
  private boolean received;
  private int headBytes;
  private boolean committed;
  private int status;
  private HttpFields sent;
  private boolean chunked;
  private long lastActivity;
  private ScheduledFuture<?> timer;

  // Tunnel mode: every byte goes to Jetty.
  private boolean tunnelling;
  private Channel tunnel;

  FrontConnection(NettyFront front) {
    this.front = front;
    this.handler = front.handler;
    this.timeoutNanos = front.settings.upstreamTimeout().toNanos();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.ch = ctx.channel();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    pool = front.pool(ch.eventLoop());
    remoteAddr = host((InetSocketAddress) ch.remoteAddress());
    fields = HttpFields.build(16);
    lastRead = System.nanoTime();
    ch.eventLoop().schedule(this::idleCheck, IDLE_NANOS, TimeUnit.NANOSECONDS);
  }

  /** Closes a browser connection silent for 5 minutes, as Jetty's connector did. */
  private void idleCheck() {
    if (closed || tunnel != null) {
      return; // in a tunnel, Jetty's own idle timeout ends the connection
    }
    long silent = System.nanoTime() - lastRead;
    if (ex == null && silent >= IDLE_NANOS) {
      closeNow();
      return;
    }
    long next = ex != null || silent >= IDLE_NANOS ? IDLE_NANOS : IDLE_NANOS - silent;
    ch.eventLoop().schedule(this::idleCheck, next, TimeUnit.NANOSECONDS);
  }

  private static String host(InetSocketAddress a) {
    return HostPort.normalizeHost(a.getAddress().getHostAddress());
  }

  // ---------------------------------------------------------------- browser side

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf b = (ByteBuf) msg;
    lastRead = System.nanoTime();
    if (closed) {
      b.release();
      return;
    }
    if (tunnel != null) {
      tunnel.write(b, tunnel.voidPromise());
      if (!tunnel.isWritable()) {
        ch.config().setAutoRead(false);
      }
      return;
    }
    in = in == null ? b : append(in, b);
    if (tunnelling) {
      return; // the tunnel is being opened: these bytes go first
    }
    if (ex == null) {
      serve();
    } else if (in.readableBytes() > MAX_WAITING_BYTES) {
      ch.config().setAutoRead(false);
    }
  }

  /** {@code b} appended to {@code to} (in place when it fits); both are taken over. */
  private ByteBuf append(ByteBuf to, ByteBuf b) {
    if (to.writableBytes() < b.readableBytes() || to.refCnt() > 1 || to.isReadOnly()) {
      ByteBuf bigger = ctx.alloc().directBuffer(to.readableBytes() + b.readableBytes());
      bigger.writeBytes(to);
      to.release();
      to = bigger;
    }
    to.writeBytes(b);
    b.release();
    return to;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (tunnel != null) {
      tunnel.flush();
    }
  }

  /** Reads and answers the requests in the buffer, one at a time, until one is in flight. */
  private void serve() {
    serving = true;
    try {
      serveNext();
    } finally {
      serving = false;
    }
  }

  private void serveNext() {
    while (ex == null && !tunnelling && !closed && in != null && in.isReadable()) {
      int readable = in.readableBytes() - parsed;
      if (readable <= 0) {
        break;
      }
      if (parsed == 0 && !headDone && scanned()) {
        parsed = pool.scanner.headLength;
      } else {
        ByteBuffer nio = in.nioBuffer(in.readerIndex() + parsed, readable);
        int before = nio.position();
        parser.parseNext(nio);
        parsed += nio.position() - before;
        if (bad) {
          toJetty(); // Jetty answers the malformed request as it always did
          return;
        }
        if (!headDone) {
          if (parsed > MAX_REQUEST_HEAD) {
            toJetty();
            return;
          }
          if (nio.hasRemaining()) {
            continue;
          }
          break; // the rest of the head is still on its way
        }
        if (lean() && !requestDone) {
          // Without a body the message ends with the head: the parser says so on its next call.
          before = nio.position();
          parser.parseNext(nio);
          parsed += nio.position() - before;
        }
      }
      HttpURI u = requestDone && lean() ? HttpURI.from(uri) : null;
      if (u == null || u.hasViolations() || u.getPath() == null) {
        // A body, an upgrade, an unusual path...: Jetty has it, from the request's first byte.
        toJetty();
        return;
      }
      in.skipBytes(parsed);
      parsed = 0;
      start(u);
    }
    if (in != null && !in.isReadable()) {
      in.release();
      in = null;
    }
    if (ex == null && inputShut && in == null && !tunnelling) {
      closeNow();
    }
  }

  /**
   * Reads a plain request head without a body with the {@link HeadScanner}: true when it did (the
   * head is complete; method, target, version and fields are set). Anything else is left to Jetty's
   * parser.
   */
  private boolean scanned() {
    HeadScanner s = pool.scanner;
    if (s.request(in, in.readerIndex(), in.readableBytes(), this)) {
      startRequest(s.method, s.target, s.version);
      headDone = true;
      requestDone = true;
      return true;
    }
    if (fields.size() > 0) {
      fields.clear();
    }
    return false;
  }

  /** Whether the request just read takes the lean path (else Jetty has it). */
  private boolean lean() {
    if (version != HttpVersion.HTTP_1_1 || "CONNECT".equals(method) || "PRI".equals(method)) {
      return false;
    }
    if (fields.contains(HttpHeader.UPGRADE)
        || fields.contains(HttpHeader.EXPECT)
        || fields.contains(HttpHeader.TRANSFER_ENCODING)
        || fields.getLongField(HttpHeader.CONTENT_LENGTH) > 0) {
      return false;
    }
    String accept = fields.get(HttpHeader.ACCEPT);
    return (accept == null || !accept.contains("text/event-stream"))
        && !uri.isEmpty()
        && ((uri.charAt(0) == '/' && !uri.startsWith("//"))
            || uri.regionMatches(true, 0, "http", 0, 4));
  }

  /** Starts the exchange for the request just read. */
  private void start(HttpURI u) {
    HttpFields h = fields;
    String m = method;
    fields = HttpFields.build(16);
    parser.reset();
    headDone = false;
    requestDone = false;
    ex = new Exchange(m, u, h);
    requestFields = h;
    closeAfter = h.contains(HttpHeader.CONNECTION, "close");
    committed = false;
    if (ex.preflight && !front.settings.passPreflight()) {
      answerPreflight();
      return;
    }
    headRequest = "HEAD".equals(m);
    StringBuilder head =
        LeanForwarder.requestHead(
            m, handler.targetPath(u), h, front.hostHeader, forwarded(h.get(HttpHeader.HOST)));
    request = ctx.alloc().directBuffer(head.length());
    request.writeCharSequence(head, StandardCharsets.ISO_8859_1);
    retried = false;
    pool.acquire(this);
  }

  /** The Forwarded value: a browser's connection sends the same Host on every request. */
  private String forwarded(String host) {
    if (forwarded == null || !Objects.equals(host, forwardedHost)) {
      forwardedHost = host;
      forwarded = CorsProxyHandler.forwarded(remoteAddr, host);
    }
    return forwarded;
  }

  private void answerPreflight() {
    HttpFields.Mutable out = HttpFields.build(8);
    String refusal = handler.preflight(requestFields, out, ex);
    if (refusal != null) {
      own(403, null, refusal);
      return;
    }
    status = 204;
    respond(out, null);
  }

  /** The proxy's own short text answer (errors, refusals), with CORS headers when allowed. */
  private void own(int code, String origin, String text) {
    HttpFields.Mutable out = HttpFields.build(8);
    byte[] body = handler.textAnswer(origin, text, out);
    status = code;
    respond(out, body);
  }

  private void respond(HttpFields.Mutable out, byte[] body) {
    if (closeAfter) {
      out.put(HttpHeader.CONNECTION, "close");
    }
    sent = out;
    committed = true;
    ByteBuf b = head(status, out, body == null ? 0 : body.length);
    if (body != null) {
      b.writeBytes(body);
    }
    ctx.write(b, ctx.voidPromise());
    done(false);
  }

  private ByteBuf head(int code, HttpFields out, int extra) {
    String reason = HttpStatus.getMessage(code);
    ByteBuf b = ctx.alloc().directBuffer(256 + out.size() * 64 + extra);
    b.writeBytes(HTTP_1_1);
    ascii(b, Integer.toString(code));
    b.writeByte(' ');
    ascii(b, reason == null ? "" : reason);
    b.writeBytes(CRLF);
    for (HttpField f : out) {
      ascii(b, f.getName());
      b.writeByte(':').writeByte(' ');
      ascii(b, f.getValue() == null ? "" : f.getValue());
      b.writeBytes(CRLF);
    }
    b.writeBytes(CRLF);
    return b;
  }

  /** Header text as ISO-8859-1 bytes (what HTTP/1.1 allows in a head). */
  private static void ascii(ByteBuf b, String s) {
    b.writeCharSequence(s, StandardCharsets.ISO_8859_1);
  }

  /** The exchange ended (answered, or failed): log it, then the next request or the close. */
  private void done(boolean failed) {
    pool.flushLater(ch);
    Exchange e = ex;
    ex = null;
    if (request != null) {
      request.release();
      request = null;
    }
    handler.logLater(e, failed && !committed ? 0 : status, sent, failed);
    sent = null;
    if (closeAfter) {
      closeAfterFlush();
      return;
    }
    if (!ch.config().isAutoRead()) {
      ch.config().setAutoRead(true);
    }
    if (!serving) {
      serve();
    }
  }

  private void closeAfterFlush() {
    closed = true;
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void closeNow() {
    closed = true;
    ch.close();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      inputShut = true;
      if (tunnel != null) {
        ((EpollSocketChannel) tunnel).shutdownOutput();
      } else if (!tunnelling && ex == null) {
        if (in == null || !in.isReadable()) {
          closeNow();
        } else {
          serve();
          if (ex == null && !tunnelling && !closed) {
            closeNow(); // a partial request that can no longer end
          }
        }
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean w = ch.isWritable();
    if (tunnel != null) {
      tunnel.config().setAutoRead(w);
    } else if (up != null) {
      up.channel.config().setAutoRead(w);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (ex != null) {
      Exchange e = ex;
      ex = null;
      if (up != null) {
        Link u = up;
        up = null;
        pool.release(u, false);
      } else {
        pool.cancel(this);
      }
      handler.logLater(e, committed ? status : 0, sent, true);
    }
    if (request != null) {
      request.release();
      request = null;
    }
    if (in != null) {
      in.release();
      in = null;
    }
    if (tunnel != null) {
      tunnel.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  // ---------------------------------------------------------------- target side

  /** A connection to the target for the exchange in flight: send the head. */
  void upstreamReady(Link u, boolean pooled) {
    if (ex == null || closed) {
      pool.release(u, true);
      return;
    }
    up = u;
    u.owner = this;
    reused = pooled;
    received = false;
    headBytes = 0;
    answer = u.answer(headRequest);
    lastActivity = System.nanoTime();
    if (timer == null) {
      timer = ch.eventLoop().schedule(this::timeout, timeoutNanos, TimeUnit.NANOSECONDS);
    }
    u.channel.write(request.retainedDuplicate(), u.channel.voidPromise());
    pool.flushLater(u.channel);
  }

  /** No connection to the target could be opened. */
  void upstreamFailed(Throwable cause) {
    if (ex != null && !closed) {
      fail(cause);
    }
  }

  private void timeout() {
    timer = null;
    if (ex == null || up == null) {
      return;
    }
    long silent = System.nanoTime() - lastActivity;
    if (silent >= timeoutNanos) {
      fail(new SocketTimeoutException("the target stayed silent"));
    } else {
      timer = ch.eventLoop().schedule(this::timeout, timeoutNanos - silent, TimeUnit.NANOSECONDS);
    }
  }

  void upstreamRead(Link u, ByteBuf buf) {
    if (u != up) {
      buf.release();
      return;
    }
    received = true;
    lastActivity = System.nanoTime();
    if (answer.plainRemaining >= 0) {
      plainBody(buf, buf.readerIndex());
      return;
    }
    if (!answer.headDone && headBytes == 0 && scannedAnswer(buf)) {
      plainBody(buf, buf.readerIndex() + headBytes);
      return;
    }
    boolean leftover;
    try {
      ByteBuffer nio = buf.nioBuffer();
      int base = nio.position();
      int index = buf.readerIndex();
      LeanForwarder.Answer a = answer;
      // Not only while bytes remain: the parser reports the end of a body on the call after it.
      while (!a.complete) {
        int before = nio.position();
        boolean stopped = a.parser.parseNext(nio);
        if (!a.headDone) {
          headBytes += nio.position() - before;
          if (headBytes > LeanForwarder.MAX_HEADER_BYTES) {
            throw new LeanForwarder.BadAnswer(
                "an answer head larger than " + LeanForwarder.MAX_HEADER_BYTES / 1024 + " KiB");
          }
        }
        a.check();
        if (a.headDone && !committed) {
          if (a.status == 101) {
            throw new LeanForwarder.BadAnswer(
                "101 Switching Protocols to a request that asked for no upgrade");
          }
          if (a.status < 200) {
            a.interim(); // 100 Continue, 103 Early Hints: the answer follows
            headBytes = 0;
            continue;
          }
          commit(a);
        }
        if (a.chunk != null) {
          // The parser stops right after a chunk: it ends where the buffer now stands.
          int length = a.chunk.remaining();
          a.chunk = null;
          body(buf.retainedSlice(index + nio.position() - base - length, length));
        }
        if (!stopped) {
          break;
        }
      }
      leftover = nio.hasRemaining();
    } catch (IOException | RuntimeException e) {
      buf.release();
      fail(e);
      return;
    }
    buf.release();
    if (answer.complete) {
      finish(!leftover && answer.keepAlive());
    }
  }

  /**
   * Reads the answer's head with the {@link HeadScanner} when it is plain and framed by one
   * Content-Length (or has no body: HEAD, 204, 304), and commits it; anything else (interim
   * answers, chunked or close-delimited bodies, duplicate lengths) is left to Jetty's parser.
   */
  private boolean scannedAnswer(ByteBuf buf) {
    LeanForwarder.Answer a = answer;
    HeadScanner s = pool.scanner;
    if (s.response(buf, buf.readerIndex(), buf.readableBytes(), a) && s.status >= 200) {
      boolean bodyless = headRequest || s.status == 204 || s.status == 304;
      if (bodyless || s.contentLength >= 0) {
        a.startResponse(s.version, s.status, null);
        a.headerComplete();
        a.plainRemaining = bodyless ? 0 : s.contentLength;
        headBytes = s.headLength;
        try {
          commit(a);
        } catch (RuntimeException e) {
          fail(e); // plainBody then only releases the buffer
        }
        return true;
      }
    }
    a.interim(); // forget what the scan fed it: Jetty's parser reads the head from the start
    return false;
  }

  /** Passes on the body of a scanned answer from {@code from}; finishes it at its length. */
  private void plainBody(ByteBuf buf, int from) {
    LeanForwarder.Answer a = answer;
    if (ex == null || up == null) {
      buf.release(); // the answer failed while it was committed
      return;
    }
    int available = buf.writerIndex() - from;
    int take = (int) Math.min(available, a.plainRemaining);
    if (take > 0) {
      body(buf.retainedSlice(from, take));
      a.plainRemaining -= take;
    }
    buf.release();
    if (a.plainRemaining == 0) {
      a.complete = true;
      finish(available == take && a.keepAlive());
    }
  }

  void upstreamReadComplete() {
    if (ex != null && committed) {
      pool.flushLater(ch);
      if (!ch.isWritable() && up != null) {
        up.channel.config().setAutoRead(false);
      }
    }
  }

  /** The answer's head is in: repair it and write it (flushed with the first body bytes). */
  private void commit(LeanForwarder.Answer a) {
    HttpFields.Mutable out = HttpFields.build(a.fields.size() + 4);
    LeanForwarder.copyHeaders(a.fields, out);
    if (ex.origin != null && !ex.preflight) {
      ex.upstreamStatus = a.status;
      ex.upstreamHeaders = a.fields;
    }
    int code = handler.repair(requestFields, a.status, out, this::proxyBase, ex);
    boolean bodyFollows = !headRequest && a.status != 204 && a.status != 304;
    chunked = false;
    if (bodyFollows && (a.parser.isChunking() || !out.contains(HttpHeader.CONTENT_LENGTH))) {
      out.remove(HttpHeader.CONTENT_LENGTH);
      out.add(HttpHeader.TRANSFER_ENCODING, "chunked");
      chunked = true;
    }
    if (closeAfter) {
      out.put(HttpHeader.CONNECTION, "close");
    }
    status = code;
    sent = out;
    committed = true;
    ctx.write(head(code, out, 0), ctx.voidPromise());
  }

  private void body(ByteBuf slice) {
    if (!slice.isReadable()) {
      slice.release();
      return;
    }
    if (chunked) {
      ByteBuf size = ctx.alloc().directBuffer(10);
      size.writeCharSequence(Integer.toHexString(slice.readableBytes()), StandardCharsets.US_ASCII);
      size.writeBytes(CRLF);
      ctx.write(size, ctx.voidPromise());
      ctx.write(slice, ctx.voidPromise());
      ctx.write(Unpooled.wrappedBuffer(CRLF), ctx.voidPromise());
    } else {
      ctx.write(slice, ctx.voidPromise());
    }
  }

  /** The answer is complete: the connection goes back to the pool (or is closed). */
  private void finish(boolean reusable) {
    if (chunked) {
      ctx.write(LAST_CHUNK.duplicate(), ctx.voidPromise());
    }
    Link u = up;
    up = null;
    if (!u.channel.config().isAutoRead()) {
      u.channel.config().setAutoRead(true);
    }
    pool.release(u, reusable);
    done(false);
  }

  /** The target closed the connection: the end of a close-delimited answer, or a failure. */
  void upstreamClosed(Link u) {
    if (u != up) {
      return;
    }
    LeanForwarder.Answer a = answer;
    if (received) {
      a.parser.atEOF();
      a.parser.parseNext(ByteBuffer.allocate(0));
      if (a.complete && committed) {
        finish(false);
        return;
      }
      fail(
          u.failure != null
              ? u.failure
              : new EOFException(
                  committed
                      ? "the target closed the connection mid-answer"
                      : "the target closed the connection before answering"));
      return;
    }
    up = null;
    pool.release(u, false);
    if (reused
        && !retried
        && LeanForwarder.RETRYABLE.contains(ex.method)
        && !(u.failure instanceof SocketTimeoutException)) {
      // A kept-alive connection the target closed meanwhile: once more on a new one.
      retried = true;
      pool.connect(this);
      return;
    }
    fail(
        u.failure != null
            ? u.failure
            : new EOFException("the target closed the connection before answering"));
  }

  /** The target failed: 502/504 with CORS headers while the head is not out, else an abort. */
  private void fail(Throwable failure) {
    if (ex == null) {
      return;
    }
    if (up != null) {
      Link u = up;
      up = null;
      pool.release(u, false);
    }
    ex.kind = Kind.UPSTREAM_ERROR;
    if (committed) {
      ex.changes.add(
          new Change(
              Code.UPSTREAM_FAILED,
              front.settings.target() + " cut the answer short: " + describe(failure)));
      Exchange e = ex;
      ex = null;
      ctx.flush();
      handler.logLater(e, status, sent, true);
      closeNow();
      return;
    }
    CorsProxyHandler.Failure f = CorsProxyHandler.classify(failure, front.settings);
    ex.changes.add(new Change(f.code(), f.message()));
    own(f.status(), ex.origin, "cors-doctor proxy: " + f.message());
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The proxy as the browser addressed it: {@code http://} plus the Host header. */
  private String proxyBase() {
    String host = requestFields.get(HttpHeader.HOST);
    if (host == null || host.isBlank()) {
      InetSocketAddress local = (InetSocketAddress) ch.localAddress();
      host = host(local) + ":" + local.getPort();
    }
    return "http://" + host;
  }

  // ---------------------------------------------------------------- tunnel to Jetty

  /** From the current request on, the connection is a byte tunnel to the Jetty server. */
  private void toJetty() {
    tunnelling = true;
    front.tunnels.increment();
    ch.config().setAutoRead(false);
    new Bootstrap()
        .group(ch.eventLoop())
        .channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOCATOR, ch.config().getAllocator())
        .handler(new Back())
        .connect(front.jetty)
        .addListener(
            (ChannelFuture cf) -> {
              if (!cf.isSuccess() || closed) {
                cf.channel().close();
                closeNow();
                return;
              }
              Channel t = cf.channel();
              t.write(proxyLine(), t.voidPromise());
              if (in != null) {
                t.write(in, t.voidPromise());
                in = null;
              }
              t.flush();
              tunnel = t;
              if (inputShut) {
                ((EpollSocketChannel) t).shutdownOutput();
              }
              ch.config().setAutoRead(true);
            });
  }

  /** The PROXY protocol (v1) line that tells Jetty who the browser is. */
  private ByteBuf proxyLine() {
    InetSocketAddress src = (InetSocketAddress) ch.remoteAddress();
    InetSocketAddress dst = (InetSocketAddress) ch.localAddress();
    boolean v6 = src.getAddress() instanceof Inet6Address;
    String line;
    if (v6 != dst.getAddress() instanceof Inet6Address) {
      line = "PROXY UNKNOWN\r\n";
    } else {
      line =
          "PROXY "
              + (v6 ? "TCP6 " : "TCP4 ")
              + bare(src)
              + " "
              + bare(dst)
              + " "
              + src.getPort()
              + " "
              + dst.getPort()
              + "\r\n";
    }
    return Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII);
  }

  private static String bare(InetSocketAddress a) {
    String s = a.getAddress().getHostAddress();
    int scope = s.indexOf('%');
    return scope < 0 ? s : s.substring(0, scope);
  }

  /** Jetty's side of the tunnel: its bytes go to the browser. */
  private final class Back extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext c, Object msg) {
      ch.write(msg, ch.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext c) {
      ch.flush();
      if (!ch.isWritable()) {
        c.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext c) {
      ch.config().setAutoRead(c.channel().isWritable());
    }

    @Override
    public void channelInactive(ChannelHandlerContext c) {
      closeAfterFlush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
      c.close();
    }
  }

  // ---------------------------------------------------------------- HttpParser.RequestHandler

  @Override
  public void startRequest(String m, String u, HttpVersion v) {
    method = m;
    uri = u;
    version = v;
  }

  @Override
  public void parsedHeader(HttpField field) {
    fields.add(field);
  }

  @Override
  public boolean headerComplete() {
    headDone = true;
    return true;
  }

  @Override
  public boolean content(ByteBuffer content) {
    return true;
  }

  @Override
  public boolean contentComplete() {
    return false;
  }

  @Override
  public boolean messageComplete() {
    requestDone = true;
    return true;
  }

  @Override
  public void earlyEOF() {
    bad = true;
  }

  @Override
  public void badMessage(HttpException failure) {
    bad = true;
  }
}
