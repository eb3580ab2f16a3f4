package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every scenario of the Firefox corpus (149 recorded in real Firefox ESR 153, plus their
 * follow-up requests) through {@link FirefoxModel}, fed with the bytes Firefox itself received, and
 * requires Firefox's own outcome, reason codes (in order) and console lines.
 */
class FirefoxCorpusReplayTest {
  private static final List<FirefoxCorpus.Case> CASES = FirefoxCorpus.load();

  @Test
  void theCorpusHoldsEveryRecordedScenario() {
    assertThat(CASES.stream().filter(c -> !c.id().contains(" step ")).count()).isEqualTo(149);
  }

  @TestFactory
  Stream<DynamicTest> firefoxModelAgreesWithRealFirefox() {
    return CASES.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.id() + ": " + c.description(),
                    () -> {
                      FirefoxVerdict v = FirefoxModel.judge(c.request(), c.exchanges());
                      assertThat(v.messages()).as("console lines").isEqualTo(c.messages());
                      assertThat(v.reasons()).as("reason codes").isEqualTo(c.reasons());
                      assertThat(v.outcome()).as("outcome").isEqualTo(c.outcome());
                    }));
  }
}
