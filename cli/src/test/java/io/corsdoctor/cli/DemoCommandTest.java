package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

  @Test
  void theDemoReproducesTheStoryAndNamesTheImpostorFirst() {
    long start = System.nanoTime();
    MainTest.Run r = MainTest.run("demo", "--no-color");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
    assertThat(ms).as("a few seconds at most").isLessThan(5000);
    String out = r.out();
    assertThat(out)
        .contains("Who listens on port")
        .contains("Server: AirTunes/620.8.2")
        .contains("Access-Control-Allow-Origin: *\n")
        .contains("PREFLIGHT_ANSWERED_BY_OTHER_PROCESS")
        .contains("KNOWN_SQUATTER_AIRPLAY_RECEIVER")
        .contains("DUPLICATE_ALLOW_ORIGIN")
        .contains("Access to fetch at 'http://localhost:");
    int evidence = out.indexOf("What each address answered");
    int verdict = out.lastIndexOf("BLOCKED");
    int fix = out.lastIndexOf("Fix\n");
    assertThat(evidence).isPositive().isLessThan(verdict);
    assertThat(verdict).isLessThan(fix);
    assertThat(out.substring(fix)).contains("AirPlay Receiver");
  }

  @Test
  void theDemoAsJsonFollowsTheContract() throws Exception {
    MainTest.Run r = MainTest.run("demo", "--format", "json");
    assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
    JsonNode root = Loopback.json(r.out());
    assertThat(root.get("verdict").asText()).isEqualTo("blocked");
    assertThat(root.get("chrome").get("corsError").asText()).startsWith("Preflight");
    assertThat(root.get("chrome").get("message").asText())
        .startsWith("Access to fetch at 'http://localhost:")
        .contains("from origin 'http://localhost:4200' has been blocked by CORS policy:");
    assertThat(root.get("addresses").get("chrome").asText()).isEqualTo("::1");
    assertThat(root.get("addresses").get("firefox").asText()).isEqualTo("127.0.0.1");
    assertThat(root.get("firefox").get("verdict").asText()).isEqualTo("blocked");
    assertThat(root.get("firefox").get("reason").asText())
        .isEqualTo("CORSMultipleAllowOriginNotAllowed");
    assertThat(Loopback.codes(root))
        .startsWith("ADDRESSES_DISAGREE")
        .contains(
            "PREFLIGHT_ANSWERED_BY_OTHER_PROCESS",
            "KNOWN_SQUATTER_AIRPLAY_RECEIVER",
            "PORT_SHARED_BY_TWO_PROCESSES",
            "DUPLICATE_ALLOW_ORIGIN");
    JsonNode impostor = Loopback.probes(root, "::1").get(0);
    assertThat(impostor.get("kind").asText()).isEqualTo("preflight");
    assertThat(impostor.get("status").asInt()).isEqualTo(403);
    assertThat(impostor.get("statusLine").asText()).isEqualTo("HTTP/1.1 403 Forbidden");
    assertThat(impostor.get("headers").toString())
        .isEqualTo("[[\"Content-Length\",\"0\"],[\"Server\",\"AirTunes/620.8.2\"]]");
    assertThat(impostor.get("server").asText()).isEqualTo("AirPlay Receiver (AirTunes)");
    assertThat(impostor.get("answeredBy").get("pid").asLong())
        .isEqualTo(ProcessHandle.current().pid());
    JsonNode actual = Loopback.probes(root, "127.0.0.1").get(1);
    assertThat(actual.get("kind").asText()).isEqualTo("actual");
    assertThat(actual.get("headers").toString())
        .contains(
            "[\"Access-Control-Allow-Origin\",\"*\"],[\"Access-Control-Allow-Origin\",\"http://localhost:4200\"]");
    JsonNode dup =
        root.get("findings").findParents("code").stream()
            .filter(f -> f.get("code").asText().equals("DUPLICATE_ALLOW_ORIGIN"))
            .findFirst()
            .orElseThrow();
    assertThat(dup.get("fix").get(0).asText()).contains("flask-cors");
  }
}
