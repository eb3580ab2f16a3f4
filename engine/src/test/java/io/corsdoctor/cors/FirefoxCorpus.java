package io.corsdoctor.cors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Firefox corpus ({@code src/test/resources/corpus/firefox/corpus-firefox.json}, see its
 * PROVENANCE.md) as engine values: each scenario's request, the exchanges Firefox itself made (its
 * own bytes), and what Firefox logged.
 */
final class FirefoxCorpus {
  private FirefoxCorpus() {}

  /** One request of a scenario (the scenario itself, or one of its follow-up steps). */
  record Case(
      String id,
      String description,
      CorsRequest request,
      List<Exchange> exchanges,
      Outcome outcome,
      List<String> reasons,
      List<String> messages) {}

  static List<Case> load() {
    JsonNode root;
    try (InputStream in =
        FirefoxCorpus.class.getResourceAsStream("/corpus/firefox/corpus-firefox.json")) {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> listening = new HashSet<>();
    JsonNode config = root.path("meta").path("config");
    for (String group : List.of("originListeners", "targetListeners")) {
      for (JsonNode l : config.path(group)) {
        listening.add(l.path("label").asText());
      }
    }
    Set<Integer> pagePorts = new HashSet<>();
    for (JsonNode l : config.path("originListeners")) {
      pagePorts.add(l.path("port").asInt());
    }
    List<Case> cases = new ArrayList<>();
    for (JsonNode s : root.path("scenarios")) {
      String id = s.path("id").asText();
      cases.add(toCase(id, s.path("description").asText(), s, listening, pagePorts));
      int step = 1;
      for (JsonNode f : s.path("followUpSteps")) {
        cases.add(toCase(id + " step " + (++step), "follow-up request", f, listening, pagePorts));
      }
    }
    return cases;
  }

  private static Case toCase(
      String id, String description, JsonNode s, Set<String> listening, Set<Integer> pagePorts) {
    CorsRequest request = request(s.path("request"));
    List<Exchange> exchanges = new ArrayList<>();
    for (JsonNode e : s.path("exchanges")) {
      exchanges.add(exchange(e));
    }
    if (exchanges.isEmpty() && refused(request, listening)) {
      // Nothing listened: the connection was refused before any bytes were exchanged.
      OutgoingRequest.Kind kind =
          crossOrigin(request) && FirefoxModel.preflightNeeded(request)
              ? OutgoingRequest.Kind.PREFLIGHT
              : OutgoingRequest.Kind.ACTUAL;
      String method = kind == OutgoingRequest.Kind.PREFLIGHT ? "OPTIONS" : request.method();
      exchanges.add(
          new Exchange(
              new OutgoingRequest(kind, method, request.url(), List.of()),
              new NetworkFailure(NetError.CONNECTION_REFUSED, "connection refused")));
    }
    pageOriginFollowUp(request, exchanges, pagePorts);
    JsonNode o = s.path("observed");
    List<String> reasons = new ArrayList<>();
    o.path("reasonCodes").forEach(r -> reasons.add(r.asText()));
    List<String> messages = new ArrayList<>();
    for (JsonNode m : o.path("consoleMessages")) {
      String level = m.path("level").asText();
      if (level.equals("error")) {
        messages.add(m.path("text").asText());
      }
    }
    return new Case(
        id,
        description,
        request,
        List.copyOf(exchanges),
        outcome(o.path("outcome").asText()),
        reasons,
        messages);
  }

  /**
   * A redirect to the page's own origin: that server (the page origin, which sends no CORS headers)
   * is not among the recorded listeners, so its answer is filled in here as it serves every path:
   * 200 with an HTML body and no Access-Control-* header.
   */
  private static void pageOriginFollowUp(
      CorsRequest request, List<Exchange> exchanges, Set<Integer> pagePorts) {
    if (exchanges.isEmpty() || request.redirect() != RedirectMode.FOLLOW) {
      return;
    }
    Exchange last = exchanges.get(exchanges.size() - 1);
    if (!(last.reply() instanceof HttpReply r) || r.status() < 300 || r.status() > 399) {
      return;
    }
    String location = r.combined("Location").orElse(null);
    if (location == null) {
      return;
    }
    URI target = URI.create(last.request().url()).resolve(location);
    if (!"http".equals(target.getScheme())
        || !pagePorts.contains(target.getPort())
        || target.getUserInfo() != null) {
      return;
    }
    exchanges.add(
        new Exchange(
            new OutgoingRequest(
                OutgoingRequest.Kind.ACTUAL, last.request().method(), target.toString(), List.of()),
            ResponseHead.parse(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\nok")));
  }

  private static boolean refused(CorsRequest request, Set<String> listening) {
    if (request.mode() == RequestMode.SAME_ORIGIN) {
      return false;
    }
    URI u = URI.create(request.url());
    if (!"http".equals(u.getScheme())) {
      return false;
    }
    String host = u.getHost();
    int port = u.getPort();
    List<String> labels =
        host.equals("localhost")
            ? List.of("127.0.0.1:" + port, "[::1]:" + port)
            : List.of(host + ":" + port);
    return labels.stream().noneMatch(listening::contains);
  }

  private static boolean crossOrigin(CorsRequest request) {
    URI u = URI.create(request.url());
    int port = u.getPort() == -1 ? Origin.defaultPort(u.getScheme()) : u.getPort();
    return !request.origin().sameOrigin(Origin.of(u.getScheme(), u.getHost(), port));
  }

  private static Exchange exchange(JsonNode e) {
    String[] requestLine = e.path("requestLine").asText().split(" ");
    List<Header> headers = new ArrayList<>();
    String host = null;
    boolean hasRequestMethod = false;
    for (JsonNode line : e.path("headerLines")) {
      String text = line.asText();
      int colon = text.indexOf(':');
      Header h = new Header(text.substring(0, colon), text.substring(colon + 1).strip());
      if (h.is("Host")) {
        host = h.value();
        continue;
      }
      hasRequestMethod |= h.is("Access-Control-Request-Method");
      headers.add(h);
    }
    OutgoingRequest.Kind kind =
        requestLine[0].equals("OPTIONS") && hasRequestMethod
            ? OutgoingRequest.Kind.PREFLIGHT
            : OutgoingRequest.Kind.ACTUAL;
    String url = "http://" + host + requestLine[1];
    JsonNode response = e.path("response");
    Reply reply =
        response.has("raw")
            ? ResponseHead.parse(response.path("raw").asText())
            : action(response.path("action").asText());
    return new Exchange(new OutgoingRequest(kind, requestLine[0], url, headers), reply);
  }

  static CorsRequest request(JsonNode r) {
    CorsRequest.Builder b =
        CorsRequest.builder(
            Origin.parse(r.path("origin").asText()).orElseThrow(), r.path("url").asText());
    b.method(r.path("method").asText("GET"));
    List<Header> headers = new ArrayList<>();
    for (JsonNode h : r.path("headers")) {
      headers.add(new Header(h.get(0).asText(), h.get(1).asText()));
    }
    JsonNode body = r.path("body");
    BodyKind kind = BodyKind.NONE;
    if (body.isTextual()) {
      kind = BodyKind.TEXT;
    } else if (body.isObject()) {
      switch (body.path("kind").asText()) {
        case "json":
          kind = BodyKind.TEXT; // JSON.stringify(...) is a string
          break;
        case "urlsearch":
          kind = BodyKind.URL_SEARCH_PARAMS;
          break;
        case "formdata":
          kind = BodyKind.FORM_DATA;
          break;
        case "blob":
          if (body.hasNonNull("type") && !body.path("type").asText().isEmpty()) {
            kind = BodyKind.BLOB_TYPED;
            if (headers.stream().noneMatch(h -> h.is("Content-Type"))) {
              headers.add(new Header("Content-Type", body.path("type").asText()));
            }
          } else {
            kind = BodyKind.BLOB_UNTYPED;
          }
          break;
        default:
          kind = BodyKind.BYTES;
      }
    }
    b.headers(headers).body(kind);
    String api = r.path("api").asText("fetch");
    b.api(api.equals("xhr") ? Api.XHR : api.equals("xhr-sync") ? Api.XHR_SYNC : Api.FETCH);
    if (r.has("credentials")) {
      b.credentials(CredentialsMode.fromToken(r.path("credentials").asText()));
    } else if (!api.equals("fetch")) {
      b.credentials(
          r.path("withCredentials").asBoolean(false)
              ? CredentialsMode.INCLUDE
              : CredentialsMode.SAME_ORIGIN);
    }
    if (r.has("mode")) {
      b.mode(RequestMode.fromToken(r.path("mode").asText()));
    }
    if (r.has("redirect")) {
      b.redirect(RedirectMode.fromToken(r.path("redirect").asText()));
    }
    return b.build();
  }

  /**
   * The corpus's outcome words in cors-doctor's terms. A script error before or instead of a CORS
   * check (mode same-origin to another origin, no-cors with a non-simple method or a redirect mode
   * other than follow) is the browser refusing the request: blocked.
   */
  static Outcome outcome(String observed) {
    switch (observed.toLowerCase(Locale.ROOT)) {
      case "ok":
        return Outcome.PASS;
      case "cors-error":
      case "js-error":
        return Outcome.BLOCKED;
      case "network-error":
      case "timeout":
        return Outcome.NETWORK_ERROR;
      default:
        throw new IllegalArgumentException("unknown observed outcome " + observed);
    }
  }

  /** The reply for a recorded server action instead of bytes. */
  private static Reply action(String action) {
    switch (action) {
      case "close":
        return new NetworkFailure(NetError.EMPTY_RESPONSE, "connection closed without a reply");
      case "reset":
        return new NetworkFailure(NetError.CONNECTION_RESET, "connection reset");
      case "hang":
        return new NetworkFailure(NetError.TIMED_OUT, "no reply");
      default:
        throw new IllegalArgumentException("unknown server action " + action);
    }
  }
}
