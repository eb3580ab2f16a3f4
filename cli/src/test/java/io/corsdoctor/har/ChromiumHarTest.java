package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corsdoctor.cors.CorsError;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.cors.Stage;
import io.corsdoctor.har.HarFinding.Code;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Chromium HARs of resources/har/chromium (recorded by the browser-truth harness, see the
 * README there): what {@code cors-doctor har} says about each request must be what Chromium did.
 * Chromium's own verdict travels in each blocked request's {@code response._corsErrorStatus}
 * (corsError and failedParameter, as the DevTools protocol reported them) and {@code _error}.
 */
class ChromiumHarTest {

  private static final String[] FIXTURES = {
    "acao-fetch-include-star-comma-origin.har",
    "address-dual-localhost-reaches-v6-squatter.har",
    "cache-maxage-600-same-again.har",
    "preflight-fetch-ok.har",
    "preflight-xhr-acah-missing.har",
    "redirect-cross-origin-final-origin.har",
  };

  static String[] fixtures() {
    return FIXTURES.clone();
  }

  /** What Chromium recorded about one entry. */
  private record Truth(int entry, String url, String corsError, String failedParameter) {}

  private static List<Truth> blockedByChromium(String name) throws Exception {
    JsonNode har;
    try (InputStream in = HarFixtures.open("chromium/" + name)) {
      har = new ObjectMapper().readTree(in);
    }
    List<Truth> out = new ArrayList<>();
    JsonNode entries = har.path("log").path("entries");
    for (int i = 0; i < entries.size(); i++) {
      JsonNode status = entries.get(i).path("response").path("_corsErrorStatus");
      if (status.isObject()) {
        out.add(
            new Truth(
                i,
                entries.get(i).path("request").path("url").asText(),
                status.path("corsError").asText(),
                status.path("failedParameter").asText()));
      }
    }
    return out;
  }

  private static HarRequestResult resultFor(HarAnalysis a, int entry) {
    return a.requests().stream()
        .filter(r -> r.actual() != null && r.actual().entry() == entry)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for entry " + entry + ": " + a));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyRequestChromiumBlockedIsReportedBlockedWithChromiumsCorsErrorAndNoOtherIs(String name)
      throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/" + name);
    List<Truth> truth = blockedByChromium(name);
    for (Truth t : truth) {
      HarRequestResult r = resultFor(a, t.entry());
      assertThat(r.url()).isEqualTo(t.url());
      assertThat(r.outcome()).as("%s entry %d", name, t.entry()).isEqualTo(Outcome.BLOCKED);
      assertThat(r.chrome().corsError().name()).isEqualTo(t.corsError());
      assertThat(r.chrome().failedParameter()).isEqualTo(t.failedParameter());
      assertThat(r.chrome().netError().chromiumName()).isEqualTo("net::ERR_FAILED");
    }
    assertThat(a.blocked()).as(name).isEqualTo(truth.size());
    assertThat(a.requests()).filteredOn(r -> r.outcome() == Outcome.BLOCKED).hasSize(truth.size());
  }

  @Test
  void theFixtureListCoversTheDirectory() throws Exception {
    try (var files = java.nio.file.Files.list(HarFixtures.path("chromium"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".har")))
          .containsExactlyInAnyOrder(FIXTURES);
    }
  }

  @Test
  void starCommaOriginIsTheStorysMultipleValuesMessage() throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/acao-fetch-include-star-comma-origin.har");
    HarRequestResult r = resultFor(a, 1);
    assertThat(r.stage()).isEqualTo(Stage.ACTUAL);
    assertThat(r.chrome().message())
        .startsWith("Access to fetch at 'http://127.0.0.1:59125/data' from origin")
        .contains("contains multiple values '*, http://localhost:51339', but only one is allowed");
    assertThat(HarAnalyzerTest.codes(r)).contains(Code.DUPLICATE_ALLOW_ORIGIN);
  }

  @Test
  void aPreflightAnsweredByTheSquatterOnV6BlocksThePostThatWasNeverSent() throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/address-dual-localhost-reaches-v6-squatter.har");
    HarRequestResult r = resultFor(a, 2);
    // The POST has only Chromium's provisional headers (no Origin): it still pairs with its
    // preflight, listed after it.
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.preflight().entry()).isEqualTo(3);
    assertThat(r.preflight().server()).startsWith("AirTunes/");
    assertThat(r.preflight().serverIpAddress()).isEqualTo("::1");
    assertThat(r.stage()).isEqualTo(Stage.PREFLIGHT);
    assertThat(r.chrome().corsError()).isEqualTo(CorsError.PreflightMissingAllowOriginHeader);
    assertThat(HarAnalyzerTest.codes(r))
        .contains(Code.KNOWN_SQUATTER_AIRPLAY_RECEIVER, Code.ERROR_RESPONSE_WITHOUT_CORS_HEADERS);
  }

  @Test
  void theSecondPutWithinMaxAgeGoesWithoutAPreflightAndPasses() throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/cache-maxage-600-same-again.har");
    assertThat(a.preflights()).isEqualTo(1);
    HarRequestResult first = resultFor(a, 2);
    HarRequestResult second = resultFor(a, 4);
    assertThat(first.preflight().entry()).isEqualTo(3);
    assertThat(first.outcome()).isEqualTo(Outcome.PASS);
    assertThat(second.preflight()).isNull();
    assertThat(second.preflightNeeded()).isTrue();
    assertThat(second.outcome()).isEqualTo(Outcome.PASS);
    assertThat(HarAnalyzerTest.codes(second)).containsExactly(Code.PREFLIGHT_FROM_CACHE);
  }

  @Test
  void aPassingPreflightedPutPairsAndPasses() throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/preflight-fetch-ok.har");
    HarRequestResult r = resultFor(a, 2);
    assertThat(r.preflight().entry()).isEqualTo(3);
    assertThat(r.preflightNeeded()).isTrue();
    assertThat(r.outcome()).isEqualTo(Outcome.PASS);
    assertThat(r.findings()).isEmpty();
    assertThat(a.byFinding()).isEmpty();
  }

  @Test
  void anXhrBlockedByItsPreflightIsNamedAnXmlHttpRequest() throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/preflight-xhr-acah-missing.har");
    HarRequestResult r = resultFor(a, 1);
    assertThat(r.preflight().entry()).isEqualTo(2);
    assertThat(r.stage()).isEqualTo(Stage.PREFLIGHT);
    assertThat(r.chrome().message())
        .isEqualTo(
            "Access to XMLHttpRequest at 'http://127.0.0.1:50449/data' from origin"
                + " 'http://localhost:40567' has been blocked by CORS policy: Request header"
                + " field x-token is not allowed by Access-Control-Allow-Headers in preflight"
                + " response.");
  }

  @Test
  void afterACrossOriginRedirectTheOriginIsNullAndTheFinalResponseIsBlocked() throws Exception {
    HarAnalysis a = HarFixtures.analyze("chromium/redirect-cross-origin-final-origin.har");
    HarRequestResult r = resultFor(a, 3);
    assertThat(r.origin()).isEqualTo("null");
    assertThat(r.chrome().corsError()).isEqualTo(CorsError.AllowOriginMismatch);
    assertThat(r.chrome().message()).contains("from origin 'null'");
    // The 302 hop itself was not blocked (the browser followed it).
    assertThat(resultFor(a, 1).outcome()).isNotEqualTo(Outcome.BLOCKED);
  }
}
