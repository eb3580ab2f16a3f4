package io.corsdoctor.har;

import io.corsdoctor.cors.ChromeVerdict;
import io.corsdoctor.cors.FirefoxVerdict;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.cors.Stage;
import java.util.List;

/**
 * What the browser decided about one cross-origin request of the HAR, and what else the recording
 * shows.
 *
 * @param method the request method
 * @param url the request URL
 * @param origin the page's origin as sent
 * @param outcome the engine's outcome on the recorded replies; null when the HAR lacks a reply the
 *     engine needed
 * @param stage where the browser decided, or null
 * @param chrome what Chromium shows, or null with a null outcome
 * @param firefox what Firefox shows, or null with a null outcome
 * @param preflightNeeded whether the request needs a preflight
 * @param preflight the recorded preflight, or null
 * @param actual the recorded request, or null (a preflight whose request is not in the HAR)
 * @param findings what the recording shows beside the verdict
 */
public record HarRequestResult(
    String method,
    String url,
    String origin,
    Outcome outcome,
    Stage stage,
    ChromeVerdict chrome,
    FirefoxVerdict firefox,
    boolean preflightNeeded,
    HarExchange preflight,
    HarExchange actual,
    List<HarFinding> findings) {

  public HarRequestResult {
    findings = List.copyOf(findings);
  }

  public boolean blocked() {
    return outcome == Outcome.BLOCKED;
  }

  /** Worth showing in a short report: not a plain pass. */
  public boolean notable() {
    return outcome != Outcome.PASS || !findings.isEmpty();
  }
}
