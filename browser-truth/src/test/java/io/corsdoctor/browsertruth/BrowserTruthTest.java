package io.corsdoctor.browsertruth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corsdoctor.browsertruth.chromium.ChromiumDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario under {@code scenarios/}, run in real headless Chromium against raw loopback
 * servers. Per request it checks that the harness reproduces the shared corpus's recording (corpus
 * scenarios) and that the engine, fed the bytes the servers sent, predicts what Chromium did.
 */
class BrowserTruthTest {
  static final Path CHROMIUM =
      Path.of(System.getProperty("browserTruth.chromium", "/usr/bin/chromium"));
  static final Path OUT = Path.of("target", "browser-truth");

  /**
   * Whether a difference between the engine and Chromium fails the test ({@code
   * -DbrowserTruth.engine=report} only writes it to the report).
   */
  static final boolean ENGINE_ASSERTED =
      !"report".equals(System.getProperty("browserTruth.engine", "assert"));

  private static ScenarioRunner runner;
  private static final List<Report.Row> rows = new ArrayList<>();
  private static long suiteStart;

  @BeforeAll
  static void startBrowser() {
    if (!Files.isExecutable(CHROMIUM)) {
      String message =
          "Chromium is not installed at "
              + CHROMIUM
              + ": the browser-truth suite needs it. Install it with scripts/install-test-deps.sh"
              + " (Debian packages chromium and chromium-driver).";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message + " Skipped because CI is not set.");
    }
    suiteStart = System.nanoTime();
    runner =
        new ScenarioRunner(
            args -> {
              try {
                return ChromiumDriver.launch(CHROMIUM, args);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @AfterAll
  static void stopBrowserAndReport() throws IOException {
    if (runner != null) {
      runner.close();
    }
    if (!rows.isEmpty()) {
      Report.write(OUT, rows, (System.nanoTime() - suiteStart) / 1_000_000);
    }
  }

  @TestFactory
  Stream<DynamicTest> scenarios() {
    String only = System.getProperty("browserTruth.only", "");
    return ScenarioFile.all().stream()
        .filter(f -> only.isEmpty() || f.declared().id().matches(only))
        .map(file -> DynamicTest.dynamicTest(file.declared().id(), () -> check(file)));
  }

  /** The HAR lists what the servers received, with the preflights marked as DevTools marks them. */
  private static void checkHar(ScenarioRunner.Run run) throws IOException {
    JsonNode log = new ObjectMapper().readTree(run.harJson()).path("log");
    assertThat(log.path("version").asText()).isEqualTo("1.2");
    List<String> harPreflights = new ArrayList<>();
    for (JsonNode e : log.path("entries")) {
      if (e.path("_initiator").path("type").asText().equals("preflight")) {
        assertThat(e.path("_resourceType").asText()).isEqualTo("preflight");
        harPreflights.add(e.path("request").path("url").asText());
      }
    }
    long received =
        run.steps().stream()
            .flatMap(s -> s.received().stream())
            .filter(ScenarioServer.Received::isPreflight)
            .count();
    assertThat(harPreflights).as("preflight entries in the HAR").hasSize((int) received);
  }

  private static void check(ScenarioFile file) throws Exception {
    try (ScenarioRunner.Run run = runner.run(file)) {
      List<String> recordingMismatches = RecordingCheck.mismatches(run);
      List<EnginePrediction.Prediction> predictions;
      List<String> engineDifferences = new ArrayList<>();
      try {
        predictions = EnginePrediction.predict(run);
        for (int i = 0; i < predictions.size(); i++) {
          String step = predictions.size() > 1 ? "request " + (i + 1) + ": " : "";
          predictions.get(i).differences().forEach(d -> engineDifferences.add(step + d));
        }
      } catch (RuntimeException e) {
        predictions = List.of();
        engineDifferences.add("the engine threw " + e);
      }
      Report.Row row = new Report.Row(file, run, recordingMismatches, engineDifferences);
      synchronized (rows) {
        rows.add(row);
      }
      if (run.harJson() != null) {
        Path har = OUT.resolve("har").resolve(run.scenario().id() + ".har");
        Files.createDirectories(har.getParent());
        Files.writeString(har, run.harJson());
        checkHar(run);
      }
      assertThat(recordingMismatches)
          .as("the harness reproduces the corpus recording of %s", file.declared().id())
          .isEmpty();
      if (ENGINE_ASSERTED) {
        assertThat(engineDifferences)
            .as(
                "the engine predicts what Chromium did in %s (servers sent: %s)",
                file.declared().id(),
                run.steps().stream().map(ScenarioRunner.StepRun::received).toList())
            .isEmpty();
      }
    }
  }
}
