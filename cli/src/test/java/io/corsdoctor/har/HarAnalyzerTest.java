package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.cors.CorsError;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.har.HarFinding.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarAnalyzerTest {

  static List<int[]> pairs(HarAnalysis a) {
    return a.requests().stream()
        .map(
            r ->
                new int[] {
                  r.actual() == null ? -1 : r.actual().entry(),
                  r.preflight() == null ? -1 : r.preflight().entry()
                })
        .toList();
  }

  static List<Code> codes(HarRequestResult r) {
    return r.findings().stream().map(HarFinding::code).toList();
  }

  @Test
  void pairsChromePreflightsListedAfterTheirRequestsAmongIdenticalUrls() throws Exception {
    // Three POSTs to the same URL, each followed by its preflight (Chrome's order)
    HarAnalysis a = HarFixtures.analyze("real/cowboy-cards-localhost.har");
    assertThat(a.entries()).isEqualTo(6);
    assertThat(a.preflights()).isEqualTo(3);
    assertThat(a.crossOrigin()).isEqualTo(3);
    assertThat(pairs(a)).containsExactly(new int[] {0, 1}, new int[] {2, 3}, new int[] {4, 5});
    assertThat(a.byFinding()).isEmpty(); // the 400 carries CORS headers: nothing to flag
    // The README of the export: every cross-origin request passes.
    assertThat(a.requests()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.PASS));
    assertThat(a.requests()).allSatisfy(r -> assertThat(r.preflightNeeded()).isTrue());
    assertThat(a.blocked()).isZero();
  }

  @Test
  void pairsPreflightsOfARealAngularSessionAndKeepsSimpleRequestsAlone() throws Exception {
    HarAnalysis a = HarFixtures.analyze("real/angular-mfe-api-localhost.har");
    assertThat(a.entries()).isEqualTo(43);
    assertThat(a.preflights()).isEqualTo(2);
    // 4201/4202 remote entries (x2 + Component.js) and two preflighted API GETs
    assertThat(a.crossOrigin()).isEqualTo(5);
    assertThat(pairs(a))
        .containsExactly(
            new int[] {15, -1},
            new int[] {16, -1},
            new int[] {38, 39},
            new int[] {40, -1},
            new int[] {41, 42});
    assertThat(a.byFinding()).isEmpty();
    assertThat(a.requests()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.PASS));
    // Chrome 130+ exports sanitised HARs: the Authorization the preflight asked for is gone from
    // the request, yet the request still needs its preflight.
    assertThat(a.requests().get(2).preflightNeeded()).isTrue();
    assertThat(a.requests().get(0).preflightNeeded()).isFalse();
  }

  @Test
  void pairsFirefoxPreflightsListedBeforeTheirRequests() throws Exception {
    HarAnalysis a = HarFixtures.analyze("firefox-shaped.har");
    assertThat(pairs(a)).containsExactly(new int[] {1, 0}, new int[] {2, -1}, new int[] {4, 3});
    assertThat(a.requests().get(0).outcome()).isEqualTo(Outcome.PASS);
    assertThat(a.requests().get(1).chrome().corsError())
        .isEqualTo(CorsError.MissingAllowOriginHeader);
    HarRequestResult delete = a.requests().get(2);
    assertThat(delete.chrome().corsError()).isEqualTo(CorsError.PreflightDisallowedRedirect);
    assertThat(a.byCause())
        .containsEntry("MissingAllowOriginHeader", 1)
        .containsEntry("PreflightDisallowedRedirect", 1);
    assertThat(codes(delete)).containsExactly(Code.PREFLIGHT_REDIRECT, Code.BLOCKED_BY_BROWSER);
    assertThat(delete.findings().get(0).evidence().get(0))
        .contains("307 Temporary Redirect")
        .contains("-> http://127.0.0.1:8000/items/");
  }

  @Test
  void theStoryPreflightAnsweredByAirTunesOnIpv6WhileFlaskAnswersOnIpv4() throws Exception {
    HarAnalysis a = HarFixtures.analyze("story-airtunes.har");
    assertThat(a.crossOrigin()).isEqualTo(2);
    HarRequestResult first = a.requests().get(0);
    assertThat(first.method()).isEqualTo("POST");
    assertThat(first.url()).isEqualTo("http://localhost:5000/sample");
    assertThat(first.origin()).isEqualTo("http://localhost:4200");
    assertThat(first.outcome()).isEqualTo(Outcome.BLOCKED);
    assertThat(first.chrome().corsError()).isEqualTo(CorsError.PreflightMissingAllowOriginHeader);
    assertThat(first.chrome().message())
        .startsWith(
            "Access to fetch at 'http://localhost:5000/sample' from origin"
                + " 'http://localhost:4200' has been blocked by CORS policy: Response to preflight"
                + " request doesn't pass access control check");
    assertThat(first.preflight().server()).isEqualTo("AirTunes/620.8.2");
    assertThat(first.preflight().serverIpAddress()).isEqualTo("::1");
    assertThat(first.actual().server()).startsWith("Werkzeug/");
    assertThat(first.actual().serverIpAddress()).isEqualTo("127.0.0.1");
    assertThat(codes(first))
        .containsExactly(
            Code.PREFLIGHT_ANSWERED_BY_OTHER_SERVER,
            Code.KNOWN_SQUATTER_AIRPLAY_RECEIVER,
            Code.DUPLICATE_ALLOW_ORIGIN,
            Code.ERROR_RESPONSE_WITHOUT_CORS_HEADERS,
            Code.BLOCKED_BY_BROWSER);
    assertThat(first.findings().get(0).evidence())
        .containsExactly(
            "preflight (entry 2): HTTP/1.1 403 Forbidden, Server: AirTunes/620.8.2, from ::1,"
                + " connection 101",
            "request (entry 1): HTTP/1.1 200 OK, Server: Werkzeug/3.0.1 Python/3.11.6, from"
                + " 127.0.0.1, connection 102");
    assertThat(first.findings().get(2).evidence())
        .containsExactly(
            "request (entry 1): Access-Control-Allow-Origin: *",
            "request (entry 1): Access-Control-Allow-Origin: http://localhost:4200");

    HarRequestResult second = a.requests().get(1);
    assertThat(second.preflight().entry()).isEqualTo(4);
    // The console line of the story, exactly as the article quotes it
    assertThat(second.chrome().corsError()).isEqualTo(CorsError.MultipleAllowOriginValues);
    assertThat(second.chrome().message())
        .contains(
            "The 'Access-Control-Allow-Origin' header contains multiple values"
                + " '*, http://localhost:4200', but only one is allowed.");
    assertThat(a.blocked()).isEqualTo(2);
    assertThat(codes(second)).containsExactly(Code.DUPLICATE_ALLOW_ORIGIN, Code.BLOCKED_BY_BROWSER);
    assertThat(a.byFinding())
        .containsEntry("DUPLICATE_ALLOW_ORIGIN", 2)
        .containsEntry("PREFLIGHT_ANSWERED_BY_OTHER_SERVER", 1);
  }

  @Test
  void aRequestNeverSentIsComparedWithLaterAnswersFromTheSameOrigin() throws Exception {
    // Chrome's story as recorded: the POST never went out (status 0, preflight failed), its
    // preflight answered by AirTunes on ::1; Flask's answer to another request comes later.
    String json =
        """
        {"log":{"entries":[
         {"_resourceType":"fetch","request":{"method":"PUT","url":"http://localhost:5000/x",
          "headers":[{"name":"Origin","value":"http://localhost:4200"},
                     {"name":"Content-Type","value":"application/json"}]},
          "response":{"status":0,"headers":[],"_error":"net::ERR_FAILED"}},
         {"_resourceType":"preflight","_initiator":{"type":"preflight","url":"http://localhost:5000/x"},
          "request":{"method":"OPTIONS","url":"http://localhost:5000/x",
          "headers":[{"name":"Origin","value":"http://localhost:4200"},
                     {"name":"Access-Control-Request-Method","value":"PUT"}]},
          "response":{"status":403,"headers":[{"name":"Server","value":"AirTunes/620.8.2"}]},
          "serverIPAddress":"[::1]"},
         {"request":{"method":"GET","url":"http://localhost:5000/health","headers":[]},
          "response":{"status":200,"headers":[{"name":"Server","value":"Werkzeug/3.0.1"}]},
          "serverIPAddress":"127.0.0.1"}]}}
        """;
    HarAnalysis a =
        new HarAnalyzer(HarLimits.DEFAULT, u -> true, 10).analyze(HarFixtures.of(json), b -> {});
    assertThat(a.requests()).hasSize(1);
    HarRequestResult r = a.requests().get(0);
    assertThat(codes(r))
        .startsWith(Code.PREFLIGHT_ANSWERED_BY_OTHER_SERVER, Code.KNOWN_SQUATTER_AIRPLAY_RECEIVER);
    assertThat(r.findings().get(0).evidence())
        .containsExactly(
            "preflight (entry 1): HTTP/1.1 403, Server: AirTunes/620.8.2, from ::1",
            "other responses from http://localhost:5000 (entry 2): Server: Werkzeug/3.0.1, from"
                + " 127.0.0.1");
    assertThat(a.byFinding()).containsEntry("PREFLIGHT_ANSWERED_BY_OTHER_SERVER", 1);
  }

  @Test
  void safariRecordsNoPreflightSoTheCachedOneIsAssumedAndNamed() throws Exception {
    HarAnalysis a = HarFixtures.analyze("safari-shaped.har");
    assertThat(a.crossOrigin()).isEqualTo(3);
    HarRequestResult patch = a.requests().get(1);
    assertThat(patch.method()).isEqualTo("PATCH");
    assertThat(patch.preflight()).isNull();
    assertThat(patch.preflightNeeded()).isTrue();
    assertThat(patch.outcome()).isEqualTo(Outcome.PASS);
    assertThat(codes(patch)).containsExactly(Code.PREFLIGHT_FROM_CACHE);
    assertThat(a.requests().get(2).actual().fromCache()).isEqualTo("Memory Cache");
    assertThat(a.blocked()).isZero();
  }

  @Test
  void urlFilterKeepsOnlyMatchingRequests() throws Exception {
    HarAnalysis a =
        new HarAnalyzer(HarLimits.DEFAULT, u -> u.contains("/api/bills?"), 100)
            .analyze(HarFixtures.open("real/angular-mfe-api-localhost.har"), b -> {});
    assertThat(a.entries()).isEqualTo(43);
    assertThat(pairs(a)).containsExactly(new int[] {38, 39});
  }

  @Test
  void retentionLimitCountsWhatItDoesNotKeep() throws Exception {
    HarAnalysis a =
        new HarAnalyzer(HarLimits.DEFAULT, u -> true, 2)
            .analyze(HarFixtures.open("real/angular-mfe-api-localhost.har"), b -> {});
    assertThat(a.crossOrigin()).isEqualTo(5);
    assertThat(a.requests()).hasSize(2);
    assertThat(a.requestsOmitted()).isEqualTo(3);
  }

  @Test
  void aSanitisedHarWithoutOriginHeadersTakesTheOriginFromThePage() throws Exception {
    HarAnalysis a = HarFixtures.analyze("sanitised-no-origin.har");
    assertThat(a.crossOrigin()).isEqualTo(3);
    assertThat(a.requests())
        .allSatisfy(r -> assertThat(r.origin()).isEqualTo("http://localhost:8080"));
    assertThat(pairs(a)).containsExactly(new int[] {0, 1}, new int[] {2, 3}, new int[] {4, 5});
  }
}
