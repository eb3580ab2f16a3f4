package io.corsdoctor.cors;

import java.util.List;
import java.util.Objects;

/**
 * The browser's decision about one request.
 *
 * @param outcome pass, blocked or network-error (as Chromium decides)
 * @param stage the stage that decided it
 * @param preflightNeeded whether the request needs a CORS preflight
 * @param preflightSent whether a preflight went on the wire (false when served from the cache)
 * @param chrome what Chromium 156 shows
 * @param firefox what Firefox shows for the same replies
 * @param problems every problem found, the deciding one first
 * @param exchanges every request sent and the reply it got, in order
 * @param stateAfter the browser state (preflight cache) after this request
 */
public record Verdict(
    Outcome outcome,
    Stage stage,
    boolean preflightNeeded,
    boolean preflightSent,
    ChromeVerdict chrome,
    FirefoxVerdict firefox,
    List<Problem> problems,
    List<Exchange> exchanges,
    BrowserState stateAfter) {

  public Verdict {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(chrome, "chrome");
    Objects.requireNonNull(firefox, "firefox");
    problems = List.copyOf(problems);
    exchanges = List.copyOf(exchanges);
    Objects.requireNonNull(stateAfter, "stateAfter");
  }
}
