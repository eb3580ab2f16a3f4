package io.corsdoctor.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The front's strict head reader: what it reads, and everything it leaves to Jetty's parser. */
class HeadScannerTest {
  private final HeadScanner scanner = new HeadScanner();
  private final List<HttpField> fields = new ArrayList<>();

  private boolean request(String head) {
    fields.clear();
    ByteBuf b = Unpooled.copiedBuffer("xx" + head, StandardCharsets.ISO_8859_1);
    return scanner.request(b, 2, b.readableBytes() - 2, fields::add);
  }

  private boolean response(String head) {
    fields.clear();
    ByteBuf b = Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1);
    return scanner.response(b, 0, b.readableBytes(), fields::add);
  }

  @Test
  void aPlainRequestIsReadWithItsFieldsAsJettyNamesThem() {
    String head =
        "GET /items?id=1 HTTP/1.1\r\nHost: 127.0.0.1:5000\r\norigin:  http://localhost:4200 \r\n"
            + "X-Trace:\tab c\t\r\nAccept:\r\n\r\n";
    assertThat(request(head + "{\"body\":1}")).isTrue();
    assertThat(scanner.method).isEqualTo("GET");
    assertThat(scanner.target).isEqualTo("/items?id=1");
    assertThat(scanner.version).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(scanner.headLength).isEqualTo(head.length());
    assertThat(fields)
        .extracting(HttpField::getHeader, HttpField::getName, HttpField::getValue)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(HttpHeader.HOST, "Host", "127.0.0.1:5000"),
            org.assertj.core.groups.Tuple.tuple(
                HttpHeader.ORIGIN, "Origin", "http://localhost:4200"),
            org.assertj.core.groups.Tuple.tuple(null, "X-Trace", "ab c"),
            org.assertj.core.groups.Tuple.tuple(HttpHeader.ACCEPT, "Accept", ""));
    assertThat(fields.get(0)).isInstanceOf(HostPortHttpField.class);
    assertThat(fields.get(1).getName()).isSameAs(HttpHeader.ORIGIN.asString());
  }

  @Test
  void everyKnownHeaderIsFoundInAnyCase() {
    for (HttpHeader h : HttpHeader.values()) {
      String name = h.asString();
      if (name.startsWith(":")) {
        continue; // HTTP/2 pseudo-headers are not field names of HTTP/1.1
      }
      String mixed =
          name.length() > 1 ? name.substring(0, 1) + name.substring(1).toUpperCase() : name;
      String value = h == HttpHeader.CONTENT_LENGTH ? "1" : "v";
      boolean read = response("HTTP/1.1 200 OK\r\n" + mixed + ": " + value + "\r\n\r\n");
      if (h == HttpHeader.TRANSFER_ENCODING) {
        assertThat(read).as("a chunked answer is Jetty's to read").isFalse();
        continue;
      }
      assertThat(read).as(name).isTrue();
      assertThat(fields.get(0).getHeader()).as(name).isEqualTo(h);
      assertThat(fields.get(0).getName()).isSameAs(name); // Jetty's own spelling, as its parser
    }
    assertThat(response("HTTP/1.1 200 OK\r\nX-Host: v\r\nHos: v\r\nHostt: v\r\n\r\n")).isTrue();
    assertThat(fields).extracting(HttpField::getHeader).containsOnlyNulls();
    assertThat(fields).extracting(HttpField::getName).containsExactly("X-Host", "Hos", "Hostt");
  }

  @Test
  void methodsAndVersions() {
    assertThat(request("PATCH /p HTTP/1.0\r\nHost: x\r\n\r\n")).isTrue();
    assertThat(scanner.method).isSameAs("PATCH");
    assertThat(scanner.version).isEqualTo(HttpVersion.HTTP_1_0);
    assertThat(request("M-SEARCH * HTTP/1.1\r\nHost: x\r\n\r\n")).isTrue();
    assertThat(scanner.method).isEqualTo("M-SEARCH");
    assertThat(scanner.target).isEqualTo("*");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\nHost: x\r\n", // not complete yet
        "GET / HTTP/1.1\r\nHost: x\r\n\r",
        "GET / HTTP/1.1\r\n",
        "GET / HTTP/1.1",
        "GET /",
        "GET / HTTP/1.1\nHost: x\r\n\r\n", // bare LF
        "GET / HTTP/1.1\r\nHost: x\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\n\n",
        "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", // obs-fold
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n", // space before the colon
        "GET / HTTP/1.1\r\n: x\r\n\r\n", // no name
        "GET / HTTP/1.1\r\nHo\"st: x\r\n\r\n", // not a token
        "GET / HTTP/1.1\r\nHost: caf\u00e9\r\n\r\n", // obs-text
        "GET / HTTP/1.1\r\nHost: a\u0000b\r\n\r\n", // a control
        "GET / HTTP/1.1\r\nHost: a\u007fb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n", // two spaces
        "GET / HTTP/1.1 \r\n\r\n",
        "GET /caf\u00e9 HTTP/1.1\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET / http/1.1\r\n\r\n",
        "GET / HTTP/1.1x\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        " GET / HTTP/1.1\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\n\r\n",
        "GET\r\n\r\n",
        "GET / \r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n", // no Host
        "GET / HTTP/1.1\r\nHost: x\r\nhost: y\r\n\r\n", // two
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", // not a host and port
        "GET / HTTP/1.1\r\nHost: x:port\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", // a body: Jetty reads it
        "GET / HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\n\r\n"
      })
  void anythingNotPlainIsLeftToJetty(String head) {
    assertThat(request(head)).as(head.replace("\r", "\\r").replace("\n", "\\n")).isFalse();
  }

  @Test
  void aHeadLongerThanTheScratchIsLeftToJetty() {
    String big = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(HeadScanner.MAX_HEAD) + "\r\n\r\n";
    assertThat(request(big)).isFalse();
    String fits =
        "GET / HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(HeadScanner.MAX_HEAD - 33) + "\r\n\r\n";
    assertThat(fits.length()).isLessThanOrEqualTo(HeadScanner.MAX_HEAD);
    assertThat(request(fits)).isTrue();
  }

  @Test
  void anAnswerIsReadOnlyWithAtMostOneLengthOfDigitsAndNoTransferCoding() {
    assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 0027\r\n\r\n")).isTrue();
    assertThat(scanner.contentLength).isEqualTo(27);
    assertThat(response("HTTP/1.1 200 OK\r\n\r\n")).isTrue();
    assertThat(scanner.contentLength).isEqualTo(-1);
    assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n"))
        .isFalse();
    assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n")).isFalse();
    assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")).isFalse();
    assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n"))
        .isFalse();
    assertThat(response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")).isFalse();
    assertThat(response("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: x\r\n\r\n"))
        .isFalse();
  }

  @Test
  void aPlainAnswerIsReadWithOrWithoutAReason() {
    String head =
        "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\naccess-control-allow-origin: *\r\n\r\n";
    assertThat(response(head + "abc")).isTrue();
    assertThat(scanner.status).isEqualTo(404);
    assertThat(scanner.version).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(scanner.headLength).isEqualTo(head.length());
    assertThat(fields)
        .extracting(HttpField::getHeader)
        .containsExactly(HttpHeader.CONTENT_LENGTH, HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN);
    assertThat(response("HTTP/1.0 204\r\n\r\n")).isTrue();
    assertThat(scanner.status).isEqualTo(204);
    assertThat(scanner.version).isEqualTo(HttpVersion.HTTP_1_0);
    assertThat(response("HTTP/1.1 200 \r\n\r\n")).isTrue();
    assertThat(response("HTTP/1.1 200 OK fine\r\n\r\n")).isTrue();
    // Jetty reads a tab inside a reason but refuses one at its start: all tabs are left to it.
    assertThat(response("HTTP/1.1 200 OK\tfine\r\n\r\n")).isFalse();
    assertThat(response("HTTP/1.1 200 \tOK\r\n\r\n")).isFalse();
    assertThat(response("HTTP/1.1 200  OK\r\n\r\n")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.0 010\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "HTTP/1.1 200OK\r\n\r\n",
        "HTTP/1.1 200 OK\n\r\n",
        "HTTP/1.1 200 caf\u00e9\r\n\r\n",
        "RTSP/1.0 200 OK\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nServer: AirTunes\r\n folded\r\n\r\n",
        "garbage"
      })
  void anAnswerNotPlainIsLeftToJetty(String head) {
    assertThat(response(head)).as(head.replace("\r", "\\r").replace("\n", "\\n")).isFalse();
  }

  @Test
  void theScannerReadsFromTheOffsetGivenAndNoFurther() {
    ByteBuf b =
        Unpooled.copiedBuffer(
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
            StandardCharsets.ISO_8859_1);
    assertThat(scanner.request(b, 28, b.readableBytes() - 28, fields::add)).isTrue();
    assertThat(scanner.target).isEqualTo("/b");
    // The bytes after the readable ones are not looked at, even if the array behind holds more.
    assertThat(scanner.request(b, 0, 27, fields::add)).isFalse();
  }
}
