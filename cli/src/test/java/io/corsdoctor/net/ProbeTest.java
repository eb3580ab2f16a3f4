package io.corsdoctor.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.OutgoingRequest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeTest {
  static final InetAddress V4 = Addresses.IPV4_LOOPBACK;
  static final ProbeOptions FAST =
      ProbeOptions.DEFAULTS.withTimeouts(Duration.ofMillis(700), Duration.ofMillis(1000));

  final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  RawServer server(RawServer.Script script) throws Exception {
    RawServer s = new RawServer(V4, script);
    toClose.add(s);
    return s;
  }

  static OutgoingRequest preflight(int port) {
    return new OutgoingRequest(
        OutgoingRequest.Kind.PREFLIGHT,
        "OPTIONS",
        "http://localhost:" + port + "/sample?x=1",
        List.of(
            new Header("Accept", "*/*"),
            new Header("Access-Control-Request-Method", "POST"),
            new Header("Access-Control-Request-Headers", "content-type"),
            new Header("Origin", "http://localhost:4200")));
  }

  ProbeResult probe(RawServer s, ProbeOptions options) {
    return new Probe(options)
        .send(V4, s.port(), preflight(s.port()), null, Probe.ConnectListener.NONE);
  }

  @Test
  void sendsExactlyTheEngineHeadersPlusHostAndKeepsEveryReplyLineAsReceived() throws Exception {
    RawServer s =
        server(
            RawServer.reply(
                "HTTP/1.1 200 OK\r\naccess-control-allow-origin: *\r\nAccess-Control-Allow-Origin:"
                    + " http://localhost:4200\r\nX-Odd:   spaced  \r\nContent-Length: 5\r\n\r\nhello"));
    ProbeResult r = probe(s, FAST);
    assertThat(s.requests.get(0))
        .isEqualTo(
            "OPTIONS /sample?x=1 HTTP/1.1\r\nHost: localhost:"
                + s.port()
                + "\r\nAccept: */*\r\nAccess-Control-Request-Method: POST\r\n"
                + "Access-Control-Request-Headers: content-type\r\nOrigin: http://localhost:4200\r\n\r\n");
    HttpReply http = r.http();
    assertThat(http.status()).isEqualTo(200);
    assertThat(r.rawHeaderLines())
        .containsExactly(
            "access-control-allow-origin: *",
            "Access-Control-Allow-Origin: http://localhost:4200",
            "X-Odd:   spaced  ",
            "Content-Length: 5");
    assertThat(http.values("Access-Control-Allow-Origin"))
        .containsExactly("*", "http://localhost:4200");
    assertThat(http.headers().get(0).name()).isEqualTo("access-control-allow-origin");
    assertThat(r.bodyPrefix()).isEqualTo("hello");
    assertThat(r.connected()).isTrue();
  }

  @Test
  void aNonHttpStatusLineIsKeptAndIsAnInvalidResponse() throws Exception {
    RawServer s =
        server(RawServer.reply("RTSP/1.0 403 Forbidden\r\nServer: AirTunes/620.8.2\r\n\r\n"));
    ProbeResult r = probe(s, FAST);
    assertThat(r.statusLine()).isEqualTo("RTSP/1.0 403 Forbidden");
    assertThat(r.failure().error()).isEqualTo(NetError.INVALID_HTTP_RESPONSE);
    assertThat(Fingerprints.identify(r.statusLine(), List.of(), "").orElseThrow().key())
        .isEqualTo("airplay");
  }

  @Test
  void endlessHeadersStopAtTheCapWithoutWaitingForTheDeadline() throws Exception {
    RawServer s =
        server(
            (head, out, sock) -> {
              out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
              for (int i = 0; i < 1_000_000; i++) {
                out.write(("X-Header-" + i + ": v\r\n").getBytes(StandardCharsets.ISO_8859_1));
              }
            });
    ProbeResult r = probe(s, ProbeOptions.DEFAULTS);
    assertThat(r.failure().error()).isEqualTo(NetError.RESPONSE_HEADERS_TOO_BIG);
    assertThat(r.elapsedMillis()).isLessThan(3000);
  }

  @Test
  void aOneMegabyteHeaderLineIsTooBig() throws Exception {
    RawServer s =
        server(
            (head, out, sock) -> {
              out.write("HTTP/1.1 200 OK\r\nX-Big: ".getBytes(StandardCharsets.ISO_8859_1));
              out.write("a".repeat(1 << 20).getBytes(StandardCharsets.ISO_8859_1));
              out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            });
    ProbeResult r = probe(s, ProbeOptions.DEFAULTS);
    assertThat(r.failure().error()).isEqualTo(NetError.RESPONSE_HEADERS_TOO_BIG);
    assertThat(r.rawHeaderLines().toString().length()).isLessThanOrEqualTo(300 * 1024);
  }

  @Test
  void aSlowDripEndsAtTheResponseTimeout() throws Exception {
    RawServer s =
        server(
            (head, out, sock) -> {
              for (byte b :
                  "HTTP/1.1 200 OK\r\nX-Slow: yes\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(150);
              }
            });
    ProbeResult r = probe(s, FAST);
    assertThat(r.failure().error()).isEqualTo(NetError.TIMED_OUT);
    assertThat(r.failure().detail()).contains("did not finish within 1000 ms");
    assertThat(r.elapsedMillis()).isBetween(900L, 1800L);
  }

  @Test
  void garbageBytesAreANonHttpReplyFoundQuickly() throws Exception {
    RawServer s =
        server(
            (head, out, sock) -> {
              out.write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xff, 0x01, 0x00, 0x00, 0x7f});
              out.flush();
              Thread.sleep(5000);
            });
    ProbeResult r = probe(s, ProbeOptions.DEFAULTS);
    assertThat(r.failure().error()).isEqualTo(NetError.INVALID_HTTP_RESPONSE);
    assertThat(r.printableStatusLine()).startsWith("\\x16\\x03\\x01");
    assertThat(r.elapsedMillis()).isLessThan(1000);
  }

  @Test
  void aSilentServerTimesOutAndAClosingOneIsAnEmptyResponse() throws Exception {
    RawServer silent = server((head, out, sock) -> Thread.sleep(5000));
    assertThat(probe(silent, FAST).failure().error()).isEqualTo(NetError.TIMED_OUT);
    RawServer closing = server((head, out, sock) -> sock.close());
    assertThat(probe(closing, FAST).failure().error()).isEqualTo(NetError.EMPTY_RESPONSE);
  }

  @Test
  void nothingListeningIsRefused() throws Exception {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, V4)) {
      port = ss.getLocalPort();
    }
    ProbeResult r =
        new Probe(FAST).send(V4, port, preflight(port), null, Probe.ConnectListener.NONE);
    assertThat(r.failure().error()).isEqualTo(NetError.CONNECTION_REFUSED);
    assertThat(r.connected()).isFalse();
  }

  @Test
  void aListenerThatNeverAcceptsTimesOutAtTheConnectTimeout() throws Exception {
    ServerSocket blackHole = new ServerSocket(0, 1, V4);
    toClose.add(blackHole);
    List<Socket> fillers = BlackHole.fillBacklog(blackHole);
    fillers.forEach(f -> toClose.add(f));
    ProbeResult r =
        new Probe(FAST)
            .send(
                V4,
                blackHole.getLocalPort(),
                preflight(blackHole.getLocalPort()),
                null,
                Probe.ConnectListener.NONE);
    assertThat(r.failure().error()).isEqualTo(NetError.CONNECTION_TIMED_OUT);
    assertThat(r.elapsedMillis()).isBetween(600L, 1500L);
  }

  @Test
  void chunkedBodiesAreDecodedAndLongBodiesCut() throws Exception {
    RawServer s =
        server(
            RawServer.reply(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
    assertThat(probe(s, FAST).bodyPrefix()).isEqualTo("hello world");
    String big = "x".repeat(100_000);
    RawServer t =
        server(RawServer.reply("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + big));
    ProbeResult r = probe(t, FAST);
    assertThat(r.bodyPrefix()).hasSize(64 * 1024);
    assertThat(r.bodyTruncated()).isTrue();
  }

  @Test
  void twoContentLengthsAreTheNetErrorChromiumReports() throws Exception {
    RawServer s =
        server(
            RawServer.reply("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    assertThat(probe(s, FAST).failure().error())
        .isEqualTo(NetError.RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH);
  }

  @Test
  void anUntrustedCertificateFailsLikeTheBrowserAndInsecureLooksPastIt() throws Exception {
    SSLServerSocket tls = tlsServer();
    toClose.add(tls);
    Thread t =
        new Thread(
            () -> {
              while (!tls.isClosed()) {
                try (Socket c = tls.accept()) {
                  InputStream in = c.getInputStream();
                  RawServer.readHead(in);
                  c.getOutputStream()
                      .write(
                          "HTTP/1.1 204 No Content\r\nServer: test\r\n\r\n"
                              .getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                  // handshake refused by the client: expected in the first probe
                }
              }
            });
    t.setDaemon(true);
    t.start();
    int port = tls.getLocalPort();
    OutgoingRequest req =
        new OutgoingRequest(
            OutgoingRequest.Kind.PREFLIGHT,
            "OPTIONS",
            "https://localhost:" + port + "/",
            List.of());
    ProbeResult strict = new Probe(FAST).send(V4, port, req, null, Probe.ConnectListener.NONE);
    assertThat(strict.failure().error()).isEqualTo(NetError.CERT_AUTHORITY_INVALID);
    ProbeResult lenient =
        new Probe(FAST.withInsecure(true)).send(V4, port, req, null, Probe.ConnectListener.NONE);
    assertThat(lenient.http().status()).isEqualTo(204);
    assertThat(lenient.tls().trustProblem()).startsWith("net::ERR_CERT_AUTHORITY_INVALID");
  }

  static SSLServerSocket tlsServer() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = ProbeTest.class.getResourceAsStream("/tls/selfsigned.p12")) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, V4);
  }
}
