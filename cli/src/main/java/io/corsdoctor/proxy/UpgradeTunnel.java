package io.corsdoctor.proxy;

import io.corsdoctor.proxy.Change.Code;
import io.corsdoctor.proxy.CorsProxyHandler.Exchange;
import io.corsdoctor.proxy.ProxyExchange.Kind;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * Passes HTTP/1.1 protocol upgrades (WebSocket) to the target: sends the upgrade request over a new
 * connection, relays the target's {@code 101} and then copies bytes both ways until either side
 * closes. Origins the proxy does not allow are refused (403) before anything reaches the target.
 */
final class UpgradeTunnel {
  private static final int MAX_HEAD = 64 * 1024;

  private final ProxySettings settings;
  private final CorsRules rules;
  private final TargetAddresses addresses;

  UpgradeTunnel(
      ProxySettings settings,
      CorsRules rules,
      TargetAddresses addresses,
      Consumer<ProxyExchange> sink) {
    this.settings = settings;
    this.rules = rules;
    this.addresses = addresses;
  }

  static boolean isUpgrade(Request request) {
    if (!request.getHeaders().contains(HttpHeader.UPGRADE)) {
      return false;
    }
    for (String v : request.getHeaders().getCSV(HttpHeader.CONNECTION, false)) {
      if (v.equalsIgnoreCase("upgrade")) {
        return true;
      }
    }
    return false;
  }

  void handle(Request request, Response response, Callback cb, Exchange ex, String targetPath) {
    if (ex.origin != null && !rules.allows(ex.origin)) {
      ex.kind = Kind.REFUSED;
      ex.changes.add(CorsRules.notAllowed(ex.origin, List.of()));
      text(response, 403, "cors-doctor proxy: origin '" + ex.origin + "' is not allowed.", cb);
      return;
    }
    Executor executor = request.getComponents().getExecutor();
    executor.execute(() -> open(request, response, cb, ex, targetPath, executor));
  }

  private void open(
      Request request,
      Response response,
      Callback cb,
      Exchange ex,
      String targetPath,
      Executor executor) {
    Socket socket = null;
    IOException last = null;
    for (TargetAddresses.Probe p : addresses.probes()) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(p.address().getAddress(), p.address().getPort()), 5000);
        socket = s;
        break;
      } catch (IOException e) {
        last = e;
        closeQuietly(s);
      }
    }
    if (socket == null) {
      ex.kind = Kind.UPSTREAM_ERROR;
      CorsProxyHandler.Failure f =
          CorsProxyHandler.classify(
              last == null ? new java.net.ConnectException("no address") : last, settings);
      ex.changes.add(new Change(f.code(), f.message()));
      text(response, f.status(), "cors-doctor proxy: " + f.message(), cb);
      return;
    }
    try {
      socket.setSoTimeout((int) settings.upstreamTimeout().toMillis());
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      out.write(requestHead(request, targetPath).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      List<String> head = readHead(in);
      String[] statusLine = head.get(0).split(" ", 3);
      int status = Integer.parseInt(statusLine[1]);
      if (status != 101) {
        closeQuietly(socket);
        text(
            response,
            status >= 200 ? status : 502,
            "cors-doctor proxy: the target refused the upgrade: " + head.get(0),
            cb);
        return;
      }
      socket.setSoTimeout(0);
      response.setStatus(101);
      for (int i = 1; i < head.size(); i++) {
        String line = head.get(i);
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-length") || lower.equals("transfer-encoding")) {
          continue;
        }
        response.getHeaders().add(name, line.substring(colon + 1).trim());
      }
      ex.changes.add(
          new Change(
              Code.UPGRADE_TUNNELLED,
              "tunnelled the "
                  + request.getHeaders().get(HttpHeader.UPGRADE)
                  + " upgrade to "
                  + socket.getInetAddress().getHostAddress()));
      EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
      request.setAttribute(
          HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, new Pipe(endPoint, executor, socket, in));
      cb.succeeded();
    } catch (IOException | RuntimeException e) {
      closeQuietly(socket);
      ex.kind = Kind.UPSTREAM_ERROR;
      CorsProxyHandler.Failure f = CorsProxyHandler.classify(e, settings);
      ex.changes.add(new Change(f.code(), f.message()));
      text(response, f.status(), "cors-doctor proxy: " + f.message(), cb);
    }
  }

  private String requestHead(Request request, String targetPath) {
    StringBuilder b = new StringBuilder(512);
    b.append(request.getMethod()).append(' ').append(targetPath).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(settings.target().getRawAuthority()).append("\r\n");
    for (HttpField f : request.getHeaders()) {
      if (f.getHeader() == HttpHeader.HOST) {
        continue;
      }
      b.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int total = 0;
    int c;
    while ((c = in.read()) != -1) {
      if (++total > MAX_HEAD) {
        throw new IOException("response head larger than 64 KiB");
      }
      if (c == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        if (s.endsWith("\r")) {
          s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
          if (lines.isEmpty() || !lines.get(0).startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response");
          }
          return lines;
        }
        lines.add(s);
        line.reset();
      } else {
        line.write(c);
      }
    }
    throw new java.io.EOFException("the target closed the connection before answering");
  }

  private void text(Response response, int status, String body, Callback cb) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    response.write(true, ByteBuffer.wrap((body + "\n").getBytes(StandardCharsets.UTF_8)), cb);
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  /** The upgraded connection: copies bytes between the browser's connection and the target's. */
  static final class Pipe extends AbstractConnection implements Connection.UpgradeTo {
    private final Socket socket;
    private final InputStream fromTarget;
    private final OutputStream toTarget;

    Pipe(EndPoint endPoint, Executor executor, Socket socket, InputStream fromTarget)
        throws IOException {
      super(endPoint, executor);
      this.socket = socket;
      this.fromTarget = fromTarget;
      this.toTarget = socket.getOutputStream();
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffered) {
      if (BufferUtil.hasContent(buffered)) {
        try {
          toTarget.write(BufferUtil.toArray(buffered));
          toTarget.flush();
        } catch (IOException e) {
          close();
        }
      }
    }

    @Override
    public void onOpen() {
      super.onOpen();
      Thread t = new Thread(this::targetToBrowser, "cors-doctor-tunnel");
      t.setDaemon(true);
      t.start();
      fillInterested();
    }

    private void targetToBrowser() {
      byte[] buf = new byte[16 * 1024];
      try {
        int n;
        while ((n = fromTarget.read(buf)) != -1) {
          FutureCallback done = new FutureCallback();
          getEndPoint().write(done, ByteBuffer.wrap(buf, 0, n));
          done.get();
        }
        getEndPoint().shutdownOutput();
      } catch (Exception e) {
        // either side went away
      } finally {
        close();
      }
    }

    @Override
    public void onFillable() {
      ByteBuffer buf = BufferUtil.allocate(16 * 1024);
      try {
        while (true) {
          BufferUtil.clear(buf);
          int n = getEndPoint().fill(buf);
          if (n > 0) {
            toTarget.write(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            toTarget.flush();
          } else if (n == 0) {
            fillInterested();
            return;
          } else {
            socket.shutdownOutput();
            return;
          }
        }
      } catch (IOException e) {
        close();
      }
    }

    @Override
    public void onClose(Throwable cause) {
      closeQuietly(socket);
      super.onClose(cause);
    }

    @Override
    public boolean onIdleExpired(java.util.concurrent.TimeoutException timeout) {
      return !socket.isClosed() ? false : super.onIdleExpired(timeout);
    }
  }
}
