package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.net.Addresses;
import io.corsdoctor.net.RawServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** check, black-box, against small loopback servers: one per finding code. */
class CheckCommandTest {
  static final InetAddress V4 = Addresses.IPV4_LOOPBACK;
  static final InetAddress V6 = Addresses.IPV6_LOOPBACK;
  static final String ORIGIN = "http://localhost:4200";
  static final String OK_PREFLIGHT =
      "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: http://localhost:4200\r\n"
          + "Access-Control-Allow-Methods: GET, POST, PUT\r\nAccess-Control-Allow-Headers:"
          + " content-type\r\nContent-Length: 0\r\n\r\n";

  final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  RawServer serve(InetAddress a, int port, String preflight, String actual) throws Exception {
    RawServer s =
        new RawServer(
            a,
            port,
            (head, out, sock) ->
                out.write(
                    (head.startsWith("OPTIONS") ? preflight : actual)
                        .getBytes(StandardCharsets.ISO_8859_1)));
    toClose.add(s);
    return s;
  }

  RawServer serve(String preflight, String actual) throws Exception {
    return serve(V4, 0, preflight, actual);
  }

  static JsonNode check(int expectedExit, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("check", "--format", "json"));
    if (!List.of(args).contains("--timeout")) {
      all.addAll(List.of("--timeout", "2s"));
    }
    all.addAll(List.of(args));
    MainTest.Run r = MainTest.run(all.toArray(String[]::new));
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(expectedExit);
    return Loopback.json(r.out());
  }

  static String put(RawServer s) {
    return "http://127.0.0.1:" + s.port() + "/api/items";
  }

  @Test
  void aServerThatGetsEverythingRightPassesWithExitZero() throws Exception {
    RawServer s =
        serve(
            OK_PREFLIGHT,
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://localhost:4200\r\nContent-Length: 2\r\n\r\nok");
    JsonNode root =
        check(0, put(s), "--origin", ORIGIN, "-X", "PUT", "-H", "Content-Type: application/json");
    assertThat(root.get("verdict").asText()).isEqualTo("pass");
    assertThat(root.get("chrome").get("message").isNull()).isTrue();
    assertThat(root.get("request").get("preflight").asBoolean()).isTrue();
    assertThat(root.get("probes")).hasSize(2);
    assertThat(s.requests.get(0))
        .startsWith("OPTIONS /api/items HTTP/1.1\r\nHost: 127.0.0.1:" + s.port() + "\r\n")
        .contains("Origin: http://localhost:4200\r\n")
        .containsIgnoringCase("Access-Control-Request-Method: PUT\r\n");
  }

  @Test
  void nothingListeningCannotBeCheckedAndExitsThree() throws Exception {
    int port = Loopback.freeOnBoth();
    JsonNode root = check(3, "http://localhost:" + port + "/sample", "--origin", ORIGIN);
    assertThat(root.get("verdict").asText()).isEqualTo("network-error");
    assertThat(root.get("chrome").get("netError").asText())
        .isEqualTo("net::ERR_CONNECTION_REFUSED");
    assertThat(Loopback.codes(root)).contains("NOTHING_LISTENING");
  }

  @Test
  void onlyOneLoopbackAddressListeningIsAWarningAndChromiumFallsBack() throws Exception {
    int port = Loopback.freeOnBoth();
    serve(
        V4,
        port,
        OK_PREFLIGHT,
        "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n");
    JsonNode root = check(0, "http://localhost:" + port + "/sample", "--origin", ORIGIN);
    assertThat(root.get("addresses").get("chrome").asText()).isEqualTo("127.0.0.1");
    assertThat(Loopback.codes(root)).contains("ADDRESS_NOT_LISTENING");
    assertThat(root.get("verdict").asText()).isEqualTo("pass");
  }

  @Test
  void aBlackHoledAddressDoesNotStallTheOther() throws Exception {
    int port = Loopback.freeOnBoth();
    ServerSocket hole = new ServerSocket();
    hole.bind(new InetSocketAddress(V6, port), 1);
    toClose.add(hole);
    for (int i = 0; i < 8; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(V6, port), 200);
        toClose.add(s);
      } catch (Exception e) {
        s.close();
        break;
      }
    }
    serve(
        V4,
        port,
        OK_PREFLIGHT,
        "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n");
    long start = System.nanoTime();
    JsonNode root =
        check(
            0,
            "http://localhost:" + port + "/sample",
            "--origin",
            ORIGIN,
            "--connect-timeout",
            "1s");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(ms).isLessThan(1000 + 1500);
    assertThat(Loopback.codes(root)).contains("ADDRESS_SILENT");
    assertThat(root.get("addresses").get("chrome").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void aRedirectedPreflightNamesTheSlash() throws Exception {
    RawServer s =
        serve(
            "HTTP/1.1 308 Permanent Redirect\r\nLocation: /api/items/\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    JsonNode root = check(1, put(s), "--origin", ORIGIN, "-X", "PUT");
    assertThat(root.get("chrome").get("corsError").asText())
        .isEqualTo("PreflightDisallowedRedirect");
    assertThat(Loopback.codes(root)).contains("PREFLIGHT_REDIRECT");
    assertThat(root.toString()).contains("trailing slash");
  }

  @Test
  void authBeforeCorsAndUnhandledOptionsAreToldApart() throws Exception {
    RawServer auth =
        serve(
            "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nAccess-Control-Allow-Origin: http://localhost:4200\r\nContent-Length: 0\r\n\r\n",
            "");
    assertThat(Loopback.codes(check(1, put(auth), "--origin", ORIGIN, "-X", "PUT")))
        .contains("PREFLIGHT_REJECTED_BY_AUTH");
    RawServer notHandled =
        serve(
            "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, PUT\r\nAccess-Control-Allow-Origin: http://localhost:4200\r\nX-Powered-By: Express\r\nContent-Length: 0\r\n\r\n",
            "");
    JsonNode root = check(1, put(notHandled), "--origin", ORIGIN, "-X", "PUT");
    assertThat(Loopback.codes(root)).contains("OPTIONS_NOT_HANDLED");
    assertThat(root.toString()).contains("app.options('*', cors())");
  }

  @Test
  void anErrorWithoutCorsHeadersIsNotCalledACorsProblem() throws Exception {
    RawServer s =
        serve(
            OK_PREFLIGHT,
            "HTTP/1.1 500 Internal Server Error\r\nServer: Werkzeug/3.0.1 Python/3.12.0\r\nContent-Length: 16\r\n\r\nKeyError: 'name'");
    JsonNode root =
        check(
            1,
            put(s),
            "--origin",
            ORIGIN,
            "-X",
            "PUT",
            "-H",
            "Content-Type: application/json",
            "--data",
            "{}");
    assertThat(root.get("chrome").get("corsError").asText()).isEqualTo("MissingAllowOriginHeader");
    assertThat(Loopback.codes(root)).contains("ERROR_WITHOUT_CORS_HEADERS");
    assertThat(root.toString()).contains("KeyError");
  }

  @Test
  void localhostVersus127IsExplainedInTheMismatch() throws Exception {
    RawServer s =
        serve(
            "",
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://127.0.0.1:4200\r\nContent-Length: 0\r\n\r\n");
    JsonNode root = check(1, put(s), "--origin", ORIGIN);
    assertThat(root.get("chrome").get("corsError").asText()).isEqualTo("AllowOriginMismatch");
    assertThat(Loopback.codes(root)).contains("ALLOW_ORIGIN_MISMATCH");
    assertThat(root.toString()).contains("different origins");
  }

  @Test
  void aWildcardWithCredentialsIsRefused() throws Exception {
    RawServer s =
        serve("", "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n");
    JsonNode root = check(1, put(s), "--origin", ORIGIN, "--credentials", "include");
    assertThat(Loopback.codes(root)).contains("WILDCARD_WITH_CREDENTIALS");
  }

  @Test
  void aNonHttpResponderIsANetworkErrorWithItsFirstLineShown() throws Exception {
    RawServer s =
        serve(
            "RTSP/1.0 403 Forbidden\r\nServer: AirTunes/620.8.2\r\n\r\n",
            "RTSP/1.0 403 Forbidden\r\n\r\n");
    JsonNode root = check(1, put(s), "--origin", ORIGIN);
    assertThat(root.get("verdict").asText()).isEqualTo("network-error");
    assertThat(root.get("chrome").get("netError").asText())
        .isEqualTo("net::ERR_INVALID_HTTP_RESPONSE");
    assertThat(root.get("probes").get(0).get("statusLine").asText())
        .isEqualTo("RTSP/1.0 403 Forbidden");
    assertThat(Loopback.codes(root))
        .contains("NON_HTTP_RESPONDER", "KNOWN_SQUATTER_AIRPLAY_RECEIVER");
  }

  @Test
  void sendAnywayShowsWhatTheActualRequestWouldHaveGot() throws Exception {
    RawServer s =
        serve(
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\n\r\n");
    JsonNode root = check(1, put(s), "--origin", ORIGIN, "-X", "PUT", "--send-anyway");
    assertThat(root.get("probes")).hasSize(2);
    assertThat(root.get("probes").get(1).get("extra").asBoolean()).isTrue();
    assertThat(Loopback.codes(root)).contains("DUPLICATE_ALLOW_ORIGIN");
  }

  @Test
  void hostileServersGiveFindingsNotHangs() throws Exception {
    RawServer endless =
        new RawServer(
            V4,
            (head, out, sock) -> {
              out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
              for (int i = 0; i < 1_000_000; i++) {
                out.write(("X-" + i + ": v\r\n").getBytes(StandardCharsets.ISO_8859_1));
              }
            });
    toClose.add(endless);
    JsonNode root = check(1, put(endless), "--origin", ORIGIN);
    assertThat(root.get("verdict").asText()).isEqualTo("network-error");
    assertThat(Loopback.codes(root)).contains("RESPONSE_HEADERS_TOO_BIG");
    RawServer drip =
        new RawServer(
            V4,
            (head, out, sock) -> {
              for (byte b :
                  "HTTP/1.1 200 OK\r\nX-Slow: drip drip drip drip\r\n"
                      .getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(250);
              }
            });
    toClose.add(drip);
    long start = System.nanoTime();
    JsonNode slow = check(1, put(drip), "--origin", ORIGIN, "--timeout", "1s");
    // The drip takes about 12 s to finish its head; a 1 s response timeout must end the check
    // long before that. The bound leaves room for a loaded CI machine (3 s flaked at load 30).
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(6000);
    assertThat(Loopback.codes(slow)).contains("RESPONSE_TIMED_OUT");
  }

  @Test
  void anUntrustedCertificateIsWhatTheBrowserSeesAndInsecureLooksPastIt() throws Exception {
    javax.net.ssl.SSLServerSocket tls = io.corsdoctor.net.ProbeTestAccess.tlsServer();
    toClose.add(tls);
    Thread t =
        new Thread(
            () -> {
              while (!tls.isClosed()) {
                try (Socket c = tls.accept()) {
                  io.corsdoctor.net.RawServer.readHead(c.getInputStream());
                  c.getOutputStream()
                      .write(
                          ("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
                                  + "Content-Length: 0\r\n\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                  // the strict probe refuses the handshake: expected
                }
              }
            });
    t.setDaemon(true);
    t.start();
    String url = "https://127.0.0.1:" + tls.getLocalPort() + "/";
    JsonNode strict = check(1, url, "--origin", ORIGIN);
    assertThat(strict.get("verdict").asText()).isEqualTo("network-error");
    assertThat(strict.get("chrome").get("netError").asText())
        .isEqualTo("net::ERR_CERT_AUTHORITY_INVALID");
    assertThat(Loopback.codes(strict)).contains("TLS_CERTIFICATE_REJECTED");
    JsonNode lenient = check(1, url, "--origin", ORIGIN, "--insecure");
    assertThat(lenient.get("verdict").asText()).isEqualTo("pass");
    assertThat(Loopback.codes(lenient)).contains("TLS_CERTIFICATE_REJECTED");
  }

  @Test
  void anErrorStatusThatPassesCorsIsAWarningNotABlock() throws Exception {
    RawServer s =
        serve(
            "",
            "HTTP/1.1 500 Internal Server Error\r\nAccess-Control-Allow-Origin: *\r\n"
                + "Content-Length: 5\r\n\r\noops!");
    JsonNode root = check(0, put(s), "--origin", ORIGIN);
    assertThat(root.get("verdict").asText()).isEqualTo("pass");
    assertThat(Loopback.codes(root))
        .contains("SERVER_ERROR_STATUS")
        .doesNotContain("ERROR_WITHOUT_CORS_HEADERS");
  }

  @Test
  void badInputIsAUsageErrorThatSaysWhatToType() {
    MainTest.Run r = MainTest.run("check", "http://localhost:5000/", "--origin", "localhost:4200");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("is not an origin")
        .contains("Did you mean http://localhost:4200?");
    MainTest.Run u = MainTest.run("check", "localhost:5000/x", "--origin", ORIGIN);
    assertThat(u.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(u.err()).contains("Did you mean http://localhost:5000/x?");
    MainTest.Run h =
        MainTest.run("check", "http://localhost:5000/", "--origin", ORIGIN, "-H", "nocolon");
    assertThat(h.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(h.err()).contains("'Name: value'").doesNotContain("Exception");
  }
}
