package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.report.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code proxy} command: what it checks before starting, what it says when it runs. */
class ProxyCommandTest {

  @Test
  void anOriginWithoutSchemeIsAUsageErrorWithTheFix() {
    MainTest.Run r =
        MainTest.run("proxy", "--target", "http://127.0.0.1:1", "--allow-origin", "localhost:4200");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--allow-origin \"localhost:4200\" is not an origin")
        .contains("Did you mean http://localhost:4200?")
        .doesNotContain("at io.corsdoctor");
  }

  @Test
  void wildcardWithCredentialsIsRefused() {
    MainTest.Run r =
        MainTest.run(
            "proxy",
            "--target",
            "http://127.0.0.1:1",
            "--allow-origin",
            "*",
            "--allow-credentials");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("cannot be combined with --allow-credentials");
  }

  @Test
  void badListenAndTargetAreUsageErrors() {
    assertThat(MainTest.run("proxy", "--target", "http://127.0.0.1:1", "--listen", "nope").err())
        .contains("--listen \"nope\" is not HOST:PORT");
    MainTest.Run t = MainTest.run("proxy", "--target", "127.0.0.1:5000");
    assertThat(t.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(t.err()).contains("needs a scheme and a host");
  }

  @Test
  void listenParsesTheUsualSpellings() {
    assertThat(ProxyCommand.listen("127.0.0.1:5050")).containsExactly("127.0.0.1", "5050");
    assertThat(ProxyCommand.listen("[::1]:5050")).containsExactly("::1", "5050");
    assertThat(ProxyCommand.listen("5050")).containsExactly("127.0.0.1", "5050");
    assertThat(ProxyCommand.listen(":5050")).containsExactly("127.0.0.1", "5050");
  }

  /** Starts the command in a thread; returns it once it listens. */
  static final class Running implements AutoCloseable {
    final ProxyCommand command = new ProxyCommand();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    Running(String... args) throws Exception {
      CommandLine cl = Main.commandLine();
      CommandLine sub = new CommandLine(command);
      sub.setOut(new PrintWriter(out, true));
      sub.setErr(new PrintWriter(err, true));
      sub.setExecutionExceptionHandler(cl.getExecutionExceptionHandler());
      Thread t = new Thread(() -> exit.complete(sub.execute(args)), "proxy-command");
      t.setDaemon(true);
      t.start();
      long end = System.currentTimeMillis() + 10_000;
      while (command.running == null && !exit.isDone() && System.currentTimeMillis() < end) {
        Thread.sleep(20);
      }
    }

    int port() {
      return command.running.port();
    }

    String waitForOut(String text) throws InterruptedException {
      long end = System.currentTimeMillis() + 5000;
      while (!out.toString().contains(text) && System.currentTimeMillis() < end) {
        Thread.sleep(20);
      }
      return out.toString();
    }

    @Override
    public void close() throws Exception {
      command.shutdown();
      exit.get();
    }
  }

  static ServerSocket upstream() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                  InputStream in = c.getInputStream();
                  byte[] buf = new byte[4096];
                  in.read(buf);
                  OutputStream o = c.getOutputStream();
                  o.write(
                      ("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
                              + "Access-Control-Allow-Origin: http://localhost:4200\r\n"
                              + "Content-Length: 2\r\nConnection: close\r\n\r\nok")
                          .getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    return s;
  }

  static String get(int port, String origin) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream()
          .write(
              ("GET /sample HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: "
                      + origin
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void jsonLogIsOneObjectPerLineStartingWithWhatItAllows() throws Exception {
    try (ServerSocket up = upstream();
        Running r =
            new Running(
                "--target",
                "http://127.0.0.1:" + up.getLocalPort(),
                "--listen",
                "127.0.0.1:0",
                "--allow-origin",
                "http://localhost:4200",
                "--format",
                "json")) {
      assertThat(get(r.port(), "http://localhost:4200"))
          .contains("Access-Control-Allow-Origin: http://localhost:4200")
          .doesNotContain("Access-Control-Allow-Origin: *");
      String out = r.waitForOut("\"event\":\"exchange\"");
      String[] lines = out.strip().split("\n");
      assertThat(lines).hasSize(2);
      JsonNode start = Json.mapper().readTree(lines[0]);
      assertThat(start.get("event").asText()).isEqualTo("listening");
      assertThat(start.get("allows").asText())
          .isEqualTo("http://localhost:4200, without credentials");
      assertThat(start.get("loopbackOnly").asBoolean()).isTrue();
      JsonNode ex = Json.mapper().readTree(lines[1]);
      assertThat(ex.get("method").asText()).isEqualTo("GET");
      assertThat(ex.get("path").asText()).isEqualTo("/sample");
      assertThat(ex.get("status").asInt()).isEqualTo(200);
      assertThat(ex.get("latencyMs").asDouble()).isPositive();
      assertThat(ex.get("changes").get(0).get("code").asText())
          .isEqualTo("ALLOW_ORIGIN_DUPLICATE_REMOVED");
      assertThat(ex.get("changes").get(0).get("message").asText())
          .isEqualTo("removed duplicate Access-Control-Allow-Origin '*'");
      assertThat(ex.get("verdict").get("upstream").asText()).isEqualTo("blocked");
      assertThat(ex.get("verdict").get("proxied").asText()).isEqualTo("pass");
    }
  }

  @Test
  void textLogSaysWhatItFixedAndANonLoopbackListenWarns() throws Exception {
    try (ServerSocket up = upstream();
        Running r =
            new Running(
                "--target",
                "http://127.0.0.1:" + up.getLocalPort(),
                "--listen",
                "0.0.0.0:0",
                "--allow-origin",
                "http://localhost:4200",
                "--no-color")) {
      assertThat(r.err.toString()).contains("Warning: listening on 0.0.0.0, not loopback");
      get(r.port(), "http://localhost:4200");
      String out = r.waitForOut("removed duplicate");
      assertThat(out)
          .contains("allows: http://localhost:4200, without credentials")
          .contains("GET /sample 200")
          .contains("removed duplicate Access-Control-Allow-Origin '*'")
          .contains("[browser: upstream blocked (MultipleAllowOriginValues) -> pass]");
    }
  }
}
