package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes a server (or a squatter) sends, the parser and the engine return a value: a reply
 * or a failure, and a verdict. Seeded, so a failure reproduces.
 */
class HostileBytesTest {
  private static final String[] PIECES = {
    "HTTP/1.1 ",
    "HTTP/1.0 ",
    "RTSP/1.0 ",
    "200",
    "204",
    "302",
    "403",
    " OK",
    "\r\n",
    "\n",
    ":",
    " ",
    "\t",
    ",",
    "*",
    "null",
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Credentials",
    "Access-Control-Max-Age",
    "Location",
    "Content-Length",
    "Transfer-Encoding",
    "http://localhost:4200",
    "/x",
    "data:,",
    "http://u:p@h/",
    "true",
    "PUT",
    "x-a",
    "\u00f6",
    "\u0000",
    "\u00ff",
    "99999999999999999999"
  };

  @Test
  void randomHeadsNeverThrow() {
    Random random = new Random(20261125);
    Origin page = Origin.parse("http://localhost:4200").orElseThrow();
    CorsRequest[] requests = {
      CorsRequest.builder(page, "http://127.0.0.1:5000/sample").build(),
      CorsRequest.builder(page, "http://127.0.0.1:5000/sample")
          .method("PUT")
          .header("X-A", "1")
          .credentials(CredentialsMode.INCLUDE)
          .build(),
      CorsRequest.builder(page, "http://127.0.0.1:5000/sample").api(Api.XHR).method("patch").build()
    };
    int verdicts = 0;
    for (int i = 0; i < 3000; i++) {
      StringBuilder raw = new StringBuilder();
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        raw.append(PIECES[random.nextInt(PIECES.length)]);
      }
      byte[] bytes = raw.toString().getBytes(StandardCharsets.ISO_8859_1);
      Reply reply = ResponseHead.parse(bytes);
      assertThat(reply).isNotNull();
      Verdict v =
          CorsEngine.evaluate(
              requests[i % requests.length],
              BrowserState.fresh(),
              out -> ResponseHead.parse(bytes));
      assertThat(v.outcome()).isNotNull();
      assertThat(v.exchanges()).isNotEmpty();
      if (v.outcome() == Outcome.BLOCKED) {
        assertThat(v.chrome().message()).contains("has been blocked by CORS policy");
        assertThat(v.problems()).isNotEmpty();
      }
      verdicts++;
    }
    assertThat(verdicts).isEqualTo(3000);
  }
}
