package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.corsdoctor.proxy.ProxyExchange.Kind;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The epoll front ({@link NettyFront}): which requests it forwards itself and which it hands to
 * Jetty, pipelining, and Jetty alone where the front cannot run. The other proxy tests run through
 * the front too (it is the default on Linux), and once more with Jetty alone (the surefire
 * execution {@code proxy-jetty-front}).
 */
class ProxyFrontTest {

  @BeforeEach
  void onLinux() {
    boolean linux = System.getProperty("os.name").toLowerCase().contains("linux");
    if (linux && "true".equals(System.getenv("CI"))) {
      assertThat(NettyFront.available()).as("the native epoll transport loads on Linux").isTrue();
    }
    assumeTrue(NettyFront.available(), "the epoll front runs on Linux only");
    assumeTrue(CorsProxy.defaultFront() == CorsProxy.Front.AUTO, "this run forces Jetty alone");
  }

  private static Upstream echo() throws Exception {
    return new Upstream(
        (r, in, out, s) -> {
          if (r.method().equals("HEAD")) {
            out.write(
                "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return true;
          }
          Upstream.answer(
              out,
              200,
              r.method() + " " + r.target() + " " + r.body().length,
              "Access-Control-Allow-Origin: *");
          return true;
        });
  }

  @Test
  void leanRequestsStayOnTheFrontAndABodyMovesTheConnectionToJetty() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url())) {
      assertThat(p.proxy.epollFront()).isTrue();
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        for (int i = 0; i < 3; i++) {
          c.send("GET /g" + i + " HTTP/1.1\r\nHost: x\r\nOrigin: " + APP + "\r\n\r\n");
          RawHttp.Answer a = c.read(true);
          assertThat(a.text()).isEqualTo("GET /g" + i + " 0");
          assertThat(a.get("Access-Control-Allow-Origin")).isEqualTo(APP);
        }
        assertThat(p.proxy.tunnelled()).as("connections handed to Jetty").isZero();
        c.send(
            "POST /p HTTP/1.1\r\nHost: x\r\nOrigin: " + APP + "\r\nContent-Length: 5\r\n\r\nhello");
        RawHttp.Answer posted = c.read(true);
        assertThat(posted.text()).isEqualTo("POST /p 5");
        assertThat(posted.get("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(p.proxy.tunnelled()).isEqualTo(1);
        // The rest of the connection goes through Jetty, which still answers lean requests.
        c.send("GET /after HTTP/1.1\r\nHost: x\r\nOrigin: " + APP + "\r\n\r\n");
        assertThat(c.read(true).text()).isEqualTo("GET /after 0");
      }
      List<ProxyExchange> log = p.logged(5);
      assertThat(log).hasSize(5);
      assertThat(log).extracting(ProxyExchange::path).contains("/g0", "/g2", "/p", "/after");
      // Jetty saw the browser's address (the PROXY line), not the front's.
      assertThat(up.received.get(3).get("Forwarded")).startsWith("for=\"127.0.0.1\"");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderWithPreflightsAnsweredOnTheFront() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url())) {
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        c.send(
            "GET /1 HTTP/1.1\r\nHost: x\r\nOrigin: "
                + APP
                + "\r\n\r\n"
                + "OPTIONS /2 HTTP/1.1\r\nHost: x\r\nOrigin: "
                + APP
                + "\r\nAccess-Control-Request-Method: PUT\r\n\r\n"
                + "HEAD /3 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read(true).text()).isEqualTo("GET /1 0");
        RawHttp.Answer pre = c.read(false);
        assertThat(pre.status()).isEqualTo(204);
        assertThat(pre.get("Access-Control-Allow-Methods")).isEqualTo("PUT");
        RawHttp.Answer head = c.read(false);
        assertThat(head.status()).isEqualTo(200);
        assertThat(c.read(true).text()).isEqualTo("GET /4 0");
      }
      assertThat(p.proxy.tunnelled()).isZero();
      assertThat(up.received)
          .extracting(Upstream.Received::target)
          .containsExactly("/1", "/3", "/4");
      assertThat(p.logged(4))
          .extracting(ProxyExchange::kind)
          .containsExactly(Kind.FORWARDED, Kind.PREFLIGHT, Kind.FORWARDED, Kind.FORWARDED);
    }
  }

  @Test
  void aRequestSplitAcrossManyWritesIsReadWhole() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url())) {
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        String req =
            "GET /slow?q=1 HTTP/1.1\r\nHost: x\r\nX-Long: " + "v".repeat(3000) + "\r\n\r\n";
        for (int i = 0; i < req.length(); i += 700) {
          c.send(req.substring(i, Math.min(req.length(), i + 700)));
          Thread.sleep(5);
        }
        assertThat(c.read(true).text()).isEqualTo("GET /slow?q=1 0");
      }
      assertThat(p.proxy.tunnelled()).isZero();
    }
  }

  @Test
  void aMalformedOrOversizedRequestGetsJettysAnswer() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer big =
          RawHttp.exchange(
              p.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
      assertThat(big.status()).isEqualTo(431);
      RawHttp.Answer bad = RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost x\r\n\r\n");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(up.received).isEmpty();
    }
  }

  /** Answers by path, written as the test needs them: split, slow, doubled, too long. */
  private static Upstream scripted() throws Exception {
    return new Upstream(
        (r, in, out, s) -> {
          byte[] head;
          switch (r.target()) {
            case "/split-head" -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Le");
              Thread.sleep(30);
              write(out, "ngth: 5\r\nAccess-Control-Allow-Origin: *\r\n\r\nhello");
            }
            case "/slow-body" -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nslow");
              Thread.sleep(30);
              write(out, " bo");
              Thread.sleep(30);
              write(out, "dy!");
              Thread.sleep(30);
              write(out, "!");
            }
            case "/two-lengths" ->
                write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 4\r\n\r\nokok");
            case "/too-long" -> {
              write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokSURPLUS");
              return false;
            }
            case "/no-content" -> write(out, "HTTP/1.1 204 No Content\r\nX-Seen: yes\r\n\r\n");
            case "/folded" ->
                write(out, "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 1\r\n\r\nf");
            default -> Upstream.answer(out, 200, "plain " + r.target());
          }
          return true;
        });
  }

  private static void write(java.io.OutputStream out, String text) throws java.io.IOException {
    out.write(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Test
  void answersReadBitByBitOrLeftToJettysParserArriveWholeOnOneConnection() throws Exception {
    try (Upstream up = scripted();
        ProxyFixture p = new ProxyFixture(up.url());
        RawHttp c = new RawHttp("127.0.0.1", p.port())) {
      String[][] cases = {
        {"/split-head", "200", "hello"},
        {"/slow-body", "200", "slow body!!"},
        {"/plain", "200", "plain /plain"},
        {"/too-long", "200", "ok"}, // the surplus is dropped with the target's connection
        {"/no-content", "204", ""},
        {"/two-lengths", "502", null}, // Jetty's parser refuses it, as before the scanner
        {"/folded", "502", null}, // obs-fold: refused by Jetty's parser too
        {"/plain", "200", "plain /plain"},
      };
      for (String[] k : cases) {
        c.send("GET " + k[0] + " HTTP/1.1\r\nHost: x\r\nOrigin: " + APP + "\r\n\r\n");
        RawHttp.Answer a = c.read(true);
        assertThat(a.status()).as(k[0]).isEqualTo(Integer.parseInt(k[1]));
        assertThat(a.all("Access-Control-Allow-Origin")).as(k[0]).containsExactly(APP);
        if (k[2] != null) {
          assertThat(a.text()).as(k[0]).isEqualTo(k[2]);
        }
        if (k[0].equals("/no-content")) {
          assertThat(a.get("X-Seen")).isEqualTo("yes");
        }
      }
      assertThat(p.proxy.tunnelled()).isZero();
    }
  }

  @Test
  void aRequestTheScannerDeclinesGetsJettysVerdict() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url())) {
      // A Host that is not a host: Jetty refuses it, it never reaches the target's Forwarded.
      assertThat(RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\"b\r\n\r\n").status())
          .isEqualTo(400);
      assertThat(
              RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n").status())
          .isEqualTo(400);
      assertThat(RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
      assertThat(up.received).isEmpty();
      // Folded: refused by Jetty's parser too. With an empty body: forwarded by Jetty.
      assertThat(
              RawHttp.exchange(p.port(), "GET /f HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n")
                  .status())
          .isEqualTo(400);
      assertThat(up.received).isEmpty();
      RawHttp.Answer empty =
          RawHttp.exchange(p.port(), "GET /e HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      assertThat(empty.status()).isEqualTo(200);
      assertThat(empty.text()).isEqualTo("GET /e 0");
    }
  }

  @Test
  void theFrontLeavesTheVerdictToTheLogsThread() throws Exception {
    List<java.util.function.Supplier<ProxyExchange>> later =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    List<ProxyExchange> now = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExchangeLog sink =
        new ExchangeLog() {
          @Override
          public void accept(ProxyExchange e) {
            now.add(e);
          }

          @Override
          public void later(java.util.function.Supplier<ProxyExchange> e) {
            later.add(e);
          }
        };
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  // The story's duplicate: blocked directly, repaired by the proxy.
                  Upstream.answer(
                      out,
                      200,
                      "{}",
                      "Access-Control-Allow-Origin: *",
                      "Access-Control-Allow-Origin: " + APP);
                  return true;
                });
        CorsProxy proxy =
            CorsProxy.create(
                    ProxySettings.of(java.net.URI.create(up.url()), List.of(APP)),
                    sink,
                    CorsProxy.Front.AUTO)
                .start()) {
      RawHttp.Answer a = RawHttp.get(proxy.port(), "/sample", APP);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      long end = System.currentTimeMillis() + 5000;
      while (later.isEmpty() && System.currentTimeMillis() < end) {
        Thread.sleep(10);
      }
      assertThat(now).isEmpty();
      assertThat(later).hasSize(1);
      ProxyExchange e = later.get(0).get(); // built here, on the test's thread
      assertThat(e.path()).isEqualTo("/sample");
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.verdict().upstream()).isEqualTo("blocked");
      assertThat(e.verdict().upstreamCorsError()).isEqualTo("MultipleAllowOriginValues");
      assertThat(e.verdict().proxied()).isEqualTo("pass");
      assertThat(e.changes())
          .extracting(Change::code)
          .containsExactly(Change.Code.ALLOW_ORIGIN_DUPLICATE_REMOVED);
    }
  }

  @Test
  void aBrowserOnIpv6IsNamedInForwardedOnBothPaths() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url(), s -> s.withListen("::1", 0))) {
      try (RawHttp c = new RawHttp("::1", p.port())) {
        c.send("GET /lean HTTP/1.1\r\nHost: [::1]\r\n\r\n");
        assertThat(c.read(true).text()).isEqualTo("GET /lean 0");
        c.send("POST /body HTTP/1.1\r\nHost: [::1]\r\nContent-Length: 2\r\n\r\nhi");
        assertThat(c.read(true).text()).isEqualTo("POST /body 2");
      }
      assertThat(p.proxy.tunnelled()).isEqualTo(1);
      // The front names the browser itself; Jetty learns it from the PROXY line (TCP6): the same.
      String both = "for=\"[0:0:0:0:0:0:0:1]\";host=\"[::1]\";proto=http";
      assertThat(up.received).extracting(r -> r.get("Forwarded")).containsExactly(both, both);
    }
  }

  @Test
  void jettyAloneServesWhereTheFrontCannotRun() throws Exception {
    try (Upstream up = echo();
        ProxyFixture p = new ProxyFixture(up.url(), s -> s, CorsProxy.Front.JETTY)) {
      assertThat(p.proxy.epollFront()).isFalse();
      RawHttp.Answer a = RawHttp.get(p.port(), "/j", APP);
      assertThat(a.text()).isEqualTo("GET /j 0");
      assertThat(a.headers())
          .filteredOn(h -> h[0].equalsIgnoreCase("Access-Control-Allow-Origin"))
          .hasSize(1);
    }
  }
}
