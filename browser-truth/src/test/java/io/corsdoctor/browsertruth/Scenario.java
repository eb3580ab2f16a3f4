package io.corsdoctor.browsertruth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One scenario, as written in {@code src/test/resources/scenarios/**.json}: the request a page
 * makes, the exact bytes the servers answer with, and optional follow-up requests in the same
 * context. Ports are written as placeholders ({@code ${api}}, see {@link Topology}); the harness
 * allocates free loopback ports per run and substitutes them.
 *
 * @param source where the scenario came from ("corpus" or "generated:<family>" or "hand")
 * @param recorded what Chromium 156 did when the shared corpus was recorded (corpus scenarios
 *     only): a check that the harness reproduces the recording
 */
public record Scenario(
    String id,
    String group,
    String description,
    String source,
    RequestSpec request,
    ServerSpec server,
    List<FollowUp> followUps,
    List<String> browserArgs,
    List<CookieSpec> cookies,
    PermissionSpec permissions,
    boolean har,
    List<Recorded> recorded) {

  public Scenario {
    followUps = followUps == null ? List.of() : List.copyOf(followUps);
    browserArgs = browserArgs == null ? List.of() : List.copyOf(browserArgs);
    cookies = cookies == null ? List.of() : List.copyOf(cookies);
    recorded = recorded == null ? List.of() : List.copyOf(recorded);
  }

  /** Every request of the scenario in order: the first, then the follow-ups. */
  public List<RequestSpec> requests() {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of(request), followUps.stream().map(FollowUp::request))
        .toList();
  }

  /**
   * The request as the page's script makes it.
   *
   * @param api fetch, xhr (async) or xhr-sync
   * @param headers the script's headers, in order, as [name, value] pairs
   * @param body a string, or {kind: json|urlsearch|formdata|blob|bytes, ...}
   */
  public record RequestSpec(
      String origin,
      String api,
      String url,
      String method,
      List<List<String>> headers,
      JsonNode body,
      String credentials,
      String mode,
      String redirect,
      Boolean withCredentials,
      String targetAddressSpace) {
    public RequestSpec {
      headers = headers == null ? List.of() : List.copyOf(headers);
      method = method == null ? "GET" : method;
      api = api == null ? "fetch" : api;
    }
  }

  /** The servers' behaviour: the first matching rule answers. */
  public record ServerSpec(List<Rule> rules) {
    public ServerSpec {
      rules = List.copyOf(rules);
    }
  }

  /**
   * A server rule. {@code listener} (e.g. {@code [::1]:${dual}}), {@code method} and {@code path}
   * narrow it; a rule without a listener answers on every listener but the page's.
   */
  public record Rule(String listener, String method, String path, Respond respond) {}

  /**
   * What to send: a response built from parts (status line, the header lines in order, then {@code
   * Content-Length} and {@code Connection: close}, then the body), or exact {@code raw} bytes
   * (ISO-8859-1), or an {@code action}: close (read the request, close without a byte), reset
   * (RST), hang (say nothing until the scenario ends). {@code delayMs} waits before answering.
   */
  public record Respond(
      Integer status,
      String reason,
      String proto,
      List<List<String>> headers,
      String body,
      String raw,
      String action,
      Long delayMs) {}

  /** A further request in the same context, e.g. within a preflight's max-age. */
  public record FollowUp(long sleepBeforeMs, RequestSpec request) {}

  /** A cookie set before the page loads. */
  public record CookieSpec(String name, String value, String url) {}

  /** Permissions granted to an origin before the page loads. */
  public record PermissionSpec(String origin, List<String> permissions) {}

  /** What Chromium 156 did when the shared corpus recorded this request. */
  public record Recorded(
      String outcome,
      String corsError,
      String failedParameter,
      String consoleMessage,
      boolean preflightSent,
      String netErrorText) {}
}
