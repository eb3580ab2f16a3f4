package io.corsdoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.proxy.ProxyExchange;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyLogRendererTest {

  @ParameterizedTest(name = "{0} us is {1}")
  @CsvSource({
    "0, 0.0ms",
    "349, 0.3ms",
    "350, 0.4ms",
    "1234, 1.2ms",
    "9949, 9.9ms",
    "9950, 10ms",
    "10999, 10ms",
    "1234567, 1234ms"
  })
  void latencyIsShortAndRounded(long micros, String text) {
    assertThat(ProxyLogRenderer.latency(micros)).isEqualTo(text);
  }

  @Test
  void theClockShowsMillisecondsAndFollowsEverySecond() {
    ProxyLogRenderer r = new ProxyLogRenderer(false, picocli.CommandLine.Help.Ansi.OFF);
    DateTimeFormatter f =
        DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    Instant t = Instant.parse("2026-12-07T23:59:58.000Z");
    for (long millis : new long[] {0, 7, 42, 999, 1000, 1005, 1999, 2000, 86_400_061}) {
      Instant at = t.plusMillis(millis);
      String line = r.line(exchange(at));
      assertThat(line).startsWith(f.format(at) + "  GET /a 200 1.2ms");
    }
  }

  @Test
  void aLineIsAppendedToWhatTheBatchHolds() {
    ProxyLogRenderer r = new ProxyLogRenderer(false, picocli.CommandLine.Help.Ansi.OFF);
    StringBuilder batch = new StringBuilder("earlier line\n");
    ProxyExchange e = exchange(Instant.parse("2026-12-07T10:00:00.250Z"));
    r.line(e, batch);
    assertThat(batch.toString()).isEqualTo("earlier line\n" + r.line(e));
  }

  private static ProxyExchange exchange(Instant at) {
    return new ProxyExchange(
        at, "GET", "/a", null, 200, 1234, ProxyExchange.Kind.FORWARDED, List.of(), null);
  }
}
