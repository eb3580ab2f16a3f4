package io.corsdoctor.browsertruth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corsdoctor.browsertruth.StepObservation.NetworkEntry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the browser decided about one request, in the terms the engine predicts.
 *
 * @param verdict pass, blocked or network-error (cors-doctor's words)
 * @param outcome the corpus's finer words: ok, cors-error, network-error, js-error
 * @param corsError DevTools' corsErrorStatus.corsError of the request (or of its preflight), or
 *     null
 * @param failedParameter DevTools' corsErrorStatus.failedParameter, or null
 * @param issueCorsError the CorsError of the first DevTools CORS issue, or null (some errors, such
 *     as DisallowedByMode, are reported only there)
 * @param consoleMessage the first console error that is not the network entry, or null
 * @param preflightSent whether a preflight reached the server during this request
 * @param netError the request's loadingFailed errorText, or null
 * @param scriptSaw what the page's script got, as JSON
 */
public record BrowserFacts(
    String verdict,
    String outcome,
    String corsError,
    String failedParameter,
    String issueCorsError,
    String consoleMessage,
    boolean preflightSent,
    String netError,
    String scriptSaw) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static BrowserFacts of(
      String requestUrl, StepObservation step, List<ScenarioServer.Received> received) {
    Optional<NetworkEntry> main =
        step.network().stream()
            .filter(n -> !n.isPreflight() && n.urls().get(0).equals(requestUrl))
            .findFirst();
    String corsError = main.map(NetworkEntry::corsError).orElse(null);
    String failedParameter = main.map(NetworkEntry::failedParameter).orElse(null);
    if (corsError == null) {
      Optional<NetworkEntry> preflight =
          step.network().stream().filter(n -> n.isPreflight() && n.corsError() != null).findFirst();
      corsError = preflight.map(NetworkEntry::corsError).orElse(null);
      failedParameter = preflight.map(NetworkEntry::failedParameter).orElse(null);
    }
    String issueCorsError = step.corsIssues().isEmpty() ? null : step.corsIssues().get(0);
    String netError = main.map(NetworkEntry::errorText).orElse(null);
    boolean scriptFailed = scriptFailed(step.scriptResult());
    String outcome;
    if (main.isPresent() && main.get().corsError() != null) {
      outcome = "cors-error";
    } else if (corsError != null) {
      outcome = "cors-error";
    } else if (!scriptFailed) {
      outcome = "ok";
    } else if (netError != null || main.isPresent()) {
      outcome = "network-error";
    } else {
      outcome = "js-error";
    }
    String verdict =
        switch (outcome) {
          case "ok" -> "pass";
          case "network-error" -> "network-error";
          case "cors-error" -> "blocked";
          default -> "blocked"; // js-error: the script was refused before anything was sent
        };
    return new BrowserFacts(
        verdict,
        outcome,
        corsError,
        failedParameter,
        issueCorsError,
        step.corsConsoleMessage().orElse(null),
        received.stream().anyMatch(ScenarioServer.Received::isPreflight),
        netError,
        step.scriptResult());
  }

  private static boolean scriptFailed(String result) {
    try {
      JsonNode r = JSON.readTree(result);
      String o = r.path("outcome").asText();
      return !(o.equals("resolved") || o.equals("load") || o.equals("ok-body-error"))
          || (o.equals("load") && r.path("status").asInt() == 0);
    } catch (IOException e) {
      return true;
    }
  }
}
