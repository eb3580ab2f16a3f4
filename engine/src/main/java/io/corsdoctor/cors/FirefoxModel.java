package io.corsdoctor.cors;

import java.util.List;

/**
 * What Firefox (ESR 153) decides for the same request and replies: its reason codes, in the order
 * it logs them, and its console text. Firefox reads some header lines differently from Chromium (it
 * sees {@link HttpReply#rawHeaderLines()}, and for a non-HTTP reply the raw head in {@link
 * NetworkFailure#detail()}).
 */
public final class FirefoxModel {
  private FirefoxModel() {}

  /**
   * Judges the exchanges as Firefox would. Called by the engine at the end of every request with
   * the exchanges it made; when Firefox would have gone further than Chromium did (e.g. passed a
   * preflight Chromium failed), it judges from what is there.
   */
  public static FirefoxVerdict judge(CorsRequest request, List<Exchange> exchanges) {
    // Placeholder until the Firefox model lands (issue 8): says nothing it does not know.
    return new FirefoxVerdict(Outcome.PASS, List.of(), List.of());
  }
}
