package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HarPairingTest {

  /** What java.time says, the reference the fast path must match. */
  private static long reference(String iso) {
    try {
      return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  @Test
  void startTimesAsExportersWriteThemParseLikeJavaTime() {
    Random rnd = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      Instant t = Instant.ofEpochMilli(rnd.nextLong() % 4_000_000_000_000L);
      ZoneOffset zone = ZoneOffset.ofTotalSeconds((rnd.nextInt(34) - 17) * 1800);
      String iso = OffsetDateTime.ofInstant(t, zone).toString();
      assertThat(HarPairing.millis(iso)).as(iso).isEqualTo(t.toEpochMilli());
    }
    for (String iso :
        new String[] {
          "2023-11-14T10:00:00.100Z",
          "2023-11-14T10:00:00Z",
          "2023-11-14T10:00:00.1+01:00",
          "2023-11-14T10:00:00.123456789-05:30",
          "2024-02-29T23:59:59.999Z",
        }) {
      assertThat(HarPairing.commonMillis(iso)).as(iso).isEqualTo(reference(iso));
    }
  }

  @Test
  void anythingElseIsLeftToJavaTime() {
    for (String iso :
        new String[] {
          "2023-02-29T10:00:00Z",
          "2023-11-14T24:00:00Z",
          "2023-11-14T10:00:60Z",
          "2023-11-14T10:00:00.Z",
          "2023-11-14T10:00:00.1234567891Z",
          "2023-11-14T10:00:00+18:00",
          "2023-11-14t10:00:00z",
          "2023-11-14T10:00:00",
          "2023-11-14T10:00:00+0100",
          "20231114T100000Z",
          "+12023-11-14T10:00:00Z",
          "yesterday",
        }) {
      assertThat(HarPairing.commonMillis(iso)).as(iso).isEqualTo(Long.MIN_VALUE);
      assertThat(HarPairing.millis(iso)).as(iso).isEqualTo(reference(iso));
    }
  }
}
