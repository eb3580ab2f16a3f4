package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Bodies stream both ways without being buffered whole; a browser leaving frees the upstream. */
class ProxyStreamingTest {

  private static void chunk(OutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Test
  void serverSentEventsArriveOneByOne() throws Exception {
    CountDownLatch firstSeenByBrowser = new CountDownLatch(1);
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                              + "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n")
                          .getBytes(StandardCharsets.ISO_8859_1));
                  chunk(out, "data: one\n\n");
                  // The second event is only sent once the first went through the proxy.
                  if (!firstSeenByBrowser.await(10, TimeUnit.SECONDS)) {
                    return false;
                  }
                  chunk(out, "data: two\n\n");
                  out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url());
        RawHttp c = new RawHttp("127.0.0.1", p.port())) {
      c.send(
          "GET /events HTTP/1.1\r\nHost: x\r\nOrigin: "
              + APP
              + "\r\nAccept: text/event-stream\r\n\r\n");
      assertThat(c.line()).startsWith("HTTP/1.1 200");
      String l;
      boolean cors = false;
      while (!(l = c.line()).isEmpty()) {
        cors |= l.equalsIgnoreCase("Access-Control-Allow-Origin: " + APP);
      }
      assertThat(cors).isTrue();
      c.line(); // chunk size
      assertThat(c.line()).isEqualTo("data: one");
      firstSeenByBrowser.countDown();
      c.line(); // blank line ending the event
      c.line(); // CRLF after the chunk
      c.line(); // next chunk size
      assertThat(c.line()).isEqualTo("data: two");
    }
  }

  @Test
  void uploadsStreamToTheUpstreamBeforeTheBrowserHasSentThemWhole() throws Exception {
    CountDownLatch firstChunkArrived = new CountDownLatch(1);
    AtomicLong total = new AtomicLong();
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  long n = readChunked(in, firstChunkArrived);
                  total.set(n);
                  Upstream.answer(out, 200, "got " + n);
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url());
        RawHttp c = new RawHttp("127.0.0.1", p.port())) {
      c.send(
          "POST /upload HTTP/1.1\r\nHost: x\r\nOrigin: "
              + APP
              + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] piece = new byte[64 * 1024];
      Arrays.fill(piece, (byte) 'a');
      c.out.write(("10000\r\n").getBytes(StandardCharsets.ISO_8859_1));
      c.out.write(piece);
      c.out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      c.out.flush();
      assertThat(firstChunkArrived.await(10, TimeUnit.SECONDS))
          .as("the upstream got the first chunk while the upload was still going")
          .isTrue();
      for (int i = 0; i < 15; i++) {
        c.out.write(("10000\r\n").getBytes(StandardCharsets.ISO_8859_1));
        c.out.write(piece);
        c.out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      c.out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      c.out.flush();
      RawHttp.Answer a = c.read(true);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.text()).isEqualTo("got " + 16 * 64 * 1024);
    }
  }

  /** Reads a chunked body, counting bytes; counts the latch down after the first chunk. */
  private static long readChunked(InputStream in, CountDownLatch first) throws IOException {
    long n = 0;
    while (true) {
      String size = Upstream.line(in);
      int len = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (len == 0) {
        Upstream.line(in);
        return n;
      }
      n += in.readNBytes(len).length;
      Upstream.line(in);
      first.countDown();
    }
  }

  @Test
  void aLargeBodyArrivesIntact() throws Exception {
    byte[] big = new byte[8 * 1024 * 1024];
    new java.util.Random(7).nextBytes(big);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big));
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n")
                          .getBytes(StandardCharsets.ISO_8859_1));
                  out.write(big);
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/big", APP);
      assertThat(a.body().length).isEqualTo(big.length);
      assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a.body())))
          .isEqualTo(sha);
    }
  }

  @Test
  void aBrowserLeavingMidStreamReleasesTheUpstreamConnection() throws Exception {
    CountDownLatch upstreamStopped = new CountDownLatch(1);
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  try {
                    String block = "x".repeat(8192);
                    for (int i = 0; i < 100_000; i++) {
                      chunk(out, block);
                      Thread.sleep(2);
                    }
                  } catch (IOException gone) {
                    upstreamStopped.countDown();
                  }
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      try (RawHttp c = new RawHttp("127.0.0.1", p.port())) {
        c.send("GET /forever HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.line()).startsWith("HTTP/1.1 200");
        c.in.readNBytes(64 * 1024);
      }
      assertThat(upstreamStopped.await(15, TimeUnit.SECONDS))
          .as("the upstream's connection was closed after the browser left")
          .isTrue();
      ProxyExchange e = p.last();
      assertThat(e.changes()).extracting(Change::code).contains(Change.Code.CLIENT_GONE);
    }
  }
}
