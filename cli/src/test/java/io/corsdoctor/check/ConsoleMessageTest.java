package io.corsdoctor.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConsoleMessageTest {

  static Stream<Arguments> rows(String resource) throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (var r =
        new BufferedReader(
            new InputStreamReader(
                ConsoleMessageTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.startsWith("#")) {
          out.add(Arguments.of((Object[]) l.split("\t")));
        }
      }
    }
    return out.stream();
  }

  static Stream<Arguments> chromium() throws Exception {
    return rows("/explain/chromium-console-messages.tsv");
  }

  static Stream<Arguments> firefox() throws Exception {
    return rows("/explain/firefox-console-messages.tsv");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chromium")
  void readsEveryChromiumMessageOfTheCorpus(
      String id, String corsError, String url, String origin, String method, String message) {
    ConsoleMessage m = ConsoleMessage.parse(message).orElseThrow();
    assertThat(m.browser()).isEqualTo("chromium");
    assertThat(m.failure()).isEqualTo(corsError);
    assertThat(m.origin()).isEqualTo(origin);
    assertThat(url).startsWith(m.url().replaceAll("\\?.*", "").replaceAll("/[^/]*$", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("firefox")
  void readsEveryFirefoxMessageOfTheCorpus(String id, String reason, String url, String message) {
    ConsoleMessage m = ConsoleMessage.parse(message).orElseThrow();
    assertThat(m.browser()).isEqualTo("firefox");
    assertThat(m.failure()).isEqualTo(reason);
    assertThat(m.origin()).isNull();
    assertThat(m.url()).doesNotEndWith(".").doesNotContain(" ").contains("://");
  }

  @Test
  void readsTheStoryMessageWithItsDevToolsNetworkLine() {
    ConsoleMessage m =
        ConsoleMessage.parse(
                "Access to XMLHttpRequest at 'http://127.0.0.1:5000/sample' from origin"
                    + " 'http://localhost:4200' has been blocked by CORS policy: The"
                    + " 'Access-Control-Allow-Origin' header contains multiple values '*,"
                    + " http://localhost:4200', but only one is allowed.\n"
                    + "POST http://127.0.0.1:5000/sample net::ERR_FAILED 200 (OK)")
            .orElseThrow();
    assertThat(m.xhr()).isTrue();
    assertThat(m.failure()).isEqualTo("MultipleAllowOriginValues");
    assertThat(m.detail()).isEqualTo("*, http://localhost:4200");
    assertThat(m.method()).isEqualTo("POST");
  }

  @Test
  void readsSafariMessages() {
    ConsoleMessage m =
        ConsoleMessage.parse(
                "[Error] Origin http://localhost:4200 is not allowed by Access-Control-Allow-Origin."
                    + " Status code: 403\n[Error] Fetch API cannot load"
                    + " http://localhost:5000/sample due to access control checks.")
            .orElseThrow();
    assertThat(m.browser()).isEqualTo("safari");
    assertThat(m.origin()).isEqualTo("http://localhost:4200");
    assertThat(m.url()).isEqualTo("http://localhost:5000/sample");
    ConsoleMessage p =
        ConsoleMessage.parse(
                "Preflight response is not successful. Status code: 403\nXMLHttpRequest cannot load"
                    + " http://localhost:5000/sample due to access control checks.")
            .orElseThrow();
    assertThat(p.preflight()).isTrue();
    assertThat(p.xhr()).isTrue();
    assertThat(p.detail()).isEqualTo("403");
  }

  @Test
  void unknownTextGivesNothingButSaysWhatItCouldRead() {
    String text = "Something failed at http://localhost:5000/x with net::ERR_FAILED (CORS?)";
    assertThat(ConsoleMessage.parse(text)).isEmpty();
    assertThat(ConsoleMessage.fragments(text))
        .containsExactly(
            "a URL: http://localhost:5000/x", "a network error: net::ERR_FAILED", "the word CORS");
  }
}
