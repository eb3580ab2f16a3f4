package io.corsdoctor.check;

import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.Problem;
import io.corsdoctor.cors.Stage;
import io.corsdoctor.net.Addresses;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.ProcessInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Turns what the probes saw into findings: who answers first, then the CORS protocol. */
final class Diagnosis {
  private static final Pattern AIRPLAY_PROCESS =
      Pattern.compile("^(ControlCe|AirPlay)", Pattern.CASE_INSENSITIVE);

  private final CheckRequest request;
  private final String host;
  private final int port;
  private final List<AddressCheck> checks;
  private final AddressCheck chrome;
  private final AddressCheck firefox;
  private final List<Listener> listeners;
  private final String ownersNote;
  private final List<Finding> out = new ArrayList<>();
  private final Set<String> seen = new LinkedHashSet<>();
  private boolean wrongProcessAtChrome;

  private Diagnosis(
      CheckRequest request,
      String host,
      int port,
      List<AddressCheck> checks,
      AddressCheck chrome,
      AddressCheck firefox,
      List<Listener> listeners,
      String ownersNote) {
    this.request = request;
    this.host = host;
    this.port = port;
    this.checks = checks;
    this.chrome = chrome;
    this.firefox = firefox;
    this.listeners = listeners;
    this.ownersNote = ownersNote;
  }

  static List<Finding> diagnose(
      CheckRequest request,
      String host,
      int port,
      List<AddressCheck> checks,
      AddressCheck chrome,
      AddressCheck firefox,
      List<Listener> listeners,
      String ownersNote) {
    Diagnosis d =
        new Diagnosis(request, host, port, checks, chrome, firefox, listeners, ownersNote);
    d.run();
    List<Finding> sorted = new ArrayList<>(d.out);
    sorted.sort(java.util.Comparator.comparing(Finding::severity).thenComparing(Finding::code));
    return List.copyOf(sorted);
  }

  private void run() {
    page();
    if (checks.stream().noneMatch(AddressCheck::connected)) {
      NetworkFailure f =
          chrome.probes().isEmpty() ? null : chrome.probes().get(0).result().failure();
      boolean allRefused =
          checks.stream().allMatch(c -> failureOf(c) == NetError.CONNECTION_REFUSED);
      if (allRefused) {
        add(
            FindingCode.NOTHING_LISTENING,
            null,
            base()
                .with("addresses", addressList(checks))
                .with("netError", f == null ? "a network error" : f.error().chromiumName())
                .with("probeLines", Evidence.probeLines(checks)));
      }
      unreachableAddresses();
      return;
    }
    whoAnswers();
    unreachableAddresses();
    for (AddressCheck c : checks) {
      for (AnsweredProbe p : c.probes()) {
        belowHttp(p);
      }
    }
    cors(chrome);
    if (firefox != chrome) {
      cors(firefox);
    }
    for (AddressCheck c : checks) {
      c.probes().stream().filter(AnsweredProbe::extra).forEach(this::sentAnyway);
    }
    browsers();
    owners();
  }

  // ---- who answers ---------------------------------------------------------------------------

  private void whoAnswers() {
    List<AddressCheck> connected = checks.stream().filter(AddressCheck::connected).toList();
    Set<String> answerers = new LinkedHashSet<>();
    Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
    for (AddressCheck c : connected) {
      if (c.answererKey() != null) {
        answerers.add(c.answererKey());
      }
      outcomes.add(c.verdict().outcome());
    }
    if (connected.size() > 1 && (answerers.size() > 1 || outcomes.size() > 1)) {
      AddressCheck good =
          connected.stream()
              .filter(c -> c.verdict().outcome() == Outcome.PASS)
              .findFirst()
              .or(
                  () ->
                      connected.stream()
                          .filter(
                              c ->
                                  c != chrome
                                      && !java.util.Objects.equals(
                                          c.answererKey(), chrome.answererKey()))
                          .findFirst())
              .orElse(null);
      add(
          FindingCode.ADDRESSES_DISAGREE,
          null,
          base()
              .with(
                  "perAddress",
                  connected.stream().map(this::addressSummary).collect(Collectors.joining("; ")))
              .with("probeLines", Evidence.probeLines(checks))
              .with(
                  "goodUrl",
                  good == null ? "the address that reaches your API" : urlVia(good.address())));
    }
    preflightAnsweredByOther(connected);
    portShared();
    airplay();
  }

  private void preflightAnsweredByOther(List<AddressCheck> connected) {
    AnsweredProbe first = chrome.firstAnswered().orElse(null);
    if (first == null
        || first.result().request().kind() != OutgoingRequest.Kind.PREFLIGHT
        || chrome.verdict().outcome() == Outcome.PASS
        || chrome.verdict().stage() != Stage.PREFLIGHT
        || first.answererKey() == null) {
      return;
    }
    for (AddressCheck other : connected) {
      String key = other.answererKey();
      if (other != chrome && key != null && !key.equals(first.answererKey())) {
        AnsweredProbe app = other.firstAnswered().orElseThrow();
        wrongProcessAtChrome = true;
        HttpReply h = first.result().http();
        add(
            FindingCode.PREFLIGHT_ANSWERED_BY_OTHER_PROCESS,
            null,
            base()
                .with("address", chrome.text())
                .with("other", first.answererText())
                .with("app", app.answererText())
                .with("appAddress", other.text())
                .with(
                    "statusLine",
                    h != null ? h.statusLine() : first.result().failure().error().chromiumName())
                .with("serverHeader", h != null ? Evidence.serverHeader(h) : ""));
        return;
      }
    }
  }

  private void portShared() {
    Map<String, String> owners = new LinkedHashMap<>();
    for (Listener l : listeners) {
      if (l.owner() != null) {
        owners.putIfAbsent(
            ownerKey(l.owner()), l.owner().name() + " (pid " + l.owner().pid() + ")");
      }
    }
    for (AddressCheck c : checks) {
      for (AnsweredProbe p : c.probes()) {
        ProcessInfo o = p.answeredBy();
        if (o != null) {
          owners.putIfAbsent(ownerKey(o), o.name() + " (pid " + o.pid() + ")");
        }
      }
    }
    if (owners.size() < 2) {
      return;
    }
    long other = Long.parseLong(owners.keySet().iterator().next().split(":", 2)[0]);
    AnsweredProbe ch = chrome.firstAnswered().orElse(null);
    if (ch != null && ch.answeredBy() != null && chrome.verdict().outcome() != Outcome.PASS) {
      other = ch.answeredBy().pid();
    }
    String listenerLines =
        listeners.isEmpty()
            ? Evidence.probeLines(checks)
            : listeners.stream().map(Evidence::listenerLine).collect(Collectors.joining("\n"));
    add(
        FindingCode.PORT_SHARED_BY_TWO_PROCESSES,
        null,
        base()
            .with("count", String.valueOf(owners.size()))
            .with("owners", String.join(", ", owners.values()))
            .with("listenerLines", listenerLines)
            .with("otherPid", String.valueOf(other)));
  }

  private static String ownerKey(ProcessInfo p) {
    return p.pid() + ":" + p.name();
  }

  private void airplay() {
    List<String> evidence = new ArrayList<>();
    for (AddressCheck c : checks) {
      for (AnsweredProbe p : c.probes()) {
        if (p.server() != null && p.server().key().equals("airplay")) {
          evidence.add(
              c.text() + ": " + p.server().evidence() + ", answered by " + p.answererText());
        }
      }
    }
    for (Listener l : listeners) {
      if (l.owner() != null && AIRPLAY_PROCESS.matcher(l.owner().name()).find()) {
        evidence.add("listener " + Evidence.listenerLine(l));
      }
    }
    if (!evidence.isEmpty()) {
      add(
          FindingCode.KNOWN_SQUATTER_AIRPLAY_RECEIVER,
          "airplay",
          base().with("evidence", String.join("\n", new LinkedHashSet<>(evidence))));
    }
  }

  private void unreachableAddresses() {
    AddressCheck reachable =
        checks.stream().filter(AddressCheck::connected).findFirst().orElse(null);
    for (AddressCheck c : checks) {
      if (c.connected()) {
        continue;
      }
      NetError e = failureOf(c);
      Values v =
          base()
              .with("address", c.text())
              .with("probeLines", Evidence.probeLines(List.of(c)))
              .with("timeout", request == null ? "" : "the connect timeout");
      if (e == NetError.CONNECTION_TIMED_OUT) {
        add(FindingCode.ADDRESS_SILENT, null, v);
      } else if (reachable != null && e == NetError.CONNECTION_REFUSED) {
        add(
            FindingCode.ADDRESS_NOT_LISTENING,
            null,
            v.with("otherAddress", reachable.text())
                .with("otherUrlHost", Addresses.urlHost(reachable.address())));
      }
    }
  }

  private static NetError failureOf(AddressCheck c) {
    if (c.probes().isEmpty() || c.probes().get(0).result().failure() == null) {
      return null;
    }
    return c.probes().get(0).result().failure().error();
  }

  // ---- below HTTP ----------------------------------------------------------------------------

  private void belowHttp(AnsweredProbe p) {
    var r = p.result();
    if (r.tls() != null && r.tls().trustProblem() != null) {
      add(
          FindingCode.TLS_CERTIFICATE_REJECTED,
          null,
          probeValues(p)
              .with("netError", r.tls().trustProblem().split(":", 2)[0])
              .with("detail", r.tls().trustProblem()));
    }
    NetworkFailure f = r.failure();
    if (f == null || (!r.connected() && !isTls(f.error()))) {
      return;
    }
    FindingCode code =
        switch (f.error()) {
          case INVALID_HTTP_RESPONSE -> FindingCode.NON_HTTP_RESPONDER;
          case RESPONSE_HEADERS_TOO_BIG -> FindingCode.RESPONSE_HEADERS_TOO_BIG;
          case TIMED_OUT -> FindingCode.RESPONSE_TIMED_OUT;
          case EMPTY_RESPONSE, CONNECTION_RESET, CONNECTION_CLOSED ->
              FindingCode.CONNECTION_DROPPED;
          case RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH -> FindingCode.MULTIPLE_CONTENT_LENGTH;
          case CERT_AUTHORITY_INVALID, CERT_COMMON_NAME_INVALID, CERT_DATE_INVALID ->
              FindingCode.TLS_CERTIFICATE_REJECTED;
          case SSL_PROTOCOL_ERROR -> FindingCode.TLS_HANDSHAKE_FAILED;
          default -> null;
        };
    if (code != null) {
      String detail =
          f.error() == NetError.INVALID_HTTP_RESPONSE
                  || f.error().name().startsWith("RESPONSE_HEADERS_MULTIPLE")
              ? "it starts with: " + r.printableStatusLine()
              : f.detail();
      add(
          code,
          null,
          probeValues(p).with("netError", f.error().chromiumName()).with("detail", detail));
    }
  }

  private static boolean isTls(NetError e) {
    return e.chromiumName().contains("CERT") || e == NetError.SSL_PROTOCOL_ERROR;
  }

  // ---- the CORS protocol ---------------------------------------------------------------------

  /**
   * The deciding CORS problem of an address (the browser stops there), unless the answer came from
   * the wrong process: then the CORS details of that answer are beside the point.
   */
  private void cors(AddressCheck c) {
    if (!c.connected() || c.verdict().problems().isEmpty()) {
      return;
    }
    Problem problem = c.verdict().problems().get(0);
    if (c.verdict().outcome() == Outcome.PASS) {
      advice(c, problem);
      return;
    }
    AnsweredProbe p = probeFor(c, problem.stage());
    if (p == null
        || (p.server() != null && p.server().key().equals("airplay"))
        || (c == chrome && wrongProcessAtChrome)) {
      return;
    }
    corsProblem(problem, p);
  }

  private void corsProblem(Problem problem, AnsweredProbe p) {
    HttpReply h = p.result().http();
    String framework = appFramework(p);
    Values v =
        probeValues(p)
            .with("observed", problem.observed() == null ? "(none)" : problem.observed())
            .with("expected", problem.expected() == null ? "" : problem.expected())
            .with("header", problem.header() == null ? "" : problem.header())
            .with("rule", problem.rule().name())
            .with("headerLine", headerLine(h, problem.header()));
    switch (problem.rule()) {
      case ALLOW_ORIGIN_MISSING -> {
        if (h != null
            && h.status() >= 400
            && p.result().request().kind() == OutgoingRequest.Kind.ACTUAL) {
          add(FindingCode.ERROR_WITHOUT_CORS_HEADERS, framework, v);
        } else {
          add(FindingCode.ALLOW_ORIGIN_MISSING, framework, v);
        }
      }
      case ALLOW_ORIGIN_MULTIPLE -> duplicate(p, framework, v);
      case ALLOW_ORIGIN_INVALID -> add(FindingCode.ALLOW_ORIGIN_INVALID, framework, v);
      case ALLOW_ORIGIN_MISMATCH ->
          add(
              FindingCode.ALLOW_ORIGIN_MISMATCH,
              framework,
              v.with("hint", mismatchHint(problem.observed())));
      case ALLOW_ORIGIN_WILDCARD_WITH_CREDENTIALS ->
          add(FindingCode.WILDCARD_WITH_CREDENTIALS, framework, v);
      case ALLOW_CREDENTIALS_INVALID -> add(FindingCode.ALLOW_CREDENTIALS_MISSING, framework, v);
      case PREFLIGHT_STATUS_NOT_OK -> preflightStatus(p, framework, v);
      case PREFLIGHT_REDIRECT -> redirect(p, framework, v);
      case METHOD_NOT_ALLOWED ->
          add(
              FindingCode.METHOD_NOT_ALLOWED,
              framework,
              v.with("observed", value(h, "Access-Control-Allow-Methods")));
      case HEADER_NOT_ALLOWED ->
          add(
              FindingCode.HEADER_NOT_ALLOWED,
              framework,
              v.with("allowed", value(h, "Access-Control-Allow-Headers")));
      case AUTHORIZATION_NOT_COVERED_BY_WILDCARD ->
          add(FindingCode.AUTHORIZATION_NOT_COVERED_BY_WILDCARD, framework, v);
      case ALLOW_METHODS_UNPARSABLE ->
          add(
              FindingCode.ALLOW_LIST_UNPARSABLE,
              framework,
              v.with("header", "Access-Control-Allow-Methods"));
      case ALLOW_HEADERS_UNPARSABLE ->
          add(
              FindingCode.ALLOW_LIST_UNPARSABLE,
              framework,
              v.with("header", "Access-Control-Allow-Headers"));
      case REDIRECT_CONTAINS_CREDENTIALS ->
          add(FindingCode.REDIRECT_CONTAINS_CREDENTIALS, framework, v);
      case LOCAL_NETWORK_ACCESS_DENIED,
          INSECURE_LOCAL_NETWORK_ACCESS,
          TARGET_ADDRESS_SPACE_MISMATCH ->
          add(FindingCode.LOCAL_NETWORK_ACCESS, framework, v);
      case NETWORK_FAILURE -> {
        // said by the below-HTTP findings, with the bytes that were seen
      }
      default -> add(FindingCode.CORS_CHECK_FAILED, framework, v);
    }
  }

  /** When the browser lets the page read the response, only what the page will trip over. */
  private void advice(AddressCheck c, Problem problem) {
    AnsweredProbe p = probeFor(c, problem.stage());
    if (p != null && problem.rule() == io.corsdoctor.cors.Rule.ERROR_STATUS) {
      add(FindingCode.SERVER_ERROR_STATUS, appFramework(p), probeValues(p));
    }
  }

  private void preflightStatus(AnsweredProbe p, String framework, Values v) {
    HttpReply h = p.result().http();
    if (h == null || (p.server() != null && p.server().key().equals("airplay"))) {
      return;
    }
    int s = h.status();
    if (s == 401 || s == 403) {
      add(FindingCode.PREFLIGHT_REJECTED_BY_AUTH, framework, v);
    } else if (s == 404 || s == 405 || s == 501) {
      String allow = h.combined("Allow").map(a -> ", Allow: " + a).orElse("");
      add(FindingCode.OPTIONS_NOT_HANDLED, framework, v.with("allowHeader", allow));
    } else if (s / 100 == 3) {
      redirect(p, framework, v);
    } else {
      add(FindingCode.PREFLIGHT_STATUS_NOT_OK, framework, v);
    }
  }

  private void redirect(AnsweredProbe p, String framework, Values v) {
    HttpReply h = p.result().http();
    String location = h == null ? "" : h.combined("Location").orElse("(no Location)");
    String hint = "";
    String path = Evidence.path(p.result().request());
    if (location.endsWith(path + "/") || location.equals(path + "/")) {
      hint = " It only adds a trailing slash: call the URL with the slash.";
    } else if (location.startsWith("https://") && request.url().startsWith("http://")) {
      hint = " The server upgrades http to https: call the https:// URL directly.";
    }
    add(FindingCode.PREFLIGHT_REDIRECT, framework, v.with("location", location).with("hint", hint));
  }

  private void duplicate(AnsweredProbe p, String framework, Values v) {
    HttpReply h = p.result().http();
    if (h == null) {
      return;
    }
    List<String> lines =
        h.headers().stream()
            .filter(x -> x.is("Access-Control-Allow-Origin"))
            .map(Object::toString)
            .toList();
    List<String> values = h.values("Access-Control-Allow-Origin");
    String layers;
    if (lines.size() > 1) {
      layers =
          "Two layers each added one: "
              + values.stream().map(this::layerOf).collect(Collectors.joining("; "))
              + ".";
    } else {
      layers =
          "A single header line holds a list: one layer wrote several origins where one belongs.";
    }
    add(
        FindingCode.DUPLICATE_ALLOW_ORIGIN,
        framework,
        v.with("values", String.join(", ", values))
            .with("layers", layers)
            .with("headerLines", String.join("\n", lines)));
  }

  private String layerOf(String value) {
    if (value.equals("*")) {
      return "'*' (a wildcard: a hand-written header, a proxy's add_header, or a CORS library told to send '*')";
    }
    if (value.equals(request.origin().serialize())) {
      return "'"
          + value
          + "' (the page's origin echoed back: what CORS middleware such as flask-cors, Express cors or Spring sends)";
    }
    return "'" + value + "' (a fixed origin written by hand or by configuration)";
  }

  private void sentAnyway(AnsweredProbe p) {
    HttpReply h = p.result().http();
    if (h == null) {
      belowHttp(p);
      return;
    }
    String framework = appFramework(p);
    Values v = probeValues(p).with("stageWord", "actual (sent anyway)").with("headerLine", "");
    List<String> acao = h.values("Access-Control-Allow-Origin");
    if (acao.isEmpty() && h.status() >= 400) {
      add(FindingCode.ERROR_WITHOUT_CORS_HEADERS, framework, v);
    } else if (acao.size() > 1 || (acao.size() == 1 && acao.get(0).contains(","))) {
      duplicate(p, framework, v);
    }
  }

  private String mismatchHint(String observed) {
    Origin page = request.origin();
    Origin allowed = observed == null ? null : Origin.parse(observed.trim()).orElse(null);
    if (allowed == null || page.opaque() || allowed.opaque()) {
      return "";
    }
    Set<String> loopbackNames = Set.of("localhost", "127.0.0.1", "[::1]");
    if (allowed.port() == page.port()
        && !allowed.host().equals(page.host())
        && loopbackNames.contains(allowed.host())
        && loopbackNames.contains(page.host())) {
      return " "
          + allowed.host()
          + " and "
          + page.host()
          + " name the same machine but are different origins to the browser.";
    }
    if (allowed.host().equals(page.host())
        && allowed.port() != page.port()
        && Math.abs(allowed.port() - page.port()) <= 10) {
      return " The front-end dev server may have moved from port "
          + allowed.port()
          + " to "
          + page.port()
          + " because the port was taken (Vite and others take the next free port); pin it (Vite: server.strictPort: true).";
    }
    if (!allowed.scheme().equals(page.scheme())) {
      return " The schemes differ (" + allowed.scheme() + " vs " + page.scheme() + ").";
    }
    return "";
  }

  // ---- the page, the browsers, the owners ----------------------------------------------------

  private void page() {
    Origin o = request.origin();
    if (o.opaque()) {
      return;
    }
    boolean targetLoopback = isLoopbackName(host);
    if (o.scheme().equals("https") && request.url().startsWith("http://") && !targetLoopback) {
      add(FindingCode.MIXED_CONTENT, null, base());
    }
    if (targetLoopback && !isLoopbackName(o.host()) && !isPrivateName(o.host())) {
      add(FindingCode.LOCAL_NETWORK_ACCESS, null, base().with("address", host));
    }
  }

  private void browsers() {
    Outcome c = chrome.verdict().outcome();
    Outcome f = firefox.verdict().firefox().outcome();
    boolean sameNetworkFailure = chrome == firefox && c == Outcome.NETWORK_ERROR;
    if (c != f && !sameNetworkFailure) {
      add(
          FindingCode.BROWSERS_DISAGREE,
          null,
          base()
              .with("chromeOutcome", c.token() + " over " + chrome.text())
              .with("firefoxOutcome", f.token() + " over " + firefox.text())
              .with("chromeLine", String.valueOf(chromeLine(chrome)))
              .with(
                  "firefoxLine",
                  firefox.verdict().firefox().message() == null
                      ? "no console message"
                      : firefox.verdict().firefox().message()));
    }
  }

  private static String chromeLine(AddressCheck c) {
    var v = c.verdict().chrome();
    return v.message() != null
        ? v.message()
        : v.networkLine() != null ? v.networkLine() : "no error";
  }

  private void owners() {
    List<String> unseen = new ArrayList<>();
    for (AddressCheck c : checks) {
      if (c.probes().stream().anyMatch(p -> p.result().connected() && p.answeredBy() == null)) {
        unseen.add(c.text());
      }
    }
    if (!unseen.isEmpty()) {
      add(
          FindingCode.OWNER_UNKNOWN,
          null,
          base()
              .with("addresses", String.join(" and ", unseen))
              .with(
                  "why",
                  ownersNote != null
                      ? ownersNote
                      : "the operating system did not show the owner (another user's process?)")
              .with("probeLines", ""));
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private AnsweredProbe probeFor(AddressCheck c, Stage stage) {
    OutgoingRequest.Kind kind =
        stage == Stage.PREFLIGHT ? OutgoingRequest.Kind.PREFLIGHT : OutgoingRequest.Kind.ACTUAL;
    AnsweredProbe found = null;
    for (AnsweredProbe p : c.probes()) {
      if (!p.extra() && p.result().request().kind() == kind) {
        found = p;
      }
    }
    return found;
  }

  /** The framework of the app for fixes: the server's own fingerprint unless it is a squatter. */
  private String appFramework(AnsweredProbe p) {
    if (p.server() != null && !p.server().key().equals("airplay")) {
      return p.server().key();
    }
    return null;
  }

  private String addressSummary(AddressCheck c) {
    var v = c.verdict();
    String what =
        v.outcome() == Outcome.PASS
            ? "passes"
            : v.outcome().token()
                + (v.chrome().corsError() != null
                    ? " (" + v.chrome().corsError() + ")"
                    : v.chrome().netError() != null
                        ? " (" + v.chrome().netError().chromiumName() + ")"
                        : "");
    return c.text()
        + " -> "
        + c.firstAnswered().map(Diagnosis::shortAnswerer).orElse("nobody")
        + ", "
        + what;
  }

  /** {@code AirPlay Receiver (AirTunes), pid 4459}: the server if recognised, else the process. */
  private static String shortAnswerer(AnsweredProbe p) {
    String who =
        p.server() != null
            ? p.server().product()
            : p.answeredBy() != null ? p.answeredBy().name() : "an unidentified server";
    return p.answeredBy() == null ? who : who + ", pid " + p.answeredBy().pid();
  }

  private String urlVia(java.net.InetAddress a) {
    URI u = URI.create(request.url());
    String authority = Addresses.urlHost(a) + (u.getPort() >= 0 ? ":" + u.getPort() : "");
    return u.getScheme() + "://" + authority + (u.getRawPath() == null ? "" : u.getRawPath());
  }

  private static String addressList(List<AddressCheck> cs) {
    return cs.stream().map(AddressCheck::text).collect(Collectors.joining(", "));
  }

  private static String headerLine(HttpReply h, String header) {
    if (h == null) {
      return "";
    }
    if (header != null) {
      String lines =
          h.headers().stream()
              .filter(x -> x.is(header))
              .map(Object::toString)
              .collect(Collectors.joining(" | "));
      return lines.isEmpty() ? header + " absent (" + h.statusLine() + ")" : lines;
    }
    return h.statusLine();
  }

  private static String value(HttpReply h, String name) {
    return h == null ? "(none)" : h.combined(name).orElse("(none)");
  }

  private static boolean isLoopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.startsWith("127.")
        || h.equals("[::1]")
        || h.equals("::1");
  }

  private static boolean isPrivateName(String host) {
    return host.startsWith("10.")
        || host.startsWith("192.168.")
        || host.matches("172\\.(1[6-9]|2\\d|3[01])\\..*")
        || host.endsWith(".local");
  }

  private Values base() {
    URI u = URI.create(request.url());
    return new Values()
        .with("host", host)
        .with("port", String.valueOf(port))
        .with("url", request.url())
        .with("path", u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        .with("origin", request.origin().serialize())
        .with("method", request.method())
        .with("chromeAddress", chrome.text())
        .with("firefoxAddress", firefox.text());
  }

  private Values probeValues(AnsweredProbe p) {
    var r = p.result();
    HttpReply h = r.http();
    boolean preflight = r.request().kind() == OutgoingRequest.Kind.PREFLIGHT;
    return base()
        .with("address", r.address())
        .with("kind", r.request().method() + " " + Evidence.path(r.request()))
        .with("stageWord", preflight ? "preflight" : "actual")
        .with("status", h == null ? "no status" : String.valueOf(h.status()))
        .with("statusLine", h == null ? String.valueOf(r.statusLine()) : h.statusLine())
        .with("serverHeader", h == null ? "" : Evidence.serverHeader(h))
        .with("answeredBy", p.answererText())
        .with(
            "body",
            r.bodyPrefix().length() > 200
                ? r.bodyPrefix().substring(0, 200) + "..."
                : r.bodyPrefix());
  }

  private void add(FindingCode code, String framework, Values values) {
    String key = code + "|" + values.map.getOrDefault("address", "");
    if (code == FindingCode.DUPLICATE_ALLOW_ORIGIN
        || code.ordinal() >= FindingCode.DUPLICATE_ALLOW_ORIGIN.ordinal()) {
      key = code.name();
    }
    if (seen.add(key)) {
      out.add(Catalogue.finding(code, framework, values.map));
    }
  }

  /** Placeholder values for a finding's templates. */
  static final class Values {
    final Map<String, String> map = new LinkedHashMap<>();

    Values with(String key, String value) {
      map.put(key, value);
      return this;
    }
  }
}
