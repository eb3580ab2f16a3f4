package io.corsdoctor.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.corsdoctor.cors.ChromeVerdict;
import io.corsdoctor.cors.FirefoxVerdict;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.har.HarAnalysis;
import io.corsdoctor.har.HarExchange;
import io.corsdoctor.har.HarFinding;
import io.corsdoctor.har.HarRedactor;
import io.corsdoctor.har.HarRequestResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Help.Ansi;

/**
 * Renders a {@link HarAnalysis}: a summary first (entries, cross-origin, blocked, by cause), then
 * each request worth a look. The words for each finding come from {@code har-findings.properties}.
 */
public final class HarReport {
  private static final Properties WORDS = load();

  private HarReport() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = HarReport.class.getResourceAsStream("har-findings.properties")) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("har-findings.properties missing from the jar", e);
    }
    return p;
  }

  /** One sentence that says what the finding means. */
  public static String summary(HarFinding.Code code) {
    return WORDS.getProperty(code.name() + ".summary", code.name());
  }

  /** What to do about it. */
  public static List<String> fix(HarFinding.Code code) {
    String fix = WORDS.getProperty(code.name() + ".fix");
    return fix == null ? List.of() : List.of(fix);
  }

  /** The verdict word of the JSON contract, or {@code unknown} when the HAR lacks a reply. */
  public static String verdict(Outcome outcome) {
    return outcome == null ? "unknown" : outcome.token();
  }

  // ---------------------------------------------------------------- JSON

  /**
   * Writes the JSON document of docs/json-contract.md's {@code har} section to {@code out}, one
   * request at a time (no tree of the whole report in memory).
   */
  public static void writeJson(HarAnalysis a, String file, Writer out) throws IOException {
    ObjectMapper mapper = Json.mapper();
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      for (Map.Entry<String, Object> e : summary(a, file).entrySet()) {
        g.writeFieldName(e.getKey());
        mapper.writeValue(g, e.getValue());
      }
      g.writeArrayFieldStart("requests");
      for (HarRequestResult r : a.requests()) {
        mapper.writeValue(g, request(r));
      }
      g.writeEndArray();
      g.writeNumberField("requestsOmitted", a.requestsOmitted());
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static Map<String, Object> summary(HarAnalysis a, String file) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schemaVersion", Json.SCHEMA_VERSION);
    root.put("file", file);
    root.put("bytes", a.bytes());
    root.put("entries", a.entries());
    root.put("preflights", a.preflights());
    root.put("crossOrigin", a.crossOrigin());
    root.put("blocked", a.blocked());
    root.put("networkErrors", a.networkErrors());
    root.put("unknown", a.unknown());
    root.put("byCause", a.byCause());
    root.put("byFinding", a.byFinding());
    return root;
  }

  private static Map<String, Object> request(HarRequestResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entry", r.actual() != null ? r.actual().entry() : r.preflight().entry());
    m.put("url", r.url());
    m.put("method", r.method());
    m.put("origin", r.origin());
    m.put("verdict", verdict(r.outcome()));
    m.put("stage", r.stage() == null ? null : r.stage().name().toLowerCase(Locale.ROOT));
    m.put("chrome", chrome(r.chrome()));
    m.put("firefox", firefox(r.firefox()));
    m.put("preflightNeeded", r.preflightNeeded());
    m.put("preflight", exchange(r.preflight()));
    m.put("actual", exchange(r.actual()));
    List<Object> findings = new ArrayList<>();
    for (HarFinding f : r.findings()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("code", f.code().name());
      fm.put("severity", f.code().severity());
      fm.put("summary", summary(f.code()));
      fm.put("evidence", f.evidence());
      fm.put("fix", fix(f.code()));
      findings.add(fm);
    }
    m.put("findings", findings);
    return m;
  }

  private static Map<String, Object> chrome(ChromeVerdict c) {
    if (c == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("corsError", c.corsError() == null ? null : c.corsError().name());
    m.put("failedParameter", c.failedParameter());
    m.put("message", c.message());
    m.put("netError", c.netError() == null ? null : c.netError().chromiumName());
    m.put("networkLine", c.networkLine());
    return m;
  }

  private static Map<String, Object> firefox(FirefoxVerdict f) {
    if (f == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", f.outcome().token());
    m.put("reason", f.reason());
    m.put("message", f.message());
    return m;
  }

  private static Map<String, Object> exchange(HarExchange x) {
    if (x == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("entry", x.entry());
    m.put("status", x.status());
    m.put("statusLine", x.statusLine());
    m.put("server", x.server());
    m.put("serverIPAddress", x.serverIpAddress());
    m.put("connection", x.connection());
    m.put("error", x.error());
    m.put("fromCache", x.fromCache());
    return m;
  }

  // ---------------------------------------------------------------- redaction

  /** What {@code --redact} removed, as JSON. */
  public static Map<String, Object> redactionJson(HarRedactor.Report r, String out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", Json.SCHEMA_VERSION);
    m.put("written", out);
    m.put("entries", r.entries());
    m.put("removed", r.removed());
    m.put("headerNames", r.headerNames());
    return m;
  }

  /** What {@code --redact} removed, for people. */
  public static String redactionText(HarRedactor.Report r, String out) {
    StringBuilder sb = new StringBuilder();
    sb.append("Wrote ")
        .append(out)
        .append(" (")
        .append(plural(r.entries(), "entry", "entries"))
        .append("), with every value below replaced by ")
        .append(HarRedactor.REDACTED)
        .append(" or emptied:\n");
    if (r.removed().isEmpty()) {
      sb.append("  nothing: no cookies, tokens, query values or bodies were found.\n");
    }
    r.removed().forEach((k, v) -> sb.append("  ").append(v).append(' ').append(k).append('\n'));
    if (!r.headerNames().isEmpty()) {
      sb.append("Headers replaced: ").append(String.join(", ", r.headerNames())).append('\n');
    }
    sb.append(
        "Kept: methods, URLs without query values, Origin, Access-Control-*, Server, status lines,"
            + " addresses and timings. Read the copy before you share it.\n");
    return sb.toString();
  }

  // ---------------------------------------------------------------- text

  /** Summary first, then every request worth a look ({@code all}: every request). */
  public static String text(HarAnalysis a, String file, Ansi ansi, boolean all) {
    StringBuilder sb = new StringBuilder();
    sb.append(file)
        .append(": ")
        .append(plural(a.entries(), "entry", "entries"))
        .append(", ")
        .append(plural(a.crossOrigin(), "cross-origin request", "cross-origin requests"))
        .append(", ")
        .append(
            a.blocked() > 0
                ? ansi.string("@|bold,red " + a.blocked() + " blocked|@")
                : a.blocked() + " blocked");
    if (a.networkErrors() > 0) {
      sb.append(", ").append(plural(a.networkErrors(), "network error", "network errors"));
    }
    if (a.unknown() > 0) {
      sb.append(", ").append(a.unknown()).append(" without a verdict (replies missing)");
    }
    sb.append('\n');
    if (!a.byCause().isEmpty()) {
      sb.append("  by cause: ").append(counts(a.byCause())).append('\n');
    }
    if (!a.byFinding().isEmpty()) {
      sb.append("  findings: ").append(counts(a.byFinding())).append('\n');
    }
    int quiet = 0;
    for (HarRequestResult r : a.requests()) {
      if (all || r.notable()) {
        sb.append('\n');
        request(sb, r, ansi);
      } else {
        quiet++;
      }
    }
    if (quiet > 0) {
      sb.append('\n')
          .append(plural(quiet, "request passes", "requests pass"))
          .append(" with nothing to report (--all lists them).\n");
    }
    if (a.requestsOmitted() > 0) {
      sb.append(a.requestsOmitted())
          .append(" more requests were counted but not listed; narrow with --url PATTERN.\n");
    }
    return sb.toString();
  }

  private static void request(StringBuilder sb, HarRequestResult r, Ansi ansi) {
    String word =
        switch (r.outcome() == null ? "unknown" : r.outcome().token()) {
          case "pass" -> ansi.string("@|green PASS    |@");
          case "blocked" -> ansi.string("@|bold,red BLOCKED |@");
          case "network-error" -> ansi.string("@|bold,yellow NET-ERR |@");
          default -> ansi.string("@|yellow UNKNOWN |@");
        };
    sb.append(word)
        .append(r.method())
        .append(' ')
        .append(r.url())
        .append("  from ")
        .append(r.origin())
        .append('\n');
    if (r.chrome() != null && r.chrome().message() != null) {
      sb.append("  Chrome:    ").append(r.chrome().message());
      if (r.chrome().corsError() != null) {
        sb.append(" [").append(r.chrome().corsError().name()).append(']');
      }
      sb.append('\n');
    } else if (r.chrome() != null && r.chrome().networkLine() != null) {
      sb.append("  Chrome:    ").append(r.chrome().networkLine()).append('\n');
    }
    if (r.firefox() != null && r.firefox().reason() != null) {
      sb.append("  Firefox:   ").append(r.firefox().reason()).append('\n');
    }
    if (r.preflight() != null) {
      sb.append("  Preflight  ").append(exchangeLine(r.preflight())).append('\n');
    } else if (r.preflightNeeded()) {
      sb.append("  Preflight  not in the HAR\n");
    }
    if (r.actual() != null) {
      sb.append("  Request    ").append(exchangeLine(r.actual())).append('\n');
    } else {
      sb.append("  Request    not in the HAR\n");
    }
    for (HarFinding f : r.findings()) {
      String mark =
          switch (f.code().severity()) {
            case "error" -> ansi.string("@|red x|@");
            case "warning" -> ansi.string("@|yellow !|@");
            default -> "i";
          };
      sb.append("  ")
          .append(mark)
          .append(' ')
          .append(summary(f.code()))
          .append(" [")
          .append(f.code().name())
          .append("]\n");
      for (String e : f.evidence()) {
        sb.append("      ").append(e).append('\n');
      }
      for (String fix : fix(f.code())) {
        sb.append("    Fix: ").append(fix).append('\n');
      }
    }
  }

  private static String exchangeLine(HarExchange x) {
    StringBuilder sb = new StringBuilder("entry ").append(x.entry()).append("  ");
    sb.append(x.method()).append(" -> ");
    sb.append(x.statusLine() == null ? "no response" : x.statusLine());
    if (x.server() != null) {
      sb.append("  Server: ").append(x.server());
    }
    if (x.serverIpAddress() != null) {
      sb.append("  from ").append(x.serverIpAddress());
    }
    if (x.error() != null && !x.error().isBlank()) {
      sb.append("  ").append(x.error());
    }
    if (x.fromCache() != null) {
      sb.append("  (from cache: ").append(x.fromCache()).append(')');
    }
    return sb.toString();
  }

  private static String counts(Map<String, Integer> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k + " " + v));
    return String.join(", ", parts);
  }

  private static String plural(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
