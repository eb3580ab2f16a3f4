package io.corsdoctor.browsertruth;

import java.util.List;
import java.util.Optional;

/**
 * What the browser reported while one step's script ran: the script's own result, the console, the
 * network requests (with DevTools' corsErrorStatus) and the DevTools issues.
 *
 * @param scriptResult the script's JSON result, as text
 * @param console console entries (the browser's, not the script's console.log), in order
 * @param network requests the page made, in the order they started
 * @param corsIssues CorsError names filed as DevTools issues (some are reported only there)
 * @param startedAtMillis when the step's script started (wall clock)
 */
public record StepObservation(
    String scriptResult,
    List<ConsoleEntry> console,
    List<NetworkEntry> network,
    List<String> corsIssues,
    long startedAtMillis) {

  public StepObservation {
    console = List.copyOf(console);
    network = List.copyOf(network);
    corsIssues = List.copyOf(corsIssues);
  }

  /** One console entry as DevTools' Log domain reports it. */
  public record ConsoleEntry(String source, String level, String text, String category) {}

  /**
   * One request as DevTools' Network domain reports it (a redirect chain is one entry).
   *
   * @param initiatorType "preflight" for a CORS preflight, else "script", "parser", ...
   * @param urls every URL of the chain, first to last
   * @param status the final response status, or 0 when none arrived
   * @param errorText the loadingFailed error (e.g. net::ERR_FAILED), or null when it finished
   * @param corsError the loadingFailed corsErrorStatus.corsError, or null
   * @param failedParameter the loadingFailed corsErrorStatus.failedParameter, or null
   */
  public record NetworkEntry(
      String method,
      List<String> urls,
      String initiatorType,
      int status,
      String remoteAddress,
      String errorText,
      String corsError,
      String failedParameter) {
    public NetworkEntry {
      urls = List.copyOf(urls);
    }

    public boolean isPreflight() {
      return "preflight".equals(initiatorType);
    }
  }

  /** The first console error that is not the network entry: the "blocked by CORS" line. */
  public Optional<String> corsConsoleMessage() {
    return console.stream()
        .filter(c -> !"network".equals(c.source()) && "error".equals(c.level()))
        .map(ConsoleEntry::text)
        .findFirst();
  }
}
