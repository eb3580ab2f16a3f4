package io.corsdoctor.report;

import io.corsdoctor.check.AddressCheck;
import io.corsdoctor.check.AnsweredProbe;
import io.corsdoctor.check.CheckResult;
import io.corsdoctor.check.Finding;
import io.corsdoctor.cors.ChromeVerdict;
import io.corsdoctor.cors.FirefoxVerdict;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.net.Addresses;
import io.corsdoctor.net.ProbeResult;
import io.corsdoctor.ports.Listener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check} and {@code explain} as JSON, keys per docs/json-contract.md (extend, never rename).
 */
public final class CheckJson {
  private CheckJson() {}

  /** The JSON document as ordered maps and lists, ready for {@link Json#write}. */
  public static Map<String, Object> tree(CheckResult r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schemaVersion", Json.SCHEMA_VERSION);
    root.put("verdict", r.outcome().token());
    root.put("request", request(r));
    root.put("chrome", chrome(r.chrome()));
    root.put("firefox", firefox(r.firefox()));
    root.put("headline", r.findings().isEmpty() ? null : r.findings().get(0).summary());
    Map<String, Object> addresses = new LinkedHashMap<>();
    addresses.put("chrome", r.chrome().text());
    addresses.put("firefox", r.firefox().text());
    addresses.put(
        "all",
        r.addresses().stream()
            .map(
                a -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("address", a.text());
                  m.put("family", Addresses.family(a.address()));
                  m.put("verdict", a.verdict().outcome().token());
                  m.put("corsError", name(a.verdict().chrome().corsError()));
                  return m;
                })
            .toList());
    root.put("addresses", addresses);
    List<Object> probes = new ArrayList<>();
    for (AddressCheck a : r.addresses()) {
      for (AnsweredProbe p : a.probes()) {
        probes.add(probe(p));
      }
    }
    root.put("probes", probes);
    root.put("listeners", r.listeners().stream().map(CheckJson::listener).toList());
    root.put("ownersNote", r.ownersNote());
    root.put("findings", r.findings().stream().map(CheckJson::finding).toList());
    return root;
  }

  private static Map<String, Object> request(CheckResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    var q = r.request();
    m.put("url", q.url());
    m.put("origin", q.origin().serialize());
    m.put("method", q.method());
    m.put("headers", q.headers().stream().map(h -> List.of(h.name(), h.value())).toList());
    m.put("credentials", q.credentials().token());
    m.put("api", q.api().name().toLowerCase(java.util.Locale.ROOT));
    m.put("preflight", r.chrome().verdict().preflightNeeded());
    return m;
  }

  private static Map<String, Object> chrome(AddressCheck a) {
    ChromeVerdict c = a.verdict().chrome();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("corsError", name(c.corsError()));
    m.put("failedParameter", c.failedParameter());
    m.put("message", c.message());
    m.put("netError", c.netError() == null ? null : c.netError().chromiumName());
    m.put("networkLine", c.networkLine());
    m.put("address", a.text());
    return m;
  }

  private static Map<String, Object> firefox(AddressCheck a) {
    FirefoxVerdict f = a.verdict().firefox();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", f.outcome().token());
    m.put("reason", f.reason());
    m.put("message", f.message());
    m.put("reasons", f.reasons());
    m.put("messages", f.messages());
    m.put("address", a.text());
    return m;
  }

  private static Map<String, Object> probe(AnsweredProbe p) {
    ProbeResult r = p.result();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", r.address());
    m.put("kind", r.request().kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("method", r.request().method());
    m.put("url", r.request().url());
    HttpReply h = r.http();
    m.put("status", h == null ? null : h.status());
    m.put("statusLine", r.statusLine());
    m.put("headers", headers(r));
    if (p.answeredBy() == null) {
      m.put("answeredBy", null);
    } else {
      Map<String, Object> who = new LinkedHashMap<>();
      who.put("pid", p.answeredBy().pid());
      who.put("process", p.answeredBy().name());
      who.put("command", p.answeredBy().command());
      who.put("user", p.answeredBy().user());
      m.put("answeredBy", who);
    }
    m.put("server", p.server() == null ? null : p.server().product());
    m.put("serverKey", p.server() == null ? null : p.server().key());
    NetworkFailure f = r.failure();
    m.put("error", f == null ? null : f.error().chromiumName() + ": " + f.detail());
    m.put("netError", f == null ? null : f.error().chromiumName());
    m.put("sent", r.sentLines());
    m.put("rawHeaderLines", r.rawHeaderLines());
    m.put("body", r.bodyPrefix());
    m.put("bodyTruncated", r.bodyTruncated());
    m.put("local", r.local() == null ? null : r.local().getPort());
    m.put("tls", r.tls());
    m.put("extra", p.extra());
    m.put("elapsedMs", r.elapsedMillis());
    return m;
  }

  /** Every header line as [name, value], in order, case and duplicates kept. */
  private static List<List<String>> headers(ProbeResult r) {
    if (r.http() != null) {
      return r.http().headers().stream().map(h -> List.of(h.name(), h.value())).toList();
    }
    List<List<String>> out = new ArrayList<>();
    for (String line : r.rawHeaderLines()) {
      int c = line.indexOf(':');
      out.add(
          c < 0 ? List.of(line, "") : List.of(line.substring(0, c), line.substring(c + 1).strip()));
    }
    return out;
  }

  private static Map<String, Object> listener(Listener l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", l.address());
    m.put("family", l.family());
    m.put("port", l.port());
    m.put("pid", l.owner() == null ? null : l.owner().pid());
    m.put("process", l.owner() == null ? null : l.owner().name());
    m.put("command", l.owner() == null ? null : l.owner().command());
    m.put("v6Only", l.v6Only());
    m.put("hiddenReason", l.hiddenReason());
    return m;
  }

  private static Map<String, Object> finding(Finding f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", f.code().name());
    m.put("severity", f.severity().name());
    m.put("summary", f.summary());
    m.put("evidence", f.evidence());
    m.put("fix", f.fix());
    return m;
  }

  private static String name(Enum<?> e) {
    return e == null ? null : e.name();
  }
}
