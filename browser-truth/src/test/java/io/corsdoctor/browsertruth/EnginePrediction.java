package io.corsdoctor.browsertruth;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.browsertruth.Scenario.RequestSpec;
import io.corsdoctor.cors.AddressSpace;
import io.corsdoctor.cors.Api;
import io.corsdoctor.cors.BodyKind;
import io.corsdoctor.cors.BrowserState;
import io.corsdoctor.cors.CorsEngine;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.RedirectMode;
import io.corsdoctor.cors.Reply;
import io.corsdoctor.cors.RequestMode;
import io.corsdoctor.cors.ResponseHead;
import io.corsdoctor.cors.Verdict;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Asks the engine what the browser does with each request of a run, feeding it the bytes the
 * scenario servers actually sent, and lists where the engine and the browser disagree.
 */
final class EnginePrediction {
  private EnginePrediction() {}

  /** One request: the engine's verdict and its differences from the browser. */
  record Prediction(Verdict verdict, List<String> differences) {}

  static List<Prediction> predict(ScenarioRunner.Run run) {
    List<Prediction> out = new ArrayList<>();
    BrowserState state = BrowserState.fresh();
    long previousStart = -1;
    for (ScenarioRunner.StepRun step : run.steps()) {
      long started = step.observation().startedAtMillis();
      if (previousStart >= 0) {
        state = state.at(state.nowMillis() + (started - previousStart));
      }
      previousStart = started;
      CorsRequest request = request(run.scenario(), step.request());
      Network network = new Network(run, step.received());
      Verdict verdict = CorsEngine.evaluate(request, state, network::reply);
      out.add(new Prediction(verdict, differences(step.facts(), verdict)));
      state = verdict.stateAfter();
    }
    return out;
  }

  static List<String> differences(BrowserFacts browser, Verdict v) {
    List<String> diffs = new ArrayList<>();
    compare(diffs, "verdict", browser.verdict(), v.outcome().token());
    compare(diffs, "corsError", browser.corsError(), name(v.chrome().corsError()));
    compare(diffs, "failedParameter", browser.failedParameter(), v.chrome().failedParameter());
    compare(diffs, "consoleMessage", browser.consoleMessage(), v.chrome().message());
    compare(diffs, "preflightSent", browser.preflightSent(), v.preflightSent());
    compare(
        diffs,
        "netError",
        browser.netError(),
        v.chrome().netError() == null ? null : v.chrome().netError().chromiumName());
    if (browser.outcome().equals("js-error")) {
      compare(diffs, "issueCorsError", browser.issueCorsError(), name(v.chrome().issueCorsError()));
    }
    return diffs;
  }

  private static String name(Enum<?> e) {
    return e == null ? null : e.name();
  }

  private static void compare(List<String> diffs, String what, Object browser, Object engine) {
    if (!Objects.equals(browser, engine)) {
      diffs.add(
          what
              + ": Chromium "
              + RecordingCheck.show(browser)
              + ", engine "
              + RecordingCheck.show(engine));
    }
  }

  /**
   * Answers the engine's requests with what the servers sent for the same request in this run; a
   * request the browser did not make gets what the server's rules would have sent.
   */
  /**
   * What the engine is handed for a scenario server's answer: its bytes read as Chromium reads
   * them, or the failure its action causes.
   */
  static Reply toReply(ScenarioServer.Answer answer) {
    if (answer instanceof ScenarioServer.Bytes bytes) {
      return ResponseHead.parse(bytes.bytes());
    }
    String action = ((ScenarioServer.Action) answer).name();
    return switch (action) {
      case "close" -> ResponseHead.parse("");
      case "reset" -> new NetworkFailure(NetError.CONNECTION_RESET, "reset by the server");
      case "hang" -> new NetworkFailure(NetError.TIMED_OUT, "the server never answered");
      default -> throw new IllegalArgumentException("unknown action " + action);
    };
  }

  private static final class Network {
    private final ScenarioRunner.Run run;
    private final List<ScenarioServer.Received> unused;
    private final Map<String, String> hostMap;

    Network(ScenarioRunner.Run run, List<ScenarioServer.Received> received) {
      this.run = run;
      this.unused = new ArrayList<>(received);
      this.hostMap = hostMap(run.scenario().browserArgs());
    }

    Reply reply(OutgoingRequest req) {
      URI uri = URI.create(req.url());
      String host = uri.getHost();
      host = hostMap.getOrDefault(host, host);
      int port = uri.getPort() < 0 ? 80 : uri.getPort();
      List<String> candidates =
          host.equals("localhost")
              ? List.of("[::1]:" + port, "127.0.0.1:" + port)
              : List.of(
                  (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                      + ":"
                      + port);
      String target =
          (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
              + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      for (ScenarioServer.Received r : unused) {
        if (candidates.contains(r.listener())
            && r.method().equals(req.method())
            && r.target().equals(target)) {
          unused.remove(r);
          return EnginePrediction.toReply(r.answer());
        }
      }
      for (String label : candidates) {
        for (Topology.Bound b : run.topology().bound()) {
          if (b.label().equals(label)) {
            return EnginePrediction.toReply(
                run.server().answerFor(label, b.name(), req.method(), target.split("\\?", 2)[0]));
          }
        }
      }
      return new NetworkFailure(NetError.CONNECTION_REFUSED, "nothing listens on " + candidates);
    }
  }

  /** {@code --host-resolver-rules=MAP name ip} flags as name to address. */
  private static Map<String, String> hostMap(List<String> args) {
    Map<String, String> map = new HashMap<>();
    for (String a : args) {
      if (a.startsWith("--host-resolver-rules=")) {
        String[] parts = a.substring(a.indexOf('=') + 1).split(" ");
        if (parts.length == 3 && parts[0].equals("MAP")) {
          map.put(parts[1], parts[2]);
        }
      }
    }
    return map;
  }

  /** The scenario's request as the engine takes it, with the browser flags that matter. */
  static CorsRequest request(Scenario scenario, RequestSpec r) {
    Origin origin =
        Origin.parse(r.origin())
            .orElseThrow(() -> new IllegalArgumentException("not an origin: " + r.origin()));
    CorsRequest.Builder b =
        CorsRequest.builder(origin, r.url())
            .method(r.method())
            .api(
                switch (r.api()) {
                  case "fetch" -> Api.FETCH;
                  case "xhr" -> Api.XHR;
                  case "xhr-sync" -> Api.XHR_SYNC;
                  default -> throw new IllegalArgumentException("unknown api " + r.api());
                });
    r.headers().forEach(h -> b.header(h.get(0), h.get(1)));
    JsonNode body = r.body();
    if (body == null || body.isNull()) {
      b.body(BodyKind.NONE);
    } else if (body.isTextual()) {
      b.body(BodyKind.TEXT);
    } else {
      switch (body.path("kind").asText()) {
        case "json" -> b.body(BodyKind.TEXT); // JSON.stringify(...) is a string
        case "urlsearch" -> b.body(BodyKind.URL_SEARCH_PARAMS);
        case "formdata" -> b.body(BodyKind.FORM_DATA);
        case "bytes" -> b.body(BodyKind.BYTES);
        case "blob" -> {
          String type = body.path("type").asText("");
          if (type.isEmpty()) {
            b.body(BodyKind.BLOB_UNTYPED);
          } else {
            b.body(BodyKind.BLOB_TYPED).header("Content-Type", type);
          }
        }
        default -> throw new IllegalArgumentException("unknown body " + body);
      }
    }
    if (r.api().startsWith("xhr")) {
      b.credentials(
          Boolean.TRUE.equals(r.withCredentials()) || "include".equals(r.credentials())
              ? CredentialsMode.INCLUDE
              : CredentialsMode.SAME_ORIGIN);
    } else if (r.credentials() != null) {
      b.credentials(CredentialsMode.fromToken(r.credentials()));
    }
    if (r.mode() != null) {
      b.mode(RequestMode.fromToken(r.mode()));
    }
    if (r.redirect() != null) {
      b.redirect(RedirectMode.fromToken(r.redirect()));
    }
    if (r.targetAddressSpace() != null) {
      b.targetAddressSpace(AddressSpace.fromWord(r.targetAddressSpace()));
    }
    Map<String, AddressSpace> overrides = new HashMap<>();
    for (String a : scenario.browserArgs()) {
      if (a.startsWith("--ip-address-space-overrides=")) {
        for (String item : a.substring(a.indexOf('=') + 1).split(",")) {
          int eq = item.lastIndexOf('=');
          overrides.put(item.substring(0, eq), AddressSpace.fromWord(item.substring(eq + 1)));
        }
      }
    }
    overrides.forEach(b::addressSpaceOverride);
    String pageHost = hostMap(scenario.browserArgs()).getOrDefault(origin.host(), origin.host());
    AddressSpace page = overrides.get(pageHost + ":" + origin.port());
    if (page != null) {
      b.clientAddressSpace(page);
    }
    if (scenario.permissions() != null) {
      b.localNetworkAccessGranted(!scenario.permissions().permissions().isEmpty());
    }
    return b.build();
  }
}
