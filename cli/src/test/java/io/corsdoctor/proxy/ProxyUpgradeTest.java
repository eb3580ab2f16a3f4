package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WebSocket upgrades pass through the proxy to the target. */
class ProxyUpgradeTest {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** A minimal WebSocket echo server (text frames under 126 bytes, enough for the test). */
  static Upstream webSocketEcho() throws Exception {
    return new Upstream(
        (r, in, out, s) -> {
          String key = r.get("Sec-WebSocket-Key");
          String accept =
              Base64.getEncoder()
                  .encodeToString(
                      MessageDigest.getInstance("SHA-1")
                          .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
          out.write(
              ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Accept: "
                      + accept
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          while (true) {
            int b0 = in.read();
            if (b0 < 0) {
              return false;
            }
            int b1 = in.read();
            int len = b1 & 0x7f;
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes(len);
            for (int i = 0; i < len; i++) {
              payload[i] ^= mask[i % 4];
            }
            int opcode = b0 & 0x0f;
            if (opcode == 8) {
              out.write(new byte[] {(byte) 0x88, 0});
              out.flush();
              return false;
            }
            byte[] reply =
                ("echo: " + new String(payload, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            out.write(new byte[] {(byte) 0x81, (byte) reply.length});
            out.write(reply);
            out.flush();
          }
        });
  }

  @Test
  void aWebSocketClientTalksToTheTargetThroughTheProxy() throws Exception {
    try (Upstream up = webSocketEcho();
        ProxyFixture p = new ProxyFixture(up.url())) {
      CompletableFuture<String> got = new CompletableFuture<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Origin", APP)
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + p.port() + "/socket"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      got.complete(data.toString());
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      ws.sendText("hello", true).get(5, TimeUnit.SECONDS);
      assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
      assertThat(up.received.get(0).target()).isEqualTo("/socket");
      assertThat(p.last().kind()).isEqualTo(ProxyExchange.Kind.TUNNEL);
      assertThat(p.last().status()).isEqualTo(101);
    }
  }

  @Test
  void anUpgradeFromAnOriginNotAllowedIsRefusedBeforeTheTarget() throws Exception {
    try (Upstream up = webSocketEcho();
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a =
          RawHttp.exchange(
              p.port(),
              "GET /socket HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n"
                  + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      assertThat(a.status()).isEqualTo(403);
      assertThat(up.received).isEmpty();
    }
  }

  @Test
  void bytesBufferedWithTheUpgradeRequestAreNotLost() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  out.write(
                      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  out.flush();
                  byte[] buf = new byte[1024];
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                  }
                  return false;
                });
        ProxyFixture p = new ProxyFixture(up.url());
        RawHttp c = new RawHttp("127.0.0.1", p.port())) {
      // The first bytes of the new protocol travel in the same packet as the request.
      c.send("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nearly;");
      assertThat(c.line()).startsWith("HTTP/1.1 101");
      while (!c.line().isEmpty()) {
        // headers
      }
      c.send("late");
      assertThat(readN(c.in, 10)).isEqualTo("early;late");
    }
  }

  private static String readN(InputStream in, int n) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (b.size() < n) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
