package io.corsdoctor.cli;

import io.corsdoctor.proxy.CorsProxy;
import io.corsdoctor.proxy.ProxySettings;
import io.corsdoctor.report.ProxyLogRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * The run the {@code ./cors-doctor} launcher records its class-data-sharing archive from ({@code
 * -XX:ArchiveClassesAtExit}): one JVM that goes through the commands a user runs first, so that
 * each of them later starts with its classes mapped from the archive instead of loaded, verified
 * and linked from the jar. Output is discarded; nothing leaves loopback (the demo's stand-ins and a
 * listener of its own on 127.0.0.1).
 */
public final class CdsTraining {
  private static final String ORIGIN = "http://localhost:4200";

  private CdsTraining() {}

  /** {@code proxy}: the proxy's own archive (see {@link #proxy}); else every other command's. */
  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("proxy")) {
      proxy();
      return;
    }
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> accept(listener), "cds-training-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();
      String port = Integer.toString(listener.getLocalPort());
      List<String[]> runs = new ArrayList<>();
      runs.add(new String[] {"demo"});
      runs.add(new String[] {"demo", "--format", "json"});
      runs.add(new String[] {"port", port});
      runs.add(new String[] {"port", port, "--format", "json"});
      runs.add(new String[] {"ports"});
      runs.add(
          new String[] {
            "explain",
            "Access to fetch at 'http://localhost:5000/api' from origin 'http://localhost:4200' has"
                + " been blocked by CORS policy: Response to preflight request doesn't pass access"
                + " control check: No 'Access-Control-Allow-Origin' header is present on the"
                + " requested resource."
          });
      runs.add(new String[] {"--help"});
      for (String[] run : runs) {
        Main.startEarly(
            Main.subcommand(run), run); // as Main.main does: its classes are archived too
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.execute(run);
      }
    }
  }

  /**
   * The proxy's archive, kept apart (the launcher maps it for {@code proxy} only): with its classes
   * of Jetty, Netty and the proxy the archive is nearly three times larger, and every other command
   * would map and relocate all of it ({@code --help} 194.7 ± 8.4 ms against 189.5 ± 7.2 ms;
   * bench/proxy/RESULTS.md). A proxy in front of the demo's API, both on 127.0.0.1, with one
   * request of each kind through it (lean, preflight, with a body) and its log lines rendered; the
   * {@code proxy} command itself blocks until stopped, so the training drives the same classes
   * directly. Returns the log lines (empty when it failed).
   */
  static String proxy() {
    try (DemoServers api = DemoServers.start()) {
      ProxyLogRenderer text = new ProxyLogRenderer(false, Help.Ansi.OFF);
      ProxyLogRenderer json = new ProxyLogRenderer(true, Help.Ansi.OFF);
      StringBuilder lines = new StringBuilder();
      ProxySettings settings =
          ProxySettings.of(URI.create("http://127.0.0.1:" + api.port()), List.of(ORIGIN))
              .withListen("127.0.0.1", 0);
      try (CorsProxy proxy =
          CorsProxy.create(
                  settings,
                  e -> {
                    synchronized (lines) {
                      text.line(e, lines);
                      json.line(e, lines);
                    }
                  })
              .start()) {
        String head = "Host: 127.0.0.1\r\nOrigin: " + ORIGIN + "\r\nConnection: close\r\n";
        exchange(proxy.port(), "GET /sample HTTP/1.1\r\n" + head + "\r\n");
        exchange(
            proxy.port(),
            "OPTIONS /sample HTTP/1.1\r\n" + head + "Access-Control-Request-Method: POST\r\n\r\n");
        exchange(
            proxy.port(),
            "POST /sample HTTP/1.1\r\n"
                + head
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
      }
      synchronized (lines) {
        return lines.toString();
      }
    } catch (Exception e) {
      // the archive then lacks the proxy's classes: later starts are slower, not wrong
      return "";
    }
  }

  /** Sends one whole request and reads the answer until the proxy closes the connection. */
  private static void exchange(int port, String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      s.getInputStream().readAllBytes();
    }
  }

  private static void accept(ServerSocket listener) {
    List<Socket> held = new ArrayList<>();
    try {
      while (true) {
        held.add(listener.accept());
      }
    } catch (IOException e) {
      // closed at the end of the training
    }
  }
}
