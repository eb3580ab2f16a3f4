package io.corsdoctor.browsertruth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * For corpus scenarios: does this run's Chromium do what the shared corpus recorded? A mismatch
 * means the harness (servers, page, driver) is not reproducing the recording.
 */
final class RecordingCheck {
  private RecordingCheck() {}

  static List<String> mismatches(ScenarioRunner.Run run) {
    List<String> out = new ArrayList<>();
    List<Scenario.Recorded> recorded = run.scenario().recorded();
    for (int i = 0; i < recorded.size() && i < run.steps().size(); i++) {
      Scenario.Recorded want = recorded.get(i);
      BrowserFacts got = run.steps().get(i).facts();
      String step = recorded.size() > 1 ? "request " + (i + 1) + ": " : "";
      compare(out, step + "outcome", want.outcome(), got.outcome());
      compare(out, step + "corsError", want.corsError(), got.corsError());
      compare(
          out,
          step + "failedParameter",
          want.failedParameter(),
          run.topology().toCorpusPorts(got.failedParameter()));
      compare(
          out,
          step + "consoleMessage",
          want.consoleMessage(),
          run.topology().toCorpusPorts(got.consoleMessage()));
      compare(out, step + "preflightSent", want.preflightSent(), got.preflightSent());
      compare(out, step + "netError", want.netErrorText(), got.netError());
    }
    return out;
  }

  private static void compare(List<String> out, String what, Object want, Object got) {
    if (!Objects.equals(want, got)) {
      out.add(what + ": recorded " + show(want) + ", now " + show(got));
    }
  }

  static String show(Object o) {
    return o == null ? "null" : o instanceof String ? "'" + o + "'" : o.toString();
  }
}
