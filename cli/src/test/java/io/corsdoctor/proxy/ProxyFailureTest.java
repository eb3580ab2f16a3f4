package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.proxy.Change.Code;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Upstream down, resetting, hanging or answering garbage: 502/504 with CORS, and the proxy lives.
 */
class ProxyFailureTest {

  private static void assertStillServes(ProxyFixture p, Upstream up) throws Exception {
    up.handler(
        (r, in, out, s) -> {
          Upstream.answer(out, 200, "fine");
          return true;
        });
    RawHttp.Answer ok = RawHttp.get(p.port(), "/again", APP);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.text()).isEqualTo("fine");
  }

  @Test
  void upstreamDownGives502WithCorsHeadersAndAPlainReason() throws Exception {
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    try (ProxyFixture p = new ProxyFixture("http://127.0.0.1:" + freePort)) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/sample", APP);
      assertThat(a.status()).isEqualTo(502);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.text())
          .startsWith("cors-doctor proxy: could not connect to http://127.0.0.1:" + freePort)
          .contains("is it running?");
      ProxyExchange e = p.last();
      assertThat(e.kind()).isEqualTo(ProxyExchange.Kind.UPSTREAM_ERROR);
      assertThat(e.changes()).extracting(Change::code).containsExactly(Code.UPSTREAM_UNREACHABLE);
      // and again: the proxy keeps answering
      assertThat(RawHttp.get(p.port(), "/sample", APP).status()).isEqualTo(502);
    }
  }

  @Test
  void garbageFromTheUpstreamGives502() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      "RTSP/1.0 ?? nonsense\r\n\0\0\0garbage\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/sample", APP);
      assertThat(a.status()).isEqualTo(502);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.text()).contains("not valid HTTP");
      assertStillServes(p, up);
    }
  }

  @Test
  void aResetBeforeAnsweringGives502() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  s.setSoLinger(true, 0); // RST instead of FIN
                  s.close();
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/sample", APP);
      assertThat(a.status()).isEqualTo(502);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(p.last().changes()).extracting(Change::code).containsExactly(Code.UPSTREAM_FAILED);
      assertStillServes(p, up);
    }
  }

  @Test
  void aHangingUpstreamGives504AfterTheTimeout() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  Thread.sleep(10_000);
                  return false;
                });
        ProxyFixture p =
            new ProxyFixture(up.url(), s -> s.withUpstreamTimeout(Duration.ofSeconds(1)))) {
      long t0 = System.nanoTime();
      RawHttp.Answer a = RawHttp.get(p.port(), "/slow", APP);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(a.status()).isEqualTo(504);
      assertThat(ms).isBetween(900L, 5000L);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.text()).contains("did not answer within 1 s");
      assertThat(p.last().changes())
          .extracting(Change::code)
          .containsExactly(Code.UPSTREAM_TIMEOUT);
      assertStillServes(p, up);
    }
  }

  @Test
  void aResponseCutMidBodyIsAbortedTowardsTheBrowser() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  OutputStream o = out;
                  o.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  o.flush();
                  Thread.sleep(200);
                  s.setSoLinger(true, 0);
                  s.close();
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        c.send("GET /big HTTP/1.1\r\nHost: x\r\nOrigin: " + APP + "\r\n\r\n");
        assertThat(c.line()).startsWith("HTTP/1.1 200");
        byte[] rest = c.in.readAllBytes(); // ends: the proxy closed the connection
        assertThat(rest.length).isLessThan(100_000);
      } catch (java.net.SocketException reset) {
        // also fine: the proxy aborted with a reset
      }
      assertStillServes(p, up);
    }
  }
}
