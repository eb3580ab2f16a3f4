package io.corsdoctor.browsertruth;

import io.corsdoctor.browsertruth.Scenario.Respond;
import io.corsdoctor.browsertruth.Scenario.Rule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * Raw scenario servers: plain sockets that read each request and write exactly the bytes the
 * scenario's rules define (or close, reset, hang), then close the connection. Every request that
 * arrives is logged with the bytes sent back.
 */
final class ScenarioServer implements AutoCloseable {
  private static final byte[] PAGE_BODY =
      "<!doctype html><html><head><title>cors-doctor browser truth</title></head><body>page</body></html>"
          .getBytes(StandardCharsets.ISO_8859_1);

  /** What to do with one request. */
  sealed interface Answer permits Bytes, Action {}

  /** Write these bytes (after {@code delayMs}), then close. */
  record Bytes(byte[] bytes, long delayMs) implements Answer {}

  /** close, reset or hang. */
  record Action(String name) implements Answer {}

  /**
   * One request a listener received and what it answered.
   *
   * @param listener the listener's label, e.g. {@code 127.0.0.1:41234}
   * @param name the topology name of the listener ({@code api}, {@code page}...)
   */
  record Received(
      String listener,
      String name,
      String requestLine,
      List<String> headerLines,
      Answer answer,
      long atMillis) {
    String method() {
      return requestLine.split(" ", 2)[0];
    }

    String target() {
      String[] parts = requestLine.split(" ");
      return parts.length > 1 ? parts[1] : "";
    }

    Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return headerLines.stream()
          .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(l -> l.substring(prefix.length()).trim())
          .findFirst();
    }

    boolean isPreflight() {
      return method().equals("OPTIONS") && header("Access-Control-Request-Method").isPresent();
    }
  }

  private final Topology topology;
  private final List<Rule> rules;
  private final List<Received> log = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  ScenarioServer(Topology topology, List<Rule> rules) {
    this.topology = topology;
    this.rules = List.copyOf(rules);
    for (Topology.Bound b : topology.bound()) {
      Thread t = new Thread(() -> acceptLoop(b), "scenario-" + b.label());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  List<Received> log() {
    return List.copyOf(log);
  }

  /** What the listener {@code label} answers to {@code method path}: the first matching rule. */
  Answer answerFor(String label, String name, String method, String path) {
    for (Rule rule : rules) {
      if (rule.listener() != null
          ? !rule.listener().equals(label)
          : Topology.PAGE_LISTENERS.contains(name)) {
        continue;
      }
      if (rule.method() != null && !rule.method().equals(method)) {
        continue;
      }
      if (rule.path() != null && !rule.path().equals(path)) {
        continue;
      }
      return toAnswer(rule.respond());
    }
    if (Topology.PAGE_LISTENERS.contains(name) && !path.equals("/favicon.ico")) {
      return new Bytes(page(), 0);
    }
    return new Bytes(
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1),
        0);
  }

  private static byte[] page() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + PAGE_BODY.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(PAGE_BODY);
    return out.toByteArray();
  }

  static Answer toAnswer(Respond r) {
    long delay = r.delayMs() == null ? 0 : r.delayMs();
    if (r.action() != null) {
      return new Action(r.action());
    }
    if (r.raw() != null) {
      return new Bytes(r.raw().getBytes(StandardCharsets.ISO_8859_1), delay);
    }
    int status = r.status();
    String reason = r.reason() != null ? r.reason() : Reasons.phrase(status);
    StringBuilder head = new StringBuilder();
    head.append(r.proto() == null ? "HTTP/1.1" : r.proto())
        .append(' ')
        .append(status)
        .append(' ')
        .append(reason)
        .append("\r\n");
    if (r.headers() != null) {
      for (List<String> h : r.headers()) {
        head.append(h.get(0)).append(": ").append(h.get(1)).append("\r\n");
      }
    }
    byte[] body = (r.body() == null ? "" : r.body()).getBytes(StandardCharsets.UTF_8);
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return new Bytes(out.toByteArray(), delay);
  }

  private void acceptLoop(Topology.Bound b) {
    while (!b.socket().isClosed()) {
      try {
        Socket s = b.socket().accept();
        open.add(s);
        Thread t = new Thread(() -> handle(b, s), "conn-" + b.label());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Topology.Bound b, Socket s) {
    try {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        s.close();
        return;
      }
      String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
      List<String> headerLines = new ArrayList<>();
      long contentLength = 0;
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isEmpty()) {
          continue;
        }
        headerLines.add(lines[i]);
        if (lines[i].toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          contentLength = Long.parseLong(lines[i].substring(15).trim());
        }
      }
      in.readNBytes((int) Math.min(contentLength, 1 << 20));
      String requestLine = lines[0];
      String[] parts = requestLine.split(" ");
      String method = parts[0];
      String path = parts.length > 1 ? parts[1].split("\\?", 2)[0] : "/";
      Answer answer = answerFor(b.label(), b.name(), method, path);
      log.add(
          new Received(
              b.label(), b.name(), requestLine, headerLines, answer, System.currentTimeMillis()));
      OutputStream out = s.getOutputStream();
      if (answer instanceof Bytes bytes) {
        if (bytes.delayMs() > 0) {
          Thread.sleep(bytes.delayMs());
        }
        out.write(bytes.bytes());
        out.flush();
        s.shutdownOutput();
        drain(in);
      } else if (answer instanceof Action action) {
        switch (action.name()) {
          case "reset":
            s.setSoLinger(true, 0);
            break;
          case "hang":
            stopped.await();
            break;
          default:
            break;
        }
      }
    } catch (SocketTimeoutException | SocketException e) {
      // the browser gave up or the scenario ended
    } catch (IOException e) {
      // a connection that breaks is the browser's business; the log shows what arrived
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        s.close();
      } catch (IOException e) {
        // nothing left to do
      }
      open.remove(s);
    }
  }

  /** Waits briefly for the browser to close its side, so the close is orderly, not a reset. */
  private static void drain(InputStream in) {
    try {
      byte[] buf = new byte[4096];
      while (in.read(buf) >= 0) {
        // discard
      }
    } catch (IOException e) {
      // closed or timed out: either way the reply is out
    }
  }

  /** Reads up to and including the blank line; null when the peer sent nothing. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (head.size() < 65536) {
      int c = in.read();
      if (c < 0) {
        return head.size() == 0 ? null : head.toByteArray();
      }
      head.write(c);
      state =
          (c == '\r' && (state == 0 || state == 2))
              ? state + 1
              : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return head.toByteArray();
      }
    }
    return head.toByteArray();
  }

  Map<String, Integer> ports() {
    return topology.ports();
  }

  @Override
  public void close() {
    stopped.countDown();
    topology.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
