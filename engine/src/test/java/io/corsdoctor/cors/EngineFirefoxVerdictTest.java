package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine's own {@link Verdict#firefox()}: runs {@link CorsEngine} over Chromium's recorded
 * replies and holds the Firefox part of the verdict against what real Firefox logged for the same
 * scenario, wherever both browsers exchanged the same bytes (Firefox's retries of a closed
 * connection collapsed). Scenarios where they did not (for {@code localhost} the browsers reach
 * different addresses; an exchange with the page's own server was not recorded) are covered by
 * {@link FirefoxCorpusReplayTest} with Firefox's own bytes.
 */
class EngineFirefoxVerdictTest {
  private static final JsonNode CHROMIUM = read("/corpus/corpus.json");
  private static final JsonNode FIREFOX = read("/corpus/firefox/corpus-firefox.json");
  private static final List<FirefoxCorpus.Case> OBSERVED = FirefoxCorpus.load();

  @Test
  void mostScenariosExchangedTheSameBytesInBothBrowsers() {
    assertThat(comparable().size()).isGreaterThanOrEqualTo(130);
  }

  @TestFactory
  Stream<DynamicTest> theEnginesFirefoxVerdictMatchesRealFirefox() {
    return comparable().stream()
        .map(
            pair ->
                DynamicTest.dynamicTest(
                    pair[0].path("id").asText(),
                    () -> {
                      JsonNode chromium = pair[0];
                      JsonNode firefox = pair[1];
                      List<String> diffs = new ArrayList<>();
                      CorsRequest request =
                          CorpusReplayTest.request(chromium, chromium.get("request"));
                      CorpusReplayTest.Network network =
                          new CorpusReplayTest.Network(chromium.get("exchanges"), "", diffs);
                      Verdict v =
                          CorsEngine.evaluate(request, BrowserState.fresh(), network::reply);
                      FirefoxCorpus.Case expected =
                          OBSERVED.stream()
                              .filter(c -> c.id().equals(firefox.path("id").asText()))
                              .findFirst()
                              .orElseThrow();
                      assertThat(v.firefox().messages()).isEqualTo(expected.messages());
                      assertThat(v.firefox().reasons()).isEqualTo(expected.reasons());
                      assertThat(v.firefox().outcome()).isEqualTo(expected.outcome());
                    }));
  }

  /** Pairs (Chromium scenario, Firefox scenario) whose recorded exchanges are the same bytes. */
  private static List<JsonNode[]> comparable() {
    Map<String, JsonNode> firefox = new HashMap<>();
    FIREFOX.get("scenarios").forEach(s -> firefox.put(s.get("id").asText(), s));
    List<JsonNode[]> out = new ArrayList<>();
    for (JsonNode c : CHROMIUM.get("scenarios")) {
      JsonNode f = firefox.get(c.get("id").asText());
      if (f != null
          && c.path("followUpSteps").isEmpty()
          && fingerprint(c.get("exchanges")).equals(fingerprint(f.get("exchanges")))) {
        out.add(new JsonNode[] {c, f});
      }
    }
    return out;
  }

  /** Listener, request line and reply of each exchange, a repeated failed one counted once. */
  private static List<String> fingerprint(JsonNode exchanges) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : exchanges) {
      String print =
          e.path("listener").asText()
              + " "
              + e.path("requestLine").asText()
              + " -> "
              + e.path("response").toString();
      if (out.isEmpty() || !out.get(out.size() - 1).equals(print)) {
        out.add(print);
      }
    }
    return out;
  }

  private static JsonNode read(String resource) {
    try (InputStream in = EngineFirefoxVerdictTest.class.getResourceAsStream(resource)) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
