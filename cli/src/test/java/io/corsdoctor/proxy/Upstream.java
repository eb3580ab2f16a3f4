package io.corsdoctor.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scriptable upstream on loopback (port 0): each connection's requests go to a handler that
 * writes whatever bytes it likes, so tests can send duplicate headers, garbage, resets or nothing.
 */
final class Upstream implements AutoCloseable {

  /** A request as the upstream received it. */
  record Received(String method, String target, List<String[]> headers, byte[] body) {
    String get(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }
  }

  interface Handler {
    /** Answers one request; return false to close the connection afterwards. */
    boolean handle(Received request, InputStream in, OutputStream out, Socket socket)
        throws Exception;
  }

  final ServerSocket server;
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> daemon(r));
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile Handler handler;

  Upstream(Handler handler) throws IOException {
    this(InetAddress.getByName("127.0.0.1"), handler);
  }

  Upstream(InetAddress bind, Handler handler) throws IOException {
    this(bind, 0, handler);
  }

  Upstream(InetAddress bind, int port, Handler handler) throws IOException {
    this.handler = handler;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(bind, port), 4096);
    pool.execute(this::accept);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "test-upstream");
    t.setDaemon(true);
    return t;
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  void handler(Handler h) {
    this.handler = h;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        pool.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        Received r = readRequest(in);
        if (r == null) {
          return;
        }
        received.add(r);
        if (!handler.handle(r, in, out, s)) {
          return;
        }
        out.flush();
      }
    } catch (Exception e) {
      // connection over
    } finally {
      sockets.remove(s);
    }
  }

  static Received readRequest(InputStream in) throws IOException {
    String first = line(in);
    if (first == null) {
      return null;
    }
    String[] parts = first.split(" ");
    List<String[]> headers = new ArrayList<>();
    String l;
    while ((l = line(in)) != null && !l.isEmpty()) {
      int c = l.indexOf(':');
      headers.add(new String[] {l.substring(0, c).trim(), l.substring(c + 1).trim()});
    }
    Received head = new Received(parts[0], parts[1], headers, new byte[0]);
    String length = head.get("Content-Length");
    if (length != null) {
      return new Received(
          parts[0], parts[1], headers, in.readNBytes(Integer.parseInt(length.trim())));
    }
    String te = head.get("Transfer-Encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return head; // the handler reads the chunks itself
    }
    return head;
  }

  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Writes a complete answer with a Content-Length. */
  static void answer(OutputStream out, int status, String body, String... headerLines)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder s = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
    for (String h : headerLines) {
      s.append(h).append("\r\n");
    }
    s.append("Content-Length: ").append(b.length).append("\r\n\r\n");
    out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.flush();
  }

  int openConnections() {
    return sockets.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    pool.shutdownNow();
  }
}
