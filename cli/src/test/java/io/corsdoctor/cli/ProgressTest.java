package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void drawsPercentageAndSizeThenErasesTheLine() throws Exception {
    StringWriter err = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(err), 200_000_000L, true)) {
      p.accept(1_000);
      assertThat(err.toString()).isEmpty(); // nothing in the first quarter second
      Thread.sleep(300);
      p.accept(100_000_000L);
    }
    assertThat(err.toString()).startsWith("\r 50% 100 of 200 MB, ").endsWith("\r\033[K");
  }

  @Test
  void printsNothingWhenStderrIsNotATerminal() throws Exception {
    StringWriter err = new StringWriter();
    try (Progress p = new Progress(new PrintWriter(err), 100, false)) {
      Thread.sleep(300);
      p.accept(50);
    }
    assertThat(err.toString()).isEmpty();
  }
}
