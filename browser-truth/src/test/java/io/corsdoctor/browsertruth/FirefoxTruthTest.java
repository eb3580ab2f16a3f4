package io.corsdoctor.browsertruth;

import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.browsertruth.firefox.FirefoxDriver;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.Exchange;
import io.corsdoctor.cors.FirefoxModel;
import io.corsdoctor.cors.FirefoxVerdict;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.RedirectMode;
import io.corsdoctor.cors.RequestMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Every scenario under {@code scenarios/} that needs no Chromium-only flag, run in real headless
 * Firefox ({@code firefox-esr}, WebDriver BiDi) against the same raw loopback servers. Per request
 * it feeds {@link FirefoxModel} the bytes Firefox's own requests received and requires Firefox's
 * console lines (exact text) and whether the page could read the response.
 */
class FirefoxTruthTest {
  static final Path FIREFOX =
      Path.of(System.getProperty("browserTruth.firefox", "/usr/bin/firefox-esr"));

  private static ScenarioRunner runner;

  @BeforeAll
  static void startFirefox() throws IOException {
    if (!Files.isExecutable(FIREFOX)) {
      String message =
          "Firefox is not installed at "
              + FIREFOX
              + ": the Firefox browser-truth suite needs it. Install it with"
              + " scripts/install-test-deps.sh (Debian package firefox-esr).";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message + " Skipped because CI is not set.");
    }
    String userJs;
    try (InputStream in = FirefoxTruthTest.class.getResourceAsStream("/firefox/user.js")) {
      userJs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    runner =
        new ScenarioRunner(
            args -> {
              try {
                return FirefoxDriver.launch(FIREFOX, userJs);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  @AfterAll
  static void stopFirefox() {
    if (runner != null) {
      runner.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> scenariosInFirefox() {
    String only = System.getProperty("browserTruth.only", "");
    return ScenarioFile.all().stream()
        .filter(f -> only.isEmpty() || f.declared().id().matches(only))
        .filter(f -> f.declared().browserArgs().isEmpty()) // Chromium-only flags (LNA overrides)
        .map(file -> DynamicTest.dynamicTest(file.declared().id(), () -> check(file)));
  }

  private static void check(ScenarioFile file) throws Exception {
    try (ScenarioRunner.Run run = runner.run(file)) {
      List<String> differences = new ArrayList<>();
      for (int i = 0; i < run.steps().size(); i++) {
        ScenarioRunner.StepRun step = run.steps().get(i);
        String label = run.steps().size() > 1 ? "request " + (i + 1) + ": " : "";
        CorsRequest request = EnginePrediction.request(run.scenario(), step.request());
        FirefoxVerdict predicted = FirefoxModel.judge(request, exchanges(request, step));
        List<String> logged =
            step.observation().console().stream()
                .filter(c -> "error".equals(c.level()) && "javascript".equals(c.source()))
                .map(StepObservation.ConsoleEntry::text)
                .toList();
        if (!predicted.messages().equals(logged)) {
          differences.add(
              label + "Firefox logged " + logged + ", the model " + predicted.messages());
        }
        boolean read = readable(step.observation().scriptResult());
        if (read != (predicted.outcome() == Outcome.PASS)) {
          differences.add(
              label
                  + "the page "
                  + (read ? "read" : "could not read")
                  + " the response, the model says "
                  + predicted.outcome());
        }
      }
      assertThat(differences)
          .as(
              "the Firefox model predicts what Firefox did in %s (servers received: %s)",
              file.declared().id(),
              run.steps().stream().map(ScenarioRunner.StepRun::received).toList())
          .isEmpty();
    }
  }

  /** The exchanges Firefox made for one request, from what the servers received and sent. */
  private static List<Exchange> exchanges(CorsRequest request, ScenarioRunner.StepRun step) {
    List<Exchange> out = new ArrayList<>();
    for (ScenarioServer.Received r : step.received()) {
      String host = r.header("Host").orElse(r.listener());
      List<Header> headers = new ArrayList<>();
      for (String line : r.headerLines()) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
      }
      out.add(
          new Exchange(
              new OutgoingRequest(
                  r.isPreflight() ? OutgoingRequest.Kind.PREFLIGHT : OutgoingRequest.Kind.ACTUAL,
                  r.method(),
                  "http://" + host + r.target(),
                  headers),
              EnginePrediction.toReply(r.answer())));
    }
    if (!out.isEmpty()
        && request.redirect() == RedirectMode.FOLLOW
        && out.get(out.size() - 1).reply() instanceof HttpReply last
        && last.status() >= 300
        && last.status() < 400
        && last.combined("Location").isPresent()) {
      // The last answer redirected and nothing received the next request: it was refused.
      URI next =
          URI.create(out.get(out.size() - 1).request().url())
              .resolve(last.combined("Location").get());
      if ("http".equals(next.getScheme()) && next.getUserInfo() == null) {
        out.add(
            new Exchange(
                new OutgoingRequest(
                    OutgoingRequest.Kind.ACTUAL, request.method(), next.toString(), List.of()),
                new NetworkFailure(NetError.CONNECTION_REFUSED, "nothing received")));
      }
    }
    if (out.isEmpty() && refusable(request) && !readable(step.observation().scriptResult())) {
      // Nothing reached a server: the connection was refused (or the request never left).
      boolean preflight = FirefoxModel.preflightNeeded(request);
      out.add(
          new Exchange(
              new OutgoingRequest(
                  preflight ? OutgoingRequest.Kind.PREFLIGHT : OutgoingRequest.Kind.ACTUAL,
                  preflight ? "OPTIONS" : request.method(),
                  request.url(),
                  List.of()),
              new NetworkFailure(NetError.CONNECTION_REFUSED, "nothing received")));
    }
    return out;
  }

  private static boolean refusable(CorsRequest request) {
    return request.mode() != RequestMode.SAME_ORIGIN
        && "http".equals(URI.create(request.url()).getScheme());
  }

  /** Whether the page's script got a response it could read (status 0 means opaque or failed). */
  private static boolean readable(String scriptResult) {
    try {
      var r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(scriptResult);
      String o = r.path("outcome").asText();
      return o.equals("resolved") || o.equals("ok-body-error") || o.equals("load");
    } catch (IOException e) {
      return false;
    }
  }
}
