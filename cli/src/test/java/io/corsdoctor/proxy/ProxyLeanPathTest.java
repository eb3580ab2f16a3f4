package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.proxy.Change.Code;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lean path (requests without a body over pooled keep-alive connections) against upstreams that
 * answer oddly: every answer framing, interim answers, huge heads, stale pooled connections.
 */
class ProxyLeanPathTest {

  @Test
  void keepAliveConnectionsToTheTargetAreReused() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  Upstream.answer(out, 200, "n" + r.target());
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        for (int i = 0; i < 5; i++) {
          c.send("GET /n" + i + " HTTP/1.1\r\nHost: x\r\nOrigin: " + APP + "\r\n\r\n");
          RawHttp.Answer a = c.read(true);
          assertThat(a.text()).isEqualTo("n/n" + i);
          connections.set(up.openConnections());
        }
      }
      assertThat(connections.get()).as("upstream connections after 5 requests").isEqualTo(1);
    }
  }

  @Test
  void aTargetThatClosesAfterEveryAnswerReusesOneBuffer() throws Exception {
    // Jetty's lean path (the front's own pool allocates from Netty's pooled allocator).
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      ("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
                          .getBytes(StandardCharsets.ISO_8859_1));
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url(), s -> s, CorsProxy.Front.JETTY)) {
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        for (int i = 0; i < 20; i++) {
          c.send("GET /c" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
          assertThat(c.read(true).text()).isEqualTo("ok");
        }
      }
      assertThat(up.received).hasSize(20);
      assertThat(p.proxy.handler().pool().buffersAllocated())
          .as("256 KiB buffers allocated for 20 connections, one after the other")
          .isEqualTo(1);
    }
  }

  @Test
  void hopByHopHeadersStayOnTheirHopBothWays() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  Upstream.answer(
                      out, 200, "ok", "Connection: X-Secret-Hop", "X-Secret-Hop: 1", "X-Kept: 2");
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a =
          RawHttp.exchange(
              p.port(),
              "GET /h HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Mine\r\nX-Mine: 1\r\n"
                  + "Keep-Alive: timeout=5\r\nX-Other: 3\r\n\r\n");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.get("X-Secret-Hop")).isNull();
      assertThat(a.get("X-Kept")).isEqualTo("2");
      Upstream.Received got = up.received.get(0);
      assertThat(got.get("X-Mine")).isNull();
      assertThat(got.get("Keep-Alive")).isNull();
      assertThat(got.get("X-Other")).isEqualTo("3");
      assertThat(got.get("Via")).isEqualTo("1.1 cors-doctor");
      assertThat(got.get("Forwarded")).startsWith("for=\"127.0.0.1\"");
    }
  }

  @Test
  void chunkedAndCloseDelimitedAnswersArriveWhole() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  if (r.target().equals("/chunked")) {
                    out.write(
                        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    return true;
                  }
                  out.write(
                      "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer chunked = RawHttp.get(p.port(), "/chunked", APP);
      assertThat(chunked.text()).isEqualTo("abcdefg");
      assertThat(chunked.all("Access-Control-Allow-Origin")).containsExactly(APP);
      RawHttp.Answer eof = RawHttp.get(p.port(), "/eof", APP);
      assertThat(eof.status()).isEqualTo(200);
      assertThat(eof.text()).isEqualTo("until the end");
      assertThat(RawHttp.get(p.port(), "/chunked", APP).text()).isEqualTo("abcdefg");
    }
  }

  @Test
  void interimAnswersAreSkippedAndHeadAnswersHaveNoBody() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  if (r.method().equals("HEAD")) {
                    out.write(
                        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    return true;
                  }
                  Upstream.answer(out, 200, "after hints");
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      assertThat(RawHttp.get(p.port(), "/x", APP).text()).isEqualTo("after hints");
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        c.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n");
        RawHttp.Answer head = c.read(false);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.get("Content-Length")).isEqualTo("1000");
        c.send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read(true).text()).isEqualTo("after hints");
      }
    }
  }

  @Test
  void aHugeAnswerHeadGives502AndTheProxyLives() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.ISO_8859_1));
                  String line = "X-Big: " + "b".repeat(1000) + "\r\n";
                  for (int i = 0; i < 200 && !s.isClosed(); i++) {
                    out.write(line.getBytes(StandardCharsets.ISO_8859_1));
                  }
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/big-head", APP);
      assertThat(a.status()).as(a.text()).isEqualTo(502);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.text()).contains("not valid HTTP");
      up.handler(
          (r, in, out, s) -> {
            Upstream.answer(out, 200, "fine");
            return true;
          });
      assertThat(RawHttp.get(p.port(), "/again", APP).text()).isEqualTo("fine");
    }
  }

  @Test
  void aPooledConnectionTheTargetClosedIsReplacedWithoutAnError() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  Upstream.answer(out, 200, "once");
                  return false; // closes after answering, without saying so
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      for (int i = 0; i < 3; i++) {
        RawHttp.Answer a = RawHttp.get(p.port(), "/once", APP);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.text()).isEqualTo("once");
      }
      assertThat(p.logged(3))
          .extracting(ProxyExchange::kind)
          .doesNotContain(ProxyExchange.Kind.UPSTREAM_ERROR);
    }
  }

  @Test
  void anUnaskedUpgradeAnswerGives502() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/u", APP);
      assertThat(a.status()).isEqualTo(502);
      assertThat(p.last().changes()).extracting(Change::code).containsExactly(Code.UPSTREAM_FAILED);
    }
  }
}
