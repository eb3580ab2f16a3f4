package io.corsdoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

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
}
