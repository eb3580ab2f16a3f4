package io.corsdoctor.proxy;

import io.corsdoctor.proxy.CorsProxyHandler.Exchange;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The lean forwarding path for requests without a body to a plain-http target (most of a dev loop's
 * traffic): the request head goes out in one write over a pooled keep-alive connection ({@link
 * UpstreamPool}), Jetty's own {@link HttpParser} reads the answer (bounded: 64 KiB of headers), and
 * the body streams back slice by slice; a small answer goes out with its head in one write. The
 * Jetty thread blocks on the target instead of handing the exchange between selector and pool
 * threads as jetty-proxy's {@code ProxyHandler} does, which costs about half the CPU per request
 * (bench/proxy/RESULTS.md). Requests with a body, Expect or an https target still go through {@code
 * ProxyHandler}.
 */
final class LeanForwarder {
  static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int SMALL_BODY = 16 * 1024;
  static final Set<String> RETRYABLE = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
  private static final EnumSet<HttpHeader> HOP =
      EnumSet.of(
          HttpHeader.CONNECTION,
          HttpHeader.KEEP_ALIVE,
          HttpHeader.PROXY_CONNECTION,
          HttpHeader.PROXY_AUTHORIZATION,
          HttpHeader.PROXY_AUTHENTICATE,
          HttpHeader.TRANSFER_ENCODING,
          HttpHeader.TE,
          HttpHeader.TRAILER,
          HttpHeader.UPGRADE);

  private final CorsProxyHandler handler;
  private final UpstreamPool pool;
  private final String hostHeader;

  LeanForwarder(CorsProxyHandler handler, UpstreamPool pool, String hostHeader) {
    this.handler = handler;
    this.pool = pool;
    this.hostHeader = hostHeader;
  }

  /**
   * Whether the lean path takes this request: no body, no Expect, and not an event stream (those
   * stay open for minutes: the asynchronous {@code ProxyHandler} holds no thread meanwhile).
   */
  static boolean takes(Request request) {
    HttpFields h = request.getHeaders();
    if (h.contains(HttpHeader.TRANSFER_ENCODING)
        || h.contains(HttpHeader.EXPECT)
        || h.getLongField(HttpHeader.CONTENT_LENGTH) > 0) {
      return false;
    }
    String accept = h.get(HttpHeader.ACCEPT);
    return accept == null || !accept.contains("text/event-stream");
  }

  /** Forwards the request and answers the browser; completes {@code callback} in every case. */
  void forward(Request request, Response response, Callback callback, Exchange ex, String path) {
    UpstreamPool.Connection c = null;
    try {
      byte[] head = requestHead(request, path);
      c = pool.pooled();
      boolean reused = c != null;
      Answer a;
      while (true) {
        if (c == null) {
          c = pool.connect();
        }
        a = c.answer("HEAD".equals(ex.method));
        try {
          c.write(ByteBuffer.wrap(head));
          readHead(c, a);
          break;
        } catch (IOException e) {
          c.close();
          c = null;
          // A kept-alive connection the target closed meanwhile: once more on a new one.
          if (!(reused && !a.received && RETRYABLE.contains(ex.method))
              || e instanceof SocketTimeoutException) {
            throw e;
          }
          reused = false;
        }
      }
      response.setStatus(a.status);
      copyHeaders(a.fields, response.getHeaders());
      if (ex.origin != null && !ex.preflight) {
        ex.upstreamStatus = a.status;
        ex.upstreamHeaders = a.fields;
      }
      handler.repair(request, response, ex);
      body(c, a, response, callback);
    } catch (ClientGone e) {
      close(c);
      callback.failed(e.getCause());
    } catch (IOException | RuntimeException e) {
      close(c);
      handler.upstreamFailed(request, response, callback, ex, e);
    }
  }

  private static void close(UpstreamPool.Connection c) {
    if (c != null) {
      c.close();
    }
  }

  private byte[] requestHead(Request request, String path) {
    return requestHead(
            request.getMethod(),
            path,
            request.getHeaders(),
            hostHeader,
            CorsProxyHandler.forwarded(request))
        .toString()
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The head the target gets: the request line with the target's path, its Host, the request's
   * end-to-end headers, Via and Forwarded.
   */
  static StringBuilder requestHead(
      String method, String path, HttpFields h, String hostHeader, String forwarded) {
    StringBuilder s = new StringBuilder(256 + h.size() * 48);
    s.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    s.append("Host: ").append(hostHeader).append("\r\n");
    HttpField connection = h.getField(HttpHeader.CONNECTION);
    for (HttpField f : h) {
      HttpHeader known = f.getHeader();
      if (known == HttpHeader.HOST
          || (known != null && HOP.contains(known))
          || (connection != null && connection.contains(f.getLowerCaseName()))) {
        continue;
      }
      s.append(f.getName()).append(": ");
      s.append(f.getValue() == null ? "" : f.getValue()).append("\r\n");
    }
    s.append("Via: 1.1 cors-doctor\r\nForwarded: ").append(forwarded);
    s.append("\r\n\r\n");
    return s;
  }

  /** Reads until the answer's head is parsed, skipping interim (1xx) answers. */
  private static void readHead(UpstreamPool.Connection c, Answer a) throws IOException {
    long headBytes = 0;
    while (true) {
      int before = c.buffer.position();
      boolean parsed = a.parser.parseNext(c.buffer);
      headBytes += c.buffer.position() - before;
      if (!a.headDone && headBytes > MAX_HEADER_BYTES) {
        // Counted here: the parser's own limit trips a Jetty assertion on a 2xx status line.
        throw new BadAnswer("an answer head larger than " + MAX_HEADER_BYTES / 1024 + " KiB");
      }
      if (!parsed) {
        a.check();
        if (c.read() < 0) {
          throw new EOFException("the target closed the connection before answering");
        }
        a.received = true;
        continue;
      }
      a.check();
      if (!a.headDone) {
        continue;
      }
      if (a.status == 101) {
        throw new BadAnswer("101 Switching Protocols to a request that asked for no upgrade");
      }
      if (a.status >= 200) {
        return;
      }
      a.interim(); // 100 Continue, 103 Early Hints: the answer follows
    }
  }

  static void copyHeaders(HttpFields from, HttpFields.Mutable to) {
    HttpField connection = from.getField(HttpHeader.CONNECTION);
    for (HttpField f : from) {
      HttpHeader known = f.getHeader();
      if ((known != null && HOP.contains(known))
          || (connection != null && connection.contains(f.getLowerCaseName()))) {
        continue;
      }
      to.add(f);
    }
  }

  /** Streams the body; a small one goes out with the head in one write. */
  private void body(UpstreamPool.Connection c, Answer a, Response response, Callback callback)
      throws IOException {
    ByteBuffer held = null; // a slice of the connection's buffer, not yet written
    while (!a.complete) {
      if (a.parser.parseNext(c.buffer)) {
        a.check();
        if (a.chunk != null) {
          if (held != null) {
            write(response, held, false);
          }
          held = a.chunk;
          a.chunk = null;
        }
        continue;
      }
      a.check();
      if (held != null) {
        write(response, held, false); // before the buffer is compacted under it
        held = null;
      }
      if (c.read() < 0) {
        a.parser.atEOF();
        a.parser.parseNext(c.buffer);
        a.check();
        if (!a.complete) {
          throw new EOFException("the target closed the connection mid-answer");
        }
      }
    }
    boolean reusable = a.keepAlive() && !c.buffer.hasRemaining();
    if (held != null && held.remaining() > SMALL_BODY) {
      write(response, held, false);
      held = null;
    }
    ByteBuffer last = BufferUtil.EMPTY_BUFFER;
    if (held != null) {
      last = ByteBuffer.allocate(held.remaining()).put(held).flip();
    }
    if (reusable) {
      pool.release(c);
    } else {
      c.close();
    }
    response.write(true, last, callback);
  }

  private static void write(Response response, ByteBuffer b, boolean last) throws ClientGone {
    try (Blocker.Callback blocker = Blocker.callback()) {
      response.write(last, b, blocker);
      blocker.block();
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }

  /** The browser went away while the answer was being written. */
  private static final class ClientGone extends IOException {
    ClientGone(IOException cause) {
      super(cause);
    }
  }

  /** The target answered with something that is not a usable HTTP answer. */
  static final class BadAnswer extends IOException {
    BadAnswer(String message) {
      super(message);
    }

    BadAnswer(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * One answer as the parser reports it. A connection keeps one and its parser for all its
   * exchanges (the parser's header cache then saves a string per known header).
   */
  static final class Answer implements HttpParser.ResponseHandler, HeadScanner.Fields {
    final HttpParser parser;
    boolean headRequest;
    HttpFields.Mutable fields;
    HttpVersion version;
    int status;
    boolean received;
    boolean headDone;
    boolean complete;
    boolean early;
    boolean close;
    boolean keepAliveAsked;

    /** Body bytes still due of an answer the front's {@link HeadScanner} read; -1 otherwise. */
    long plainRemaining = -1;

    Throwable bad;
    ByteBuffer chunk;

    Answer() {
      // The bound is readHead's, checked after each buffer: the parser's must lie beyond it.
      parser = new HttpParser(this, MAX_HEADER_BYTES + UpstreamPool.BUFFER_BYTES + 1);
    }

    /** Ready for the next answer on the connection. */
    Answer next(boolean headRequest) {
      this.headRequest = headRequest;
      interim();
      version = null;
      status = 0;
      received = false;
      early = false;
      bad = null;
      chunk = null;
      return this;
    }

    void check() throws IOException {
      if (bad != null) {
        throw new BadAnswer(bad);
      }
      if (early) {
        throw new EOFException("the target closed the connection mid-answer");
      }
    }

    void interim() {
      parser.reset();
      parser.setHeadResponse(headRequest); // reset() forgets it
      fields = HttpFields.build(16);
      headDone = false;
      complete = false;
      close = false;
      keepAliveAsked = false;
      plainRemaining = -1;
    }

    boolean keepAlive() {
      return !close && (version == HttpVersion.HTTP_1_1 || keepAliveAsked);
    }

    @Override
    public void startResponse(HttpVersion v, int s, String reason) {
      version = v;
      status = s;
    }

    @Override
    public void parsedHeader(HttpField f) {
      fields.add(f);
      if (f.getHeader() == HttpHeader.CONNECTION) {
        close |= f.contains("close");
        keepAliveAsked |= f.contains("keep-alive");
      }
    }

    @Override
    public boolean headerComplete() {
      headDone = true;
      return true;
    }

    @Override
    public boolean content(ByteBuffer b) {
      chunk = b;
      return true;
    }

    @Override
    public boolean contentComplete() {
      return false;
    }

    @Override
    public boolean messageComplete() {
      complete = true;
      return true;
    }

    @Override
    public void earlyEOF() {
      early = true;
    }

    @Override
    public void badMessage(HttpException failure) {
      bad = (Throwable) failure;
    }
  }
}
