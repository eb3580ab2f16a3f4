package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HarRedactorTest {

  /** Every secret planted in secrets-planted.har, beside the PLANT-* markers. */
  static final List<String> OTHER_SECRETS = List.of("PLANTJWT16", "UExBTlQtQkFTRTY0LTMx", "424242");

  static String redacted(String fixture) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HarRedactor(HarLimits.DEFAULT).redact(HarFixtures.open(fixture), out, b -> {});
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyPlantedSecretDisappears() throws Exception {
    String original = Files.readString(HarFixtures.path("secrets-planted.har"));
    Matcher m = Pattern.compile("PLANT-[A-Z0-9-]+").matcher(original);
    List<String> planted = m.results().map(r -> r.group()).distinct().toList();
    assertThat(planted).hasSizeGreaterThanOrEqualTo(20);
    for (String s : OTHER_SECRETS) {
      assertThat(original).contains(s);
    }

    String copy = redacted("secrets-planted.har");
    for (String secret : planted) {
      assertThat(copy).as("planted secret %s", secret).doesNotContain(secret);
    }
    for (String secret : OTHER_SECRETS) {
      assertThat(copy).as("planted secret %s", secret).doesNotContain(secret);
    }
  }

  @Test
  void structureNamesAndCorsEvidenceStay() throws Exception {
    JsonNode log = new ObjectMapper().readTree(redacted("secrets-planted.har")).get("log");
    JsonNode post = log.get("entries").get(1);
    assertThat(post.get("request").get("url").asText())
        .isEqualTo("http://localhost:5000/sample?api_key=REDACTED&lang=REDACTED");
    assertThat(post.get("request").get("postData").get("text").asText())
        .isEqualTo(
            "{\"user\":\"REDACTED\",\"password\":\"REDACTED\",\"nested\":{\"otp\":\"REDACTED\",\"n\":0}}");
    assertThat(header(post.get("request"), "Cookie")).isEqualTo("session=REDACTED; theme=REDACTED");
    assertThat(header(post.get("request"), "Authorization")).isEqualTo("Bearer REDACTED");
    assertThat(header(post.get("request"), "Origin")).isEqualTo("http://localhost:4200");
    assertThat(header(post.get("response"), "Set-Cookie"))
        .isEqualTo("session=REDACTED; Path=/; HttpOnly; SameSite=Lax");
    assertThat(header(post.get("response"), "Server")).isEqualTo("Werkzeug/3.0.1 Python/3.11.6");
    assertThat(post.get("response").get("content").get("text").asText()).isEmpty();
    assertThat(post.get("serverIPAddress").asText()).isEqualTo("127.0.0.1");
    JsonNode form = log.get("entries").get(3).get("request").get("postData");
    assertThat(form.get("text").asText()).isEqualTo("user=REDACTED&token=REDACTED");
    assertThat(form.get("params").get(1).get("name").asText()).isEqualTo("token");
  }

  @Test
  void theRedactedCopyTellsTheSameCorsStory() throws Exception {
    HarAnalysis before = HarFixtures.analyze("secrets-planted.har");
    byte[] copy = redacted("secrets-planted.har").getBytes(StandardCharsets.UTF_8);
    HarAnalysis after =
        new HarAnalyzer(HarLimits.DEFAULT, u -> true, 100)
            .analyze(new ByteArrayInputStream(copy), b -> {});
    assertThat(after.crossOrigin()).isEqualTo(before.crossOrigin()).isEqualTo(2);
    assertThat(after.byFinding()).isEqualTo(before.byFinding());
    assertThat(after.byFinding()).containsKey("PREFLIGHT_ANSWERED_BY_OTHER_SERVER");
  }

  @Test
  void reportsWhatItRemoved() throws Exception {
    HarRedactor.Report r =
        new HarRedactor(HarLimits.DEFAULT)
            .redact(HarFixtures.open("secrets-planted.har"), new ByteArrayOutputStream(), b -> {});
    assertThat(r.entries()).isEqualTo(5);
    assertThat(r.headerNames())
        .contains(
            "cookie",
            "set-cookie",
            "authorization",
            "x-api-key",
            "x-csrf-token",
            "x-debug-context");
    assertThat(r.removed())
        .containsKeys(
            "request bodies",
            "response bodies",
            "query values",
            "request cookies",
            "response cookies",
            "websocket messages",
            "form values");
  }

  @Test
  void aGigabyteResponseBodyIsEmptiedWithoutBeingHeld() throws Exception {
    String prefix =
        "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a/\"},"
            + "\"response\":{\"status\":200,\"content\":{\"text\":\"";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HarRedactor(HarLimits.DEFAULT)
        .redact(HarFixtures.generated(prefix, 1L << 30, (byte) 'x', "\"}}}]}}"), out, b -> {});
    JsonNode copy = new ObjectMapper().readTree(out.toByteArray());
    assertThat(copy.at("/log/entries/0/response/content/text").asText()).isEmpty();
  }

  private static String header(JsonNode message, String name) {
    for (JsonNode h : message.get("headers")) {
      if (h.get("name").asText().equalsIgnoreCase(name)) {
        return h.get("value").asText();
      }
    }
    return null;
  }
}
