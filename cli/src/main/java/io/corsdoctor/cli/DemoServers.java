package io.corsdoctor.cli;

import io.corsdoctor.net.Addresses;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.ports.ProcessInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The story, inside this JVM: an API on 127.0.0.1:P that answers the POST with two
 * Access-Control-Allow-Origin lines (flask-cors's '*' plus one added by hand), and an AirTunes-like
 * impostor on [::1]:P that answers everything with 403, as macOS's AirPlay Receiver does on port
 * 5000. Both bind loopback only, on a port free on both addresses.
 */
final class DemoServers implements AutoCloseable {
  static final String API_SERVER = "Werkzeug/3.0.1 Python/3.12.0";
  static final String IMPOSTOR_SERVER = "AirTunes/620.8.2";

  private final ServerSocket api;
  private final ServerSocket impostor;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  final ProcessInfo apiProcess;
  final ProcessInfo impostorProcess;

  private DemoServers(ServerSocket api, ServerSocket impostor) {
    this.api = api;
    this.impostor = impostor;
    long pid = ProcessHandle.current().pid();
    String user = System.getProperty("user.name");
    apiProcess = new ProcessInfo(pid, "demo API (stand-in for Flask)", "cors-doctor demo", user);
    impostorProcess =
        new ProcessInfo(
            pid, "demo impostor (stand-in for macOS ControlCenter)", "cors-doctor demo", user);
    serve(api, this::answerApi, "demo-api");
    serve(impostor, this::answerImpostor, "demo-impostor");
  }

  /** Binds both servers on a port that is free on 127.0.0.1 and on ::1. */
  static DemoServers start() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      ServerSocket v4 = new ServerSocket();
      v4.bind(new InetSocketAddress(Addresses.IPV4_LOOPBACK, 0));
      try {
        ServerSocket v6 = new ServerSocket();
        v6.bind(new InetSocketAddress(Addresses.IPV6_LOOPBACK, v4.getLocalPort()));
        return new DemoServers(v4, v6);
      } catch (IOException e) {
        last = e;
        v4.close();
      }
    }
    throw last;
  }

  int port() {
    return api.getLocalPort();
  }

  /** Who owns what, as the demo knows it (both run in this JVM). */
  PortOwners owners() {
    DemoServers self = this;
    return new PortOwners() {
      @Override
      public List<Listener> listeners(int port) {
        return port != self.port()
            ? List.of()
            : List.of(
                new Listener("::1", "ipv6", port, Boolean.TRUE, impostorProcess, null),
                new Listener("127.0.0.1", "ipv4", port, null, apiProcess, null));
      }

      @Override
      public List<Listener> allListeners() {
        return listeners(self.port());
      }

      @Override
      public Optional<ProcessInfo> acceptorOf(
          InetSocketAddress clientLocal, InetSocketAddress server) {
        if (server.getPort() != self.port()) {
          return Optional.empty();
        }
        InetAddress a = server.getAddress();
        return Optional.of(a.equals(Addresses.IPV6_LOOPBACK) ? impostorProcess : apiProcess);
      }
    };
  }

  private interface Answer {
    String reply(String method, String origin);
  }

  private void serve(ServerSocket server, Answer answer, String name) {
    Thread t =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  open.add(s);
                  Thread c = new Thread(() -> handle(s, answer), name + "-conn");
                  c.setDaemon(true);
                  c.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            name);
    t.setDaemon(true);
    t.start();
  }

  private static void handle(Socket s, Answer answer) {
    try (s) {
      s.setSoTimeout(5000);
      String head = readHead(s.getInputStream());
      String method = head.isEmpty() ? "" : head.substring(0, Math.max(0, head.indexOf(' ')));
      String origin = "null";
      int length = 0;
      for (String line : head.split("\r\n")) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("origin:")) {
          origin = line.substring(7).trim();
        } else if (lower.startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      s.getInputStream().readNBytes(Math.min(length, 1 << 16));
      s.getOutputStream().write(answer.reply(method, origin).getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
    } catch (IOException | RuntimeException e) {
      // a demo connection that went wrong only loses that connection
    }
  }

  private String answerApi(String method, String origin) {
    if (method.equals("OPTIONS")) {
      return "HTTP/1.1 200 OK\r\n"
          + "Server: "
          + API_SERVER
          + "\r\n"
          + "Content-Type: text/html; charset=utf-8\r\n"
          + "Allow: OPTIONS, POST\r\n"
          + "Access-Control-Allow-Origin: *\r\n"
          + "Access-Control-Allow-Headers: content-type\r\n"
          + "Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT\r\n"
          + "Vary: Origin\r\n"
          + "Content-Length: 0\r\n"
          + "Connection: close\r\n\r\n";
    }
    String body = "{\"message\": \"sample\"}\n";
    return "HTTP/1.1 200 OK\r\n"
        + "Server: "
        + API_SERVER
        + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Access-Control-Allow-Origin: *\r\n"
        + "Access-Control-Allow-Origin: "
        + origin
        + "\r\n"
        + "Vary: Origin\r\n"
        + "Content-Length: "
        + body.length()
        + "\r\n"
        + "Connection: close\r\n\r\n"
        + body;
  }

  private String answerImpostor(String method, String origin) {
    return "HTTP/1.1 403 Forbidden\r\n"
        + "Content-Length: 0\r\n"
        + "Server: "
        + IMPOSTOR_SERVER
        + "\r\n\r\n";
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int last = 0;
    for (int c = in.read(); c >= 0 && b.size() < 65536; c = in.read()) {
      b.write(c);
      last = (last << 8) | c;
      if (last == 0x0d0a0d0a) {
        break;
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    api.close();
    impostor.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
