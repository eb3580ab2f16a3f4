package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.net.Addresses;
import io.corsdoctor.net.RawServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExplainCommandTest {
  RawServer api;

  @BeforeEach
  void start() throws Exception {
    api =
        new RawServer(
            Addresses.IPV4_LOOPBACK,
            (head, out, sock) ->
                out.write(
                    (head.startsWith("OPTIONS")
                            ? "HTTP/1.1 200 OK\r\nServer: Werkzeug/2.2.2 Python/3.11.2\r\n"
                                + "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers:"
                                + " content-type\r\nAccess-Control-Allow-Methods: GET, POST\r\n"
                                + "Content-Length: 0\r\n\r\n"
                            : "HTTP/1.1 200 OK\r\nServer: Werkzeug/2.2.2 Python/3.11.2\r\n"
                                + "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Origin:"
                                + " http://localhost:4200\r\nContent-Length: 2\r\n\r\n{}")
                        .getBytes(StandardCharsets.ISO_8859_1)));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
  }

  String url() {
    return "http://127.0.0.1:" + api.port() + "/sample";
  }

  @Test
  void theStoryMessageIsUnderstoodAndChecked() {
    MainTest.Run r =
        MainTest.run(
            "explain",
            "--no-color",
            "Access to fetch at '"
                + url()
                + "' from origin 'http://localhost:4200' has been blocked by CORS policy: The"
                + " 'Access-Control-Allow-Origin' header contains multiple values '*,"
                + " http://localhost:4200', but only one is allowed. Have the server send the header"
                + " with a valid value.");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
    assertThat(r.out())
        .contains("What the chromium message says")
        .contains("failure    MultipleAllowOriginValues")
        .contains("assumed    method GET")
        .contains("Running: cors-doctor check " + url() + " --origin http://localhost:4200")
        .contains("DUPLICATE_ALLOW_ORIGIN")
        .contains("flask-cors");
  }

  @Test
  void aFirefoxMessageNeedsTheOriginAndSaysSo() throws Exception {
    String message =
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "
            + url()
            + ". (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).";
    MainTest.Run r = MainTest.run("explain", message);
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("CORSMultipleAllowOriginNotAllowed for " + url())
        .contains("--origin");
    MainTest.Run ok =
        MainTest.run("explain", "--format", "json", "--origin", "http://localhost:4200", message);
    assertThat(ok.code()).isEqualTo(ExitCodes.PROBLEM);
    JsonNode root = Loopback.json(ok.out());
    assertThat(root.get("explained").get("browser").asText()).isEqualTo("firefox");
    assertThat(root.get("verdict").asText()).isEqualTo("blocked");
    assertThat(root.get("chrome").get("corsError").asText()).isEqualTo("MultipleAllowOriginValues");
  }

  @Test
  void textThatIsNoCorsMessageIsAUsageErrorThatSaysWhatItCouldRead() {
    MainTest.Run r =
        MainTest.run("explain", "my app at http://localhost:5000/x is broken, net::ERR_FAILED");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("a URL: http://localhost:5000/x")
        .contains("net::ERR_FAILED")
        .contains("Paste the whole console line");
  }
}
