package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How Chromium reads a raw response head; one row per behaviour. */
class ResponseHeadTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          empty reply is ERR_EMPTY_RESPONSE            | ''                                                       | net::ERR_EMPTY_RESPONSE
          RTSP status line is not HTTP                  | RTSP/1.0 403 Forbidden\\r\\nServer: AirTunes/860.7.1\\r\\n\\r\\n | net::ERR_INVALID_HTTP_RESPONSE
          garbage is not HTTP                           | hello world\\r\\n\\r\\n                                  | net::ERR_INVALID_HTTP_RESPONSE
          two different Content-Length values           | HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\nok | net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH
          two different Location values                 | HTTP/1.1 302 Found\\r\\nLocation: /a\\r\\nLocation: /b\\r\\n\\r\\n | net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION
          """)
  void failures(String name, String raw, String netError) {
    Reply reply = ResponseHead.parse(unescape(raw));
    assertThat(reply).isInstanceOf(NetworkFailure.class);
    assertThat(((NetworkFailure) reply).error().chromiumName()).isEqualTo(netError);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          HTTP/1.0 is accepted                          | HTTP/1.0 200 OK\\r\\nA: b\\r\\n\\r\\n          | 200 | A   | b
          status line without a reason phrase           | HTTP/1.1 204\\r\\nA: b\\r\\n\\r\\n              | 204 | A   | b
          status line without a code counts as 200      | HTTP/1.1\\r\\nA: b\\r\\n\\r\\n                  | 200 | A   | b
          space before the colon is accepted            | HTTP/1.1 200 OK\\r\\nA : b\\r\\n\\r\\n          | 200 | A   | b
          spaces and tabs around a value are trimmed    | HTTP/1.1 200 OK\\r\\nA:  \\t b \\t\\r\\n\\r\\n  | 200 | A   | b
          a line without a colon is skipped             | HTTP/1.1 200 OK\\r\\nNoColon\\r\\nA: b\\r\\n\\r\\n | 200 | A | b
          obs-fold continues the previous value         | HTTP/1.1 200 OK\\r\\nA: b\\r\\n  c\\r\\n\\r\\n  | 200 | A   | b c
          bare LF line endings work                     | HTTP/1.1 200 OK\\nA: b\\n\\n                   | 200 | A   | b
          equal Content-Length lines are fine           | HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 2\\r\\n\\r\\nok | 200 | Content-Length | 2
          """)
  void replies(String name, String raw, int status, String header, String value) {
    Reply reply = ResponseHead.parse(unescape(raw));
    assertThat(reply).isInstanceOf(HttpReply.class);
    HttpReply r = (HttpReply) reply;
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.values(header).get(0)).isEqualTo(value);
  }

  @org.junit.jupiter.api.Test
  void rawHeaderLinesAreKeptExactly() {
    HttpReply r =
        (HttpReply)
            ResponseHead.parse(
                "HTTP/1.1 200 OK\r\nA :  x \r\nNoColon\r\naccess-control-allow-origin: *\r\n\r\nbody");
    assertThat(r.rawHeaderLines())
        .containsExactly("A :  x ", "NoColon", "access-control-allow-origin: *");
    assertThat(r.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    assertThat(r.bodyPrefix()).isEqualTo("body");
    assertThat(r.combined("Access-Control-Allow-Origin")).contains("*");
  }

  @org.junit.jupiter.api.Test
  void bytesAreReadAsLatin1AndTheInvalidHeadIsKeptForOthers() {
    byte[] raw =
        "HTTP/1.1 200 OK\r\nX: localh\u00f6st\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(((HttpReply) ResponseHead.parse(raw)).values("X")).containsExactly("localh\u00f6st");
    NetworkFailure f =
        (NetworkFailure) ResponseHead.parse("RTSP/1.0 403 Forbidden\r\nCSeq: 0\r\n\r\n");
    assertThat(f.detail()).isEqualTo("RTSP/1.0 403 Forbidden\r\nCSeq: 0");
    NetworkFailure big = (NetworkFailure) ResponseHead.parse("X".repeat(20_000));
    assertThat(big.detail()).hasSize(ResponseHead.MAX_DETAIL_CHARS);
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
  }
}
