package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarReaderTest {

  static List<HarEntry> read(InputStream in) throws Exception {
    List<HarEntry> out = new ArrayList<>();
    new HarReader(HarLimits.DEFAULT).read(in, out::add);
    return out;
  }

  static HarFormatException failure(InputStream in, HarLimits limits) {
    return catchThrowableOfType(
        HarFormatException.class, () -> new HarReader(limits).read(in, e -> {}));
  }

  @Test
  void readsARealChromeExportWithItsExtensions() throws Exception {
    // Chrome 147 on macOS, from chris-piwinsky/angular-mfe-api (see resources/har/real/README.md)
    List<HarEntry> entries = read(HarFixtures.open("real/angular-mfe-api-localhost.har"));
    assertThat(entries).hasSize(43);
    HarEntry preflight = entries.get(39);
    assertThat(preflight.isPreflight()).isTrue();
    assertThat(preflight.initiatorRequestId()).isEqualTo("4717.222");
    assertThat(preflight.initiatorUrl())
        .isEqualTo("http://localhost:3001/api/bills?status=overdue");
    assertThat(preflight.serverIpAddress()).isEqualTo("::1");
    assertThat(entries.get(5).fromCache()).isEqualTo("memory");
    assertThat(entries.get(38).request().header("origin")).isEqualTo("http://localhost:4200");
    assertThat(entries.get(38).isPreflight()).isFalse();
  }

  @Test
  void readsFirefoxShapeWithOffsetsPlainAddressesAndStatusZero() throws Exception {
    List<HarEntry> entries = read(HarFixtures.open("firefox-shaped.har"));
    assertThat(entries).hasSize(5);
    assertThat(entries.get(0).isPreflight()).isTrue(); // no _resourceType: OPTIONS + ACRM + Origin
    assertThat(entries.get(0).serverIpAddress()).isEqualTo("127.0.0.1");
    assertThat(entries.get(4).response().status()).isZero();
    assertThat(HarPairing.millis(entries.get(0).startedDateTime()))
        .isEqualTo(java.time.Instant.parse("2023-11-14T09:00:00.100Z").toEpochMilli());
  }

  @Test
  void readsSafariCacheLoadsAsFromCache() throws Exception {
    List<HarEntry> entries = read(HarFixtures.open("safari-shaped.har"));
    assertThat(entries.get(3).fromCache()).isEqualTo("Memory Cache");
    assertThat(entries.get(1).fromCache()).isNull();
  }

  @Test
  void keepsEveryResponseHeaderOfCorsRequestsButOnlyServerOfTheRest() throws Exception {
    List<HarEntry> entries = read(HarFixtures.open("real/angular-mfe-api-localhost.har"));
    HarEntry script = entries.get(0); // the page itself: no Origin, navigate mode
    // eight header lines recorded, none of them Server: none kept
    assertThat(script.response().headers()).isEmpty();
    assertThat(script.response().status()).isEqualTo(200);
    HarEntry api = entries.get(38); // cross-origin fetch with Origin
    assertThat(api.response().values("Access-Control-Allow-Origin"))
        .containsExactly("http://localhost:4200");
    assertThat(api.response().headers().size()).isGreaterThan(3);
    List<HarEntry> story = read(HarFixtures.open("story-airtunes.har"));
    assertThat(story.get(2).server()).isEqualTo("AirTunes/620.8.2");
  }

  @Test
  void truncatedJsonNamesTheOffsetAndTheEntry() {
    String json =
        "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a/\"}},"
            + "{\"request\":{\"method\":\"GET\",\"url\":\"http://a/";
    HarFormatException e = failure(HarFixtures.of(json), HarLimits.DEFAULT);
    assertThat(e.kind()).isEqualTo(HarFormatException.Kind.TRUNCATED);
    assertThat(e.entryIndex()).isEqualTo(1);
    assertThat(e.byteOffset()).isEqualTo(json.length());
    assertThat(e.getMessage()).contains("byte offset " + json.length()).contains("entry 1");
  }

  @Test
  void wrongTypesNameTheEntryAndField() {
    String json =
        "{\"log\":{\"entries\":[{\"request\":{\"url\":\"http://a/\",\"headers\":[]}},"
            + "{\"request\":{\"url\":\"http://a/\",\"headers\":\"Origin: x\"}}]}}";
    HarFormatException e = failure(HarFixtures.of(json), HarLimits.DEFAULT);
    assertThat(e.kind()).isEqualTo(HarFormatException.Kind.WRONG_TYPE);
    assertThat(e.entryIndex()).isEqualTo(1);
    assertThat(e.getMessage())
        .startsWith("entry 1: request.headers is a string where a HAR has an array")
        .contains("byte offset " + json.indexOf("\"Origin: x\""));

    HarFormatException status =
        failure(
            HarFixtures.of(
                "{\"log\":{\"entries\":[{\"request\":{\"url\":\"u\"},\"response\":{\"status\":\"OK\"}}]}}"),
            HarLimits.DEFAULT);
    assertThat(status.getMessage()).contains("response.status is the string \"OK\"");
  }

  @Test
  void documentsThatAreNotHarsAreNamedSo() {
    assertThat(failure(HarFixtures.of(""), HarLimits.DEFAULT).getMessage())
        .contains("the file is empty");
    assertThat(failure(HarFixtures.of("[{}]"), HarLimits.DEFAULT).getMessage())
        .contains("starts with an array");
    assertThat(failure(HarFixtures.of("{\"name\":\"package\"}"), HarLimits.DEFAULT).getMessage())
        .contains("no \"log\" object");
    assertThat(failure(HarFixtures.of("{\"log\":{\"pages\":[]}}"), HarLimits.DEFAULT).getMessage())
        .contains("no \"entries\" array");
    HarFormatException garbage = failure(HarFixtures.of("{\"log\": nope}"), HarLimits.DEFAULT);
    assertThat(garbage.kind()).isEqualTo(HarFormatException.Kind.NOT_JSON);
    assertThat(garbage.byteOffset()).isBetween(8L, 12L);
  }

  @Test
  void deepNestingIsRefusedWithAnOffsetNotAStackOverflow() {
    String deep = "{\"log\":{\"entries\":[{\"x\":" + "[".repeat(100_000);
    HarFormatException e = failure(HarFixtures.of(deep), HarLimits.DEFAULT);
    assertThat(e.kind()).isEqualTo(HarFormatException.Kind.TOO_DEEP);
    assertThat(e.entryIndex()).isZero();
    assertThat(e.getMessage()).contains("deeper than 500 levels").contains("byte offset");
  }

  @Test
  void aGigabyteStringInAFieldWeReadIsRefusedEarlyWithItsOffset() {
    String prefix = "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a/";
    InputStream in = HarFixtures.generated(prefix, 1L << 30, (byte) 'a', "\"}}]}}");
    HarFormatException e = failure(in, HarLimits.DEFAULT);
    assertThat(e.kind()).isEqualTo(HarFormatException.Kind.TOO_LONG);
    assertThat(e.entryIndex()).isZero();
    assertThat(e.byteOffset()).isEqualTo(prefix.length() - "http://a/".length() - 1);
    assertThat(e.getMessage()).contains("longer than 16 MB").contains("entry 0");
  }

  @Test
  void aGigabyteResponseBodyStreamsByWithoutBeingHeld() throws Exception {
    String prefix =
        "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"http://a/\"},"
            + "\"response\":{\"status\":200,\"content\":{\"text\":\"";
    InputStream in =
        HarFixtures.generated(
            prefix,
            1L << 30,
            (byte) 'x',
            "\"},\"headers\":[{\"name\":\"Server\",\"value\":\"big\"}]}}]}}");
    List<HarEntry> entries = read(in);
    assertThat(entries).hasSize(1);
    assertThat(entries.get(0).server()).isEqualTo("big");
  }
}
