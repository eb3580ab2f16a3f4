package io.corsdoctor.proxy;

import io.corsdoctor.proxy.Change.Code;
import io.corsdoctor.proxy.ProxyExchange.Kind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * The reverse proxy: every request goes to the one target, whatever its Host header or request line
 * says; CORS headers come from {@link CorsRules}, redirects and cookies from {@link Rewrites};
 * every exchange ends as one {@link ProxyExchange} in the sink.
 */
final class CorsProxyHandler extends ProxyHandler.Reverse {
  private static final String EXCHANGE = CorsProxyHandler.class.getName() + ".exchange";

  private final ProxySettings settings;
  private final CorsRules rules;
  private final Rewrites rewrites;
  private final TargetAddresses addresses;
  private final ExchangeLog sink;
  private final UpgradeTunnel tunnel;
  private final VerdictCache verdicts = new VerdictCache();
  private final UpstreamPool pool;
  private final LeanForwarder lean;

  /**
   * The lean path holds a thread while the target answers: beyond this many at once, requests take
   * the asynchronous {@code ProxyHandler}, so slow answers never use up the server's threads.
   */
  static final int LEAN_THREADS = 192;

  private final Semaphore leanThreads = new Semaphore(LEAN_THREADS);
  private final String targetOrigin;
  private final String basePath;

  CorsProxyHandler(
      ProxySettings settings,
      CorsRules rules,
      TargetAddresses addresses,
      Consumer<ProxyExchange> sink) {
    super(
        request -> {
          throw new IllegalStateException("rewriteHttpURI is overridden");
        });
    this.settings = settings;
    this.rules = rules;
    this.addresses = addresses;
    this.sink = sink instanceof ExchangeLog l ? l : sink::accept;
    URI t = settings.target();
    this.rewrites = new Rewrites(t, java.util.Set.copyOf(addresses.hostSpellings(t.getHost())));
    this.basePath = rewrites.basePath();
    String authority = t.getRawAuthority();
    this.targetOrigin = t.getScheme().toLowerCase(Locale.ROOT) + "://" + authority;
    setProxyToServerHost(authority);
    setViaHost("cors-doctor");
    this.tunnel = new UpgradeTunnel(settings, rules, addresses, sink);
    if (t.getScheme().equalsIgnoreCase("http")) {
      this.pool = new UpstreamPool(addresses, Duration.ofSeconds(5), settings.upstreamTimeout());
      this.lean = new LeanForwarder(this, pool, authority);
    } else {
      this.pool = null;
      this.lean = null;
    }
  }

  /** The lean path's connections to the target (null for an https target). */
  UpstreamPool pool() {
    return pool;
  }

  @Override
  protected void doStop() throws Exception {
    if (pool != null) {
      pool.close();
    }
    super.doStop();
  }

  /** Per-exchange state, kept as a request attribute. */
  static final class Exchange {
    final long startNanos = System.nanoTime();
    final Instant time = Instant.now();
    final String method;
    final String path;
    final String origin;
    final boolean preflight;
    final String host;
    final boolean credentials;
    final List<Change> changes = new ArrayList<>(2);
    Kind kind = Kind.FORWARDED;
    int upstreamStatus;
    HttpFields upstreamHeaders;

    Exchange(Request request) {
      this(request.getMethod(), request.getHttpURI(), request.getHeaders());
    }

    /** An exchange of the epoll front ({@link NettyFront}): the parsed request line and head. */
    Exchange(String method, HttpURI uri, HttpFields headers) {
      this.method = method;
      String p = uri.getPath() == null ? "/" : uri.getPath();
      this.path = uri.getQuery() == null ? p : p + "?" + uri.getQuery();
      this.origin = headers.get(HttpHeader.ORIGIN);
      this.preflight = CorsRules.isPreflight(method, headers);
      this.host = headers.get(HttpHeader.HOST);
      this.credentials =
          headers.contains(HttpHeader.COOKIE) || headers.contains(HttpHeader.AUTHORIZATION);
    }
  }

  @Override
  protected HttpClient newHttpClient() {
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    connector.setExecutor(getServer().getThreadPool());
    connector.setConnectTimeout(java.time.Duration.ofSeconds(5));
    return new HttpClient(new HttpClientTransportOverHTTP(connector));
  }

  @Override
  protected void configureHttpClient(HttpClient client) {
    super.configureHttpClient(client);
    client.setSocketAddressResolver(addresses);
    // Like nginx's upstream keepalive pool: a dev server (Flask, Express) is not made for
    // thousands of simultaneous connections; beyond these, requests wait in the queue.
    client.setMaxConnectionsPerDestination(512);
    client.setMaxRequestsQueuedPerDestination(100_000);
    client.setConnectTimeout(5_000);
    client.setIdleTimeout(Math.max(settings.upstreamTimeout().toMillis(), 30_000));
    client.setUserAgentField(null);
    client.setExecutor(getServer().getThreadPool());
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange ex = new Exchange(request);
    Callback logging = new LoggingCallback(callback, ex, response);
    if ("CONNECT".equals(ex.method)) {
      ex.kind = Kind.REFUSED;
      ex.changes.add(
          new Change(
              Code.REFUSED_NOT_A_PROXY,
              "refused CONNECT: this proxy only forwards to " + settings.target()));
      writeText(
          response, 405, null, "cors-doctor proxy forwards only to " + settings.target(), logging);
      return true;
    }
    if (UpgradeTunnel.isUpgrade(request)) {
      ex.kind = Kind.TUNNEL;
      tunnel.handle(request, response, logging, ex, targetPath(request));
      return true;
    }
    if (ex.preflight && !settings.passPreflight()) {
      answerPreflight(request, response, logging, ex);
      return true;
    }
    if (lean != null && LeanForwarder.takes(request) && leanThreads.tryAcquire()) {
      try {
        lean.forward(request, response, logging, ex, targetPath(request));
      } finally {
        leanThreads.release();
      }
      return true;
    }
    request.setAttribute(EXCHANGE, ex);
    return super.handle(request, response, logging);
  }

  private void answerPreflight(Request request, Response response, Callback cb, Exchange ex) {
    String refusal = preflight(request.getHeaders(), response.getHeaders(), ex);
    if (refusal != null) {
      writeText(response, 403, null, refusal, cb);
      return;
    }
    response.setStatus(204);
    response.write(true, BufferUtil.EMPTY_BUFFER, cb);
  }

  /**
   * The proxy's own answer to a preflight: for an allowed origin the headers of a 204 go into
   * {@code out} and null is returned; otherwise the text of a 403 (refused).
   */
  String preflight(HttpFields h, HttpFields.Mutable out, Exchange ex) {
    if (!rules.allows(ex.origin)) {
      ex.kind = Kind.REFUSED;
      ex.changes.add(CorsRules.notAllowed(ex.origin, List.of()));
      return "cors-doctor proxy: origin '"
          + ex.origin
          + "' is not allowed. Restart the proxy with --allow-origin "
          + ex.origin
          + " to allow it.";
    }
    ex.kind = Kind.PREFLIGHT;
    String asked = h.get(CorsRules.ACRM);
    String headers = h.get(CorsRules.ACRH);
    ex.changes.add(
        new Change(
            Code.PREFLIGHT_ANSWERED,
            "answered the preflight for "
                + (asked == null ? "?" : asked.trim())
                + (headers == null || headers.isBlank() ? "" : " with " + headers.trim())
                + " (not sent upstream)"));
    rules.preflightHeaders(ex.origin, h, out);
    return null;
  }

  /** The path and query to ask the target for: its base path plus the request's raw path. */
  String targetPath(Request request) {
    return targetPath(request.getHttpURI());
  }

  String targetPath(HttpURI uri) {
    String path = uri.getPath();
    if (path == null || path.isEmpty() || !path.startsWith("/")) {
      path = "/";
    }
    String q = uri.getQuery();
    return basePath + path + (q == null ? "" : "?" + q);
  }

  @Override
  protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request toServer) {
    // Cheaper than Jetty's defaults (no stream over earlier values): one Via, one Forwarded.
    String forwarded = forwarded(request);
    toServer.headers(
        h -> {
          h.add(HttpHeader.VIA, "1.1 cors-doctor");
          h.add(HttpHeader.FORWARDED, forwarded);
        });
  }

  /** The value of the Forwarded header the target gets. */
  static String forwarded(Request request) {
    return forwarded(Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.HOST));
  }

  /** The Forwarded value for a browser at {@code remoteAddr} that sent this Host (or null). */
  static String forwarded(String remoteAddr, String host) {
    return "for=\""
        + remoteAddr
        + "\""
        + (host == null ? "" : ";host=\"" + host + "\"")
        + ";proto=http";
  }

  @Override
  protected HttpURI rewriteHttpURI(Request request) {
    // Only the path and query of the request are used: the host is always the target's.
    return HttpURI.build(targetOrigin + targetPath(request));
  }

  @Override
  protected org.eclipse.jetty.client.Request newProxyToServerRequest(Request request, HttpURI uri) {
    return super.newProxyToServerRequest(request, uri)
        .idleTimeout(settings.upstreamTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
      Request request,
      org.eclipse.jetty.client.Request proxyToServer,
      Response response,
      Callback callback) {
    return new ProxyResponseListener(request, proxyToServer, response, callback) {
      @Override
      public void onHeaders(org.eclipse.jetty.client.Response serverResponse) {
        Exchange ex = (Exchange) request.getAttribute(EXCHANGE);
        if (ex.origin != null && !ex.preflight) {
          ex.upstreamStatus = serverResponse.getStatus();
          ex.upstreamHeaders = serverResponse.getHeaders().asImmutable();
        }
        super.onHeaders(serverResponse);
        repair(request, response, ex);
      }
    };
  }

  /** Replaces CORS headers, rewrites Location and Set-Cookie, before the head goes out. */
  void repair(Request request, Response response, Exchange ex) {
    response.setStatus(
        repair(
            request.getHeaders(),
            response.getStatus(),
            response.getHeaders(),
            () -> proxyBase(request),
            ex));
  }

  /**
   * As {@link #repair(Request, Response, Exchange)} on bare headers: {@code out} holds the answer's
   * headers (changed in place); returns the status to send.
   */
  int repair(
      HttpFields requestHeaders,
      int status,
      HttpFields.Mutable out,
      java.util.function.Supplier<String> proxyBase,
      Exchange ex) {
    if (ex.preflight) {
      status = repairPreflight(requestHeaders, status, out, ex);
    } else {
      ex.changes.addAll(rules.rewriteActual(ex.origin, out));
    }
    String location = out.get(HttpHeader.LOCATION);
    if (location != null && !ex.preflight) {
      String rewritten = rewrites.location(location, proxyBase.get());
      if (rewritten != null) {
        out.put(HttpHeader.LOCATION, rewritten);
        ex.changes.add(
            new Change(
                Code.LOCATION_REWRITTEN,
                "rewrote Location '" + location + "' to '" + rewritten + "'"));
      }
    }
    if (out.contains(HttpHeader.SET_COOKIE)) {
      ListIterator<HttpField> it = out.listIterator();
      while (it.hasNext()) {
        HttpField f = it.next();
        if (f.getHeader() == HttpHeader.SET_COOKIE) {
          Rewrites.CookieRewrite r = rewrites.setCookie(f.getValue());
          if (!r.changes().isEmpty()) {
            it.set(new HttpField(HttpHeader.SET_COOKIE, r.value()));
            ex.changes.addAll(r.changes());
          }
        }
      }
    }
    return status;
  }

  private int repairPreflight(
      HttpFields requestHeaders, int status, HttpFields.Mutable out, Exchange ex) {
    if (!rules.allows(ex.origin)) {
      List<String> removed = CorsRules.tokens(out, CorsRules.ACAO);
      out.remove(CorsRules.ACAO);
      out.remove(CorsRules.ACAC);
      ex.changes.add(CorsRules.notAllowed(ex.origin, removed));
      return status;
    }
    List<String> before = new ArrayList<>();
    for (HttpField f : out) {
      if (f.getName().regionMatches(true, 0, "Access-Control-", 0, 15)) {
        before.add(f.toString());
      }
    }
    rules.preflightHeaders(ex.origin, requestHeaders, out);
    StringBuilder what = new StringBuilder();
    if (status < 200 || status > 299) {
      what.append("upstream answered the preflight ").append(status).append(", sent 200; ");
      status = 200;
      out.remove(HttpHeader.LOCATION);
    }
    List<String> after = new ArrayList<>();
    for (HttpField f : out) {
      if (f.getName().regionMatches(true, 0, "Access-Control-", 0, 15)) {
        after.add(f.toString());
      }
    }
    if (!before.equals(after) || what.length() > 0) {
      what.append("preflight headers were [")
          .append(String.join("; ", before))
          .append("], sent [")
          .append(String.join("; ", after))
          .append("]");
      ex.changes.add(new Change(Code.PREFLIGHT_REPAIRED, what.toString()));
    }
    return status;
  }

  /** The proxy as the browser addressed it: {@code http://} plus the Host header. */
  private static String proxyBase(Request request) {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null || host.isBlank()) {
      host = Request.getLocalAddr(request) + ":" + Request.getLocalPort(request);
    }
    return "http://" + host;
  }

  @Override
  protected void onServerToProxyResponseFailure(
      Request request,
      org.eclipse.jetty.client.Request proxyToServer,
      org.eclipse.jetty.client.Response serverResponse,
      Response response,
      Callback callback,
      Throwable failure) {
    upstreamFailed(request, response, callback, (Exchange) request.getAttribute(EXCHANGE), failure);
  }

  /**
   * The target failed: 502/504 with CORS headers while the head is not out yet, else the answer is
   * aborted towards the browser.
   */
  void upstreamFailed(
      Request request, Response response, Callback callback, Exchange ex, Throwable failure) {
    if (response.isCommitted()) {
      // The head is out: abort so the browser sees a truncated answer, not a complete one.
      if (clientGone(request, failure)) {
        ex.changes.add(clientGoneChange());
      } else {
        ex.kind = Kind.UPSTREAM_ERROR;
        ex.changes.add(
            new Change(
                Code.UPSTREAM_FAILED,
                settings.target() + " cut the answer short: " + describe(failure)));
      }
      callback.failed(failure);
      return;
    }
    ex.kind = Kind.UPSTREAM_ERROR;
    Failure f = classify(failure, settings);
    ex.changes.add(new Change(f.code(), f.message()));
    response.reset();
    writeText(response, f.status(), ex.origin, "cors-doctor proxy: " + f.message(), callback);
  }

  private static boolean clientGone(Request request, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.io.EofException) {
        return true;
      }
    }
    return !request.getConnectionMetaData().getConnection().getEndPoint().isOpen();
  }

  static Change clientGoneChange() {
    return new Change(
        Code.CLIENT_GONE,
        "the browser closed the connection before the answer ended; upstream connection released");
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  record Failure(int status, Code code, String message) {}

  static Failure classify(Throwable failure, ProxySettings settings) {
    String target = settings.target().toString();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
        return new Failure(
            504,
            Code.UPSTREAM_TIMEOUT,
            target
                + " did not answer within "
                + settings.upstreamTimeout().toSeconds()
                + " s (504 Gateway Timeout).");
      }
      if (t instanceof ConnectException) {
        return new Failure(
            502,
            Code.UPSTREAM_UNREACHABLE,
            "could not connect to "
                + target
                + " ("
                + (t.getMessage() == null
                    ? "connection refused"
                    : t.getMessage().toLowerCase(Locale.ROOT))
                + "): is it running? (502 Bad Gateway)");
      }
      if (t instanceof HttpException
          || t instanceof LeanForwarder.BadAnswer
          || t.getClass().getSimpleName().contains("BadMessage")) {
        return new Failure(
            502,
            Code.UPSTREAM_FAILED,
            target
                + " answered with something that is not valid HTTP ("
                + t.getMessage()
                + ") (502 Bad Gateway).");
      }
      if (t instanceof EOFException || t instanceof ClosedChannelException) {
        return new Failure(
            502,
            Code.UPSTREAM_FAILED,
            target + " closed the connection before answering (502 Bad Gateway).");
      }
    }
    String m = failure.getMessage();
    return new Failure(
        502,
        Code.UPSTREAM_FAILED,
        target
            + " failed: "
            + (m == null ? failure.getClass().getSimpleName() : m)
            + " (502 Bad Gateway).");
  }

  /** A short text answer, with CORS headers when the origin is allowed. */
  void writeText(Response response, int status, String origin, String text, Callback cb) {
    response.setStatus(status);
    ByteBuffer body = ByteBuffer.wrap(textAnswer(origin, text, response.getHeaders()));
    response.write(true, body, cb);
  }

  /** The headers of the proxy's own text answer go into {@code h}; returns its body. */
  byte[] textAnswer(String origin, String text, HttpFields.Mutable h) {
    h.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    h.put(HttpHeader.CACHE_CONTROL, "no-store");
    if (origin != null && rules.allows(origin)) {
      h.put(CorsRules.ACAO, rules.allowOriginValue(origin));
      if (rules.credentials()) {
        h.put(CorsRules.ACAC, "true");
      }
      CorsRules.addVary(h, CorsRules.ACTUAL_VARY);
    }
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    h.put(HttpHeader.CONTENT_LENGTH, body.length);
    return body;
  }

  /** Logs the exchange when the answer ends, then completes the handler's callback. */
  private final class LoggingCallback implements Callback {
    private final Callback delegate;
    private final Exchange ex;
    private final Response response;

    LoggingCallback(Callback delegate, Exchange ex, Response response) {
      this.delegate = delegate;
      this.ex = ex;
      this.response = response;
    }

    @Override
    public void succeeded() {
      emit(null);
      delegate.succeeded();
    }

    @Override
    public void failed(Throwable x) {
      emit(x);
      delegate.failed(x);
    }

    private void emit(Throwable failure) {
      int status = failure == null || response.isCommitted() ? response.getStatus() : 0;
      log(ex, status, response.getHeaders(), failure != null);
    }

    @Override
    public InvocationType getInvocationType() {
      return delegate.getInvocationType();
    }
  }

  /**
   * Logs one exchange: {@code status} as sent (0 when none was), {@code sent} the headers the
   * browser got, {@code failed} when the answer did not end normally. The record is built now:
   * Jetty may reuse {@code sent} for the connection's next answer.
   */
  void log(Exchange ex, int status, HttpFields sent, boolean failed) {
    Supplier<ProxyExchange> record = record(ex, status, sent, failed);
    try {
      sink.accept(record.get());
    } catch (RuntimeException e) {
      // A broken log sink must not break the proxy.
    }
  }

  /**
   * As {@link #log}, for the epoll front, whose headers are never reused: the record, and the
   * browser's verdict in it, are built by the log (on its own thread, when it has one).
   */
  void logLater(Exchange ex, int status, HttpFields sent, boolean failed) {
    Supplier<ProxyExchange> record = record(ex, status, sent, failed);
    try {
      sink.later(record);
    } catch (RuntimeException e) {
      // A broken log sink must not break the proxy.
    }
  }

  private Supplier<ProxyExchange> record(Exchange ex, int status, HttpFields sent, boolean failed) {
    if (failed
        && ex.kind != Kind.UPSTREAM_ERROR
        && ex.changes.stream().noneMatch(c -> c.code() == Code.CLIENT_GONE)) {
      ex.changes.add(clientGoneChange());
    }
    long micros = (System.nanoTime() - ex.startNanos) / 1000;
    return () ->
        new ProxyExchange(
            ex.time,
            ex.method,
            ex.path,
            ex.origin,
            status,
            micros,
            ex.kind,
            ex.changes,
            label(ex, status, sent));
  }

  /** What the browser decides about the upstream's answer and the proxy's (null: no verdict). */
  private ProxyExchange.BrowserLabel label(Exchange ex, int status, HttpFields sent) {
    if (ex.origin == null
        || ex.preflight
        || status <= 0
        || !(ex.kind == Kind.FORWARDED || ex.kind == Kind.UPSTREAM_ERROR)) {
      return null;
    }
    try {
      return verdicts.label(
          ex.method,
          ex.origin,
          ex.host == null ? "localhost" : ex.host,
          ex.path,
          ex.credentials,
          ex.upstreamStatus,
          ex.upstreamHeaders,
          ex.changes.isEmpty() ? Code.UPSTREAM_FAILED : ex.changes.get(0).code(),
          status,
          sent);
    } catch (RuntimeException e) {
      return null; // the exchange is still logged, without the engine's words
    }
  }
}
