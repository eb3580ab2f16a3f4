package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corsdoctor.cli.ExitCodes;
import io.corsdoctor.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code cors-doctor har} end to end through picocli, as a user runs it. */
class HarCommandTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static String fixture(String name) {
    return HarFixtures.path(name).toString();
  }

  @Test
  void theStoryIsAProblemWithSummaryFirstThenDetails() {
    Run r = run("har", fixture("story-airtunes.har"));
    assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).contains("5 entries, 2 cross-origin requests");
    assertThat(r.out().indexOf("findings: "))
        .isLessThan(r.out().indexOf("POST http://localhost:5000/sample"));
    assertThat(r.out())
        .contains("Server: AirTunes/620.8.2  from ::1")
        .contains("[PREFLIGHT_ANSWERED_BY_OTHER_SERVER]")
        .contains("[KNOWN_SQUATTER_AIRPLAY_RECEIVER]")
        .contains("AirPlay Receiver");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void jsonFollowsTheContract() throws Exception {
    Run r = run("har", fixture("story-airtunes.har"), "--format", "json");
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("entries").asInt()).isEqualTo(5);
    assertThat(root.get("crossOrigin").asInt()).isEqualTo(2);
    assertThat(root.get("blocked").asInt()).isEqualTo(2);
    assertThat(root.get("byCause").get("MultipleAllowOriginValues").asInt()).isEqualTo(1);
    JsonNode first = root.get("requests").get(0);
    assertThat(first.get("url").asText()).isEqualTo("http://localhost:5000/sample");
    assertThat(first.get("method").asText()).isEqualTo("POST");
    assertThat(first.get("origin").asText()).isEqualTo("http://localhost:4200");
    assertThat(first.get("verdict").asText()).isEqualTo("blocked");
    assertThat(first.get("chrome").get("corsError").asText())
        .isEqualTo("PreflightMissingAllowOriginHeader");
    assertThat(first.get("chrome").get("message").asText()).startsWith("Access to fetch at ");
    assertThat(first.get("preflight").get("status").asInt()).isEqualTo(403);
    assertThat(first.get("preflight").get("server").asText()).isEqualTo("AirTunes/620.8.2");
    assertThat(first.get("preflight").get("serverIPAddress").asText()).isEqualTo("::1");
    JsonNode finding = first.get("findings").get(0);
    assertThat(finding.get("code").asText()).isEqualTo("PREFLIGHT_ANSWERED_BY_OTHER_SERVER");
    assertThat(finding.get("summary").asText()).contains("another server");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void realChromeExportsPassAndExitZero() {
    for (String har :
        new String[] {"real/angular-mfe-api-localhost.har", "real/cowboy-cards-localhost.har"}) {
      Run r = run("har", fixture(har));
      assertThat(r.code()).as(har).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).contains(", 0 blocked").contains("with nothing to report");
    }
  }

  @Test
  void urlFilterNarrowsTheRequests() throws Exception {
    Run r =
        run(
            "har",
            fixture("real/angular-mfe-api-localhost.har"),
            "--url",
            "localhost:3001/*bills?",
            "--format",
            "json");
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.get("crossOrigin").asInt()).isEqualTo(1);
    assertThat(root.get("requests").get(0).get("url").asText())
        .isEqualTo("http://localhost:3001/api/bills?status=overdue");
  }

  @Test
  void unreadableInputExitsThreeWithOneClearSentence(@TempDir Path dir) throws Exception {
    Path truncated = dir.resolve("cut.har");
    byte[] real = Files.readAllBytes(HarFixtures.path("real/cowboy-cards-localhost.har"));
    Files.write(truncated, java.util.Arrays.copyOf(real, 5000));
    Run r = run("har", truncated.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(r.err())
        .contains("byte offset 5000")
        .contains("truncated")
        .contains("Export the HAR again")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();

    Path notHar = dir.resolve("package.json");
    Files.writeString(notHar, "{\"name\":\"app\",\"version\":\"1.0.0\"}");
    Run n = run("har", notHar.toString());
    assertThat(n.code()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(n.err()).contains("not a HAR file");

    Run missing = run("har", dir.resolve("nope.har").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(missing.err()).contains("There is no file").contains("nope.har");
  }

  @Test
  void redactWritesACopyAndSaysWhatItRemoved(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("safe.har");
    Run r = run("har", fixture("secrets-planted.har"), "--redact", out.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.OK);
    assertThat(r.out())
        .contains("Wrote " + out)
        .contains("authorization headers")
        .contains("response bodies")
        .contains("Headers replaced: ");
    String copy = Files.readString(out);
    assertThat(copy).doesNotContain("PLANT-").contains("REDACTED");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("safe.har");
    }

    Run same = run("har", out.toString(), "--redact", out.toString());
    assertThat(same.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(same.err()).contains("is the input file itself");
  }
}
