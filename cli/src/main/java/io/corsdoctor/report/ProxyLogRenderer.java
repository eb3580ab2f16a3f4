package io.corsdoctor.report;

import io.corsdoctor.proxy.Change;
import io.corsdoctor.proxy.ProxyExchange;
import io.corsdoctor.proxy.TargetAddresses;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Help.Ansi;

/** Renders the proxy's start-up banner and one log line per exchange, as text or JSON lines. */
public final class ProxyLogRenderer {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final boolean json;
  private final Ansi ansi;
  private final boolean color;
  private volatile Second second;

  public ProxyLogRenderer(boolean json, Ansi ansi) {
    this.json = json;
    this.ansi = ansi;
    this.color = ansi.enabled();
  }

  /** What the proxy listens on, where it forwards, what it allows. */
  public record Banner(
      String listen,
      String target,
      List<TargetAddresses.Probe> targetAddresses,
      String allows,
      boolean passPreflight,
      long upstreamTimeoutSeconds,
      boolean loopbackOnly) {}

  /** The start-up lines (text: several lines; JSON: one object). */
  public String banner(Banner b) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("schemaVersion", Json.SCHEMA_VERSION);
      m.put("event", "listening");
      m.put("listen", b.listen());
      m.put("target", b.target());
      List<Map<String, Object>> addrs = new ArrayList<>();
      for (TargetAddresses.Probe p : b.targetAddresses()) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("address", p.host());
        a.put("answers", p.answers());
        a.put("error", p.error());
        addrs.add(a);
      }
      m.put("targetAddresses", addrs);
      m.put("allows", b.allows());
      m.put("preflights", b.passPreflight() ? "forwarded and repaired" : "answered by the proxy");
      m.put("loopbackOnly", b.loopbackOnly());
      return Json.write(m, false);
    }
    StringBuilder s = new StringBuilder();
    s.append(ansi.string("@|bold cors-doctor proxy|@ listening on "))
        .append(b.listen())
        .append(" -> ")
        .append(b.target())
        .append('\n');
    StringBuilder via = new StringBuilder();
    for (TargetAddresses.Probe p : b.targetAddresses()) {
      if (via.length() > 0) {
        via.append(", ");
      }
      via.append(p.host()).append(p.answers() ? " answers" : " " + p.error());
    }
    s.append("  target addresses: ").append(via).append('\n');
    s.append("  allows: ").append(b.allows()).append('\n');
    s.append("  preflights: ")
        .append(
            b.passPreflight()
                ? "forwarded to the target, answer repaired"
                : "answered by the proxy (the target never sees OPTIONS)")
        .append('\n');
    s.append("  upstream timeout: ").append(b.upstreamTimeoutSeconds()).append(" s (then 504)");
    return s.toString();
  }

  /** One line for one exchange. */
  public String line(ProxyExchange e) {
    StringBuilder s = new StringBuilder(160);
    line(e, s);
    return s.toString();
  }

  /** One line for one exchange, appended to {@code s} (no line separator). */
  public void line(ProxyExchange e, StringBuilder s) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("event", "exchange");
      m.put("time", e.time().toString());
      m.put("method", e.method());
      m.put("path", e.path());
      m.put("origin", e.origin());
      m.put("status", e.status());
      m.put("latencyMs", e.latencyMicros() / 1000.0);
      m.put("kind", e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      List<Map<String, String>> changes = new ArrayList<>(e.changes().size());
      for (Change c : e.changes()) {
        Map<String, String> cm = new LinkedHashMap<>();
        cm.put("code", c.code().name());
        cm.put("message", c.message());
        changes.add(cm);
      }
      m.put("changes", changes);
      ProxyExchange.BrowserLabel v = e.verdict();
      if (v == null) {
        m.put("verdict", null);
      } else {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("upstream", v.upstream());
        vm.put("upstreamCorsError", v.upstreamCorsError());
        vm.put("proxied", v.proxied());
        vm.put("proxiedCorsError", v.proxiedCorsError());
        m.put("verdict", vm);
      }
      s.append(Json.write(m, false));
      return;
    }
    clock(e.time(), s);
    s.append("  ");
    s.append(e.method()).append(' ').append(shorten(e.path())).append(' ');
    String status = e.status() == 0 ? "---" : Integer.toString(e.status());
    if (color) {
      // ANSI colours written directly: this runs once per request.
      String code = e.status() >= 500 || e.status() == 0 ? "31" : e.status() >= 400 ? "33" : "32";
      s.append("\u001b[").append(code).append('m').append(status).append("\u001b[0m");
    } else {
      s.append(status);
    }
    s.append(' ');
    latency(e.latencyMicros(), s);
    if (e.origin() != null) {
      s.append("  from ").append(e.origin());
    }
    ProxyExchange.BrowserLabel v = e.verdict();
    if (v != null) {
      s.append("  [browser: ");
      if (!v.upstream().equals(v.proxied())) {
        s.append("upstream ").append(v.upstream());
        corsError(v.upstreamCorsError(), s);
        s.append(" -> ");
      }
      s.append(v.proxied());
      corsError(v.proxiedCorsError(), s);
      s.append(']');
    }
    if (!e.changes().isEmpty()) {
      s.append("  ");
      for (int i = 0; i < e.changes().size(); i++) {
        if (i > 0) {
          s.append("; ");
        }
        s.append(e.changes().get(i).message());
      }
    }
  }

  private static void corsError(String name, StringBuilder s) {
    if (name != null) {
      s.append(" (").append(name).append(')');
    }
  }

  /** The time of day as HH:mm:ss.SSS; the seconds are formatted once per second. */
  private void clock(Instant time, StringBuilder s) {
    Second last = second;
    long epochSecond = time.getEpochSecond();
    if (last == null || last.epochSecond != epochSecond) {
      last = new Second(epochSecond, CLOCK.format(Instant.ofEpochSecond(epochSecond)));
      second = last;
    }
    int millis = time.getNano() / 1_000_000;
    s.append(last.text).append('.');
    if (millis < 100) {
      s.append(millis < 10 ? "00" : "0");
    }
    s.append(millis);
  }

  /** The last second the clock formatted (replaced whole, so threads never see half of one). */
  private record Second(long epochSecond, String text) {}

  private static String shorten(String path) {
    return path.length() <= 120 ? path : path.substring(0, 117) + "...";
  }

  /** 0.4ms, 9.9ms, 10ms, 1234ms. */
  static String latency(long micros) {
    StringBuilder s = new StringBuilder(8);
    latency(micros, s);
    return s.toString();
  }

  /** As {@link #latency(long)}, appended (runs once per request: no String.format). */
  private static void latency(long micros, StringBuilder s) {
    if (micros < 9_950) {
      long tenths = (micros + 50) / 100;
      s.append(tenths / 10).append('.').append(tenths % 10).append("ms");
    } else {
      s.append(Math.max(10, micros / 1000)).append("ms");
    }
  }
}
