package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every scenario of the Chromium 156 corpus (src/test/resources/corpus, see PROVENANCE.md)
 * through the engine: the engine's requests must be the ones Chromium sent (preflight or not,
 * method, URL, CORS headers), and fed the recorded response bytes it must reach Chromium's outcome,
 * corsError, failedParameter, console message, net error and preflight decision. Follow-up steps
 * run in the same browser state, the clock moved by their {@code sleepBeforeMs}.
 */
class CorpusReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode CORPUS = load();

  /** CORS-relevant request headers whose relative order and values must match Chromium's. */
  private static final List<String> COMPARED_HEADERS =
      List.of(
          "accept",
          "access-control-request-method",
          "access-control-request-headers",
          "origin",
          "sec-fetch-site",
          "sec-fetch-mode",
          "sec-fetch-dest",
          "referer",
          "content-type");

  private static JsonNode load() {
    try (InputStream in = CorpusReplayTest.class.getResourceAsStream("/corpus/corpus.json")) {
      return JSON.readTree(Objects.requireNonNull(in, "corpus/corpus.json on the test classpath"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theCorpusIsComplete() {
    assertThat(CORPUS.get("scenarios")).hasSize(157);
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioMatchesChromium() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode scenario : CORPUS.get("scenarios")) {
      tests.add(
          DynamicTest.dynamicTest(
              scenario.get("id").asText(),
              () -> assertThat(replay(scenario)).as(scenario.get("id").asText()).isEmpty()));
    }
    return tests.stream();
  }

  /** Replays one scenario; returns the differences from Chromium (empty when none). */
  static List<String> replay(JsonNode scenario) {
    List<String> diffs = new ArrayList<>();
    BrowserState state = BrowserState.fresh();
    List<JsonNode> steps = new ArrayList<>();
    steps.add(scenario);
    scenario.path("followUpSteps").forEach(steps::add);
    int n = 0;
    for (JsonNode step : steps) {
      String label = n == 0 ? "" : "followUp " + n + ": ";
      state = state.at(state.nowMillis() + step.path("sleepBeforeMs").asLong(0));
      CorsRequest request = request(scenario, step.get("request"));
      Network network = new Network(step.get("exchanges"), label, diffs);
      Verdict verdict = CorsEngine.evaluate(request, state, network::reply);
      if (network.next < network.exchanges.size()) {
        diffs.add(
            label
                + "Chromium also sent "
                + network.exchanges.get(network.next).get("requestLine").asText()
                + " but the engine stopped");
      }
      compare(label, step.get("observed"), verdict, diffs);
      state = verdict.stateAfter();
      n++;
    }
    return diffs;
  }

  private static void compare(String label, JsonNode obs, Verdict v, List<String> diffs) {
    String outcome = obs.get("outcome").asText();
    String expectedOutcome =
        switch (outcome) {
          case "ok" -> "PASS";
          case "cors-error", "js-error" -> "BLOCKED";
          case "network-error" -> "NETWORK_ERROR";
          default -> outcome;
        };
    check(label + "outcome", expectedOutcome, v.outcome().name(), diffs);
    if (outcome.equals("js-error")) {
      check(label + "stage", "REQUEST", v.stage().name(), diffs);
      check(
          label + "issueCorsError",
          text(obs, "issueCorsError"),
          v.chrome().issueCorsError() == null ? null : v.chrome().issueCorsError().name(),
          diffs);
      String js = obs.path("jsOutcome").path("error").asText(null);
      if (js != null && js.startsWith("TypeError")) {
        check(label + "script error", js, v.chrome().scriptError(), diffs);
      }
    }
    check(
        label + "corsError",
        text(obs, "corsError"),
        v.chrome().corsError() == null ? null : v.chrome().corsError().name(),
        diffs);
    check(
        label + "failedParameter",
        text(obs, "failedParameter"),
        v.chrome().failedParameter(),
        diffs);
    check(label + "consoleMessage", text(obs, "consoleMessage"), v.chrome().message(), diffs);
    check(
        label + "netError",
        text(obs, "netErrorText"),
        v.chrome().netError() == null ? null : v.chrome().netError().chromiumName(),
        diffs);
    check(
        label + "preflightSent",
        String.valueOf(obs.get("preflightSent").asBoolean()),
        String.valueOf(v.preflightSent()),
        diffs);
    long preflights =
        v.exchanges().stream()
            .filter(e -> e.request().kind() == OutgoingRequest.Kind.PREFLIGHT)
            .filter(
                e ->
                    e.reply() instanceof HttpReply
                        || CorsEngine.reachedServer((NetworkFailure) e.reply()))
            .count();
    check(
        label + "preflightCount",
        obs.get("preflightCount").asText(),
        Long.toString(preflights),
        diffs);
    // The network console entry Chromium logged (if any) must be the one the engine predicts.
    String networkLine = null;
    for (JsonNode m : obs.path("consoleMessages")) {
      if (m.path("source").asText().equals("network")) {
        networkLine = m.get("text").asText();
        break;
      }
    }
    check(label + "network console line", networkLine, v.chrome().networkLine(), diffs);
    // The problems agree with Chromium: when it fails the request, the first problem blocks; when
    // it passes, none does.
    boolean firstBlocks = !v.problems().isEmpty() && v.problems().get(0).rule().blocking();
    boolean anyBlocks = v.problems().stream().anyMatch(p -> p.rule().blocking());
    if (outcome.equals("ok") ? anyBlocks : !firstBlocks) {
      diffs.add(label + "problems do not match the outcome " + outcome + ": " + v.problems());
    }
  }

  private static String text(JsonNode obs, String field) {
    JsonNode n = obs.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static void check(String what, String expected, String actual, List<String> diffs) {
    if (!Objects.equals(expected, actual)) {
      diffs.add(what + ": Chromium " + quote(expected) + " but engine " + quote(actual));
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  /** Serves the recorded replies, in order, and checks each request against Chromium's. */
  static final class Network {
    final List<JsonNode> exchanges = new ArrayList<>();
    final String label;
    final List<String> diffs;
    int next;

    Network(JsonNode recorded, String label, List<String> diffs) {
      recorded.forEach(exchanges::add);
      this.label = label;
      this.diffs = diffs;
    }

    Reply reply(OutgoingRequest req) {
      Url url = Url.parse(req.url()).orElseThrow();
      List<String> candidates = new ArrayList<>();
      int port = url.effectivePort();
      if (url.host().equals("localhost")) {
        // Chromium tries ::1 first, then 127.0.0.1.
        candidates.add("[::1]:" + port);
        candidates.add("127.0.0.1:" + port);
      } else {
        candidates.add(url.host() + ":" + port);
      }
      String requestLine = req.method() + " " + url.path() + " HTTP/1.1";
      if (next < exchanges.size()) {
        JsonNode e = exchanges.get(next);
        if (candidates.contains(e.get("listener").asText())
            && e.get("requestLine").asText().equals(requestLine)) {
          next++;
          compareHeaders(req, e);
          return response(e.get("response"));
        }
      }
      Set<String> listeners = listeners("targetListeners");
      Set<String> pages = listeners("originListeners");
      for (String c : candidates) {
        if (pages.contains(c)) {
          // The page's own server (the harness's page origin) serves its path without any CORS
          // header; Chromium's exchange with it was not recorded (J13). Its status is 200: Firefox
          // logged "Status code: 200" for the same redirect (Firefox corpus, J13).
          return ResponseHead.parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }
      }
      if (candidates.stream().noneMatch(listeners::contains)) {
        return new NetworkFailure(NetError.CONNECTION_REFUSED, "nothing listens on " + candidates);
      }
      diffs.add(
          label
              + "engine sent "
              + req.kind()
              + " "
              + requestLine
              + " to "
              + candidates
              + " but Chromium sent "
              + (next < exchanges.size()
                  ? exchanges.get(next).get("requestLine").asText()
                      + " to "
                      + exchanges.get(next).get("listener").asText()
                  : "nothing more"));
      return new NetworkFailure(NetError.FAILED, "not recorded");
    }

    private void compareHeaders(OutgoingRequest req, JsonNode e) {
      List<String[]> chromium = new ArrayList<>();
      for (JsonNode line : e.get("headerLines")) {
        String l = line.asText();
        int colon = l.indexOf(':');
        chromium.add(new String[] {l.substring(0, colon).strip(), l.substring(colon + 1).strip()});
      }
      List<String> theirs = new ArrayList<>();
      Map<String, String> theirValues = new HashMap<>();
      for (String[] h : chromium) {
        String name = h[0].toLowerCase(Locale.ROOT);
        if (COMPARED_HEADERS.contains(name)) {
          theirs.add(name);
          theirValues.put(name, normalize(name, h[1]));
        }
      }
      List<String> ours = new ArrayList<>();
      Map<String, String> ourValues = new HashMap<>();
      for (Header h : req.headers()) {
        String name = h.lowerName();
        if (COMPARED_HEADERS.contains(name)) {
          ours.add(name);
          ourValues.put(name, normalize(name, h.value()));
        }
      }
      String what = label + req.kind() + " " + req.method() + " " + req.url() + " headers";
      check(what, String.join(", ", theirs), String.join(", ", ours), diffs);
      for (String name : new HashSet<>(theirs)) {
        check(what + " " + name, theirValues.get(name), ourValues.get(name), diffs);
      }
    }

    private static String normalize(String name, String value) {
      if (name.equals("content-type") && value.startsWith("multipart/form-data")) {
        return "multipart/form-data; boundary=*";
      }
      return value;
    }

    private static Reply response(JsonNode r) {
      if (r.has("raw")) {
        return ResponseHead.parse(r.get("raw").asText());
      }
      return switch (r.path("action").asText()) {
        // The server closed the connection without a byte: Chromium reads an empty response.
        case "close" -> ResponseHead.parse("");
        case "reset" -> new NetworkFailure(NetError.CONNECTION_RESET, "reset by peer");
        case "hang" -> new NetworkFailure(NetError.TIMED_OUT, "no answer");
        default -> throw new IllegalArgumentException("unknown response " + r);
      };
    }
  }

  private static Set<String> listeners(String kind) {
    Set<String> out = new HashSet<>();
    CORPUS.get("meta").get("config").get(kind).forEach(l -> out.add(l.get("label").asText()));
    return out;
  }

  /** The corpus request as a {@link CorsRequest}, with the scenario's browser flags. */
  static CorsRequest request(JsonNode scenario, JsonNode r) {
    String api = r.get("api").asText();
    Origin origin = Origin.parse(r.get("origin").asText()).orElseThrow();
    CorsRequest.Builder b =
        CorsRequest.builder(origin, r.get("url").asText())
            .method(r.get("method").asText())
            .api(
                switch (api) {
                  case "fetch" -> Api.FETCH;
                  case "xhr" -> Api.XHR;
                  case "xhr-sync" -> Api.XHR_SYNC;
                  default -> throw new IllegalArgumentException(api);
                });
    for (JsonNode h : r.path("headers")) {
      b.header(h.get(0).asText(), h.get(1).asText());
    }
    JsonNode body = r.get("body");
    if (body == null || body.isNull()) {
      b.body(BodyKind.NONE);
    } else if (body.isTextual()) {
      b.body(BodyKind.TEXT);
    } else {
      switch (body.get("kind").asText()) {
        case "json" -> b.body(BodyKind.TEXT); // JSON.stringify(...): a string body
        case "urlsearch" -> b.body(BodyKind.URL_SEARCH_PARAMS);
        case "formdata" -> b.body(BodyKind.FORM_DATA);
        case "blob" -> {
          if (body.hasNonNull("type") && !body.get("type").asText().isEmpty()) {
            b.body(BodyKind.BLOB_TYPED).header("Content-Type", body.get("type").asText());
          } else {
            b.body(BodyKind.BLOB_UNTYPED);
          }
        }
        default -> throw new IllegalArgumentException("body " + body);
      }
    }
    if (api.startsWith("xhr")) {
      b.credentials(
          r.path("withCredentials").asBoolean(false)
              ? CredentialsMode.INCLUDE
              : CredentialsMode.SAME_ORIGIN);
    } else if (r.hasNonNull("credentials")) {
      b.credentials(CredentialsMode.fromToken(r.get("credentials").asText()));
    }
    if (r.hasNonNull("mode")) {
      b.mode(RequestMode.fromToken(r.get("mode").asText()));
    }
    if (r.hasNonNull("redirect")) {
      b.redirect(RedirectMode.fromToken(r.get("redirect").asText()));
    }
    if (r.hasNonNull("targetAddressSpace")) {
      b.targetAddressSpace(AddressSpace.fromWord(r.get("targetAddressSpace").asText()));
    }
    // Browser flags: --ip-address-space-overrides=ip:port=space,... and --host-resolver-rules=MAP
    // name ip.
    Map<String, String> hostMap = new HashMap<>();
    Map<String, AddressSpace> overrides = new HashMap<>();
    for (JsonNode arg : scenario.path("browserExtraArgs")) {
      String a = arg.asText();
      if (a.startsWith("--ip-address-space-overrides=")) {
        for (String item : a.substring(a.indexOf('=') + 1).split(",")) {
          int eq = item.lastIndexOf('=');
          overrides.put(item.substring(0, eq), AddressSpace.fromWord(item.substring(eq + 1)));
        }
      } else if (a.startsWith("--host-resolver-rules=")) {
        String[] parts = a.substring(a.indexOf('=') + 1).split(" ");
        if (parts.length == 3 && parts[0].equals("MAP")) {
          hostMap.put(parts[1], parts[2]);
        }
      }
    }
    overrides.forEach(b::addressSpaceOverride);
    String pageHost = hostMap.getOrDefault(origin.host(), origin.host());
    AddressSpace page = overrides.get(pageHost + ":" + origin.port());
    if (page != null) {
      b.clientAddressSpace(page);
    }
    if (scenario.has("permissions")) {
      b.localNetworkAccessGranted(scenario.get("permissions").path("permissions").size() > 0);
    }
    return b.build();
  }
}
