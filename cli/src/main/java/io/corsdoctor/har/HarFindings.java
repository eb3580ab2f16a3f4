package io.corsdoctor.har;

import io.corsdoctor.har.HarFinding.Code;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the recording shows beside the verdict: observations on recorded values (who answered,
 * header lines, the browser's own error). No CORS decision is made here; the engine decides.
 */
final class HarFindings {

  /** Who answered for each target origin, from responses other than preflights (bounded). */
  static final class Sightings {
    private static final int MAX_ORIGINS = 10_000;
    private static final int MAX_PER_ORIGIN = 4;

    record Seen(int entry, String server, String ip) {}

    private final Map<String, List<Seen>> byOrigin =
        new LinkedHashMap<>(256, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, List<Seen>> eldest) {
            return size() > MAX_ORIGINS;
          }
        };

    void record(String origin, HarEntry e) {
      List<Seen> seen = byOrigin.computeIfAbsent(origin, k -> new ArrayList<>(1));
      String server = e.server();
      String ip = e.serverIpAddress();
      if (server == null && ip == null) {
        return;
      }
      for (Seen s : seen) {
        if (Objects.equals(s.server, server) && Objects.equals(s.ip, ip)) {
          return;
        }
      }
      if (seen.size() < MAX_PER_ORIGIN) {
        seen.add(new Seen(e.index(), server, ip));
      }
    }

    List<Seen> of(String origin) {
      return byOrigin.getOrDefault(origin, List.of());
    }
  }

  private HarFindings() {}

  static List<HarFinding> of(
      HarEntry actual, HarEntry preflight, Sightings sightings, boolean preflightFromCache) {
    List<HarFinding> out = new ArrayList<>();
    otherServer(actual, preflight, sightings, out);
    squatter(actual, preflight, out);
    duplicateAllowOrigin(actual, preflight, out);
    if (preflight != null && isRedirect(preflight)) {
      out.add(
          new HarFinding(
              Code.PREFLIGHT_REDIRECT,
              List.of(
                  describe("preflight", preflight)
                      + location(preflight.response().header("Location"), preflight))));
    }
    errorWithoutCors(actual, preflight, out);
    if (preflightFromCache || (preflight != null && preflight.fromCache() != null)) {
      out.add(
          new HarFinding(
              Code.PREFLIGHT_FROM_CACHE,
              preflight != null
                  ? List.of(
                      describe("preflight", preflight) + ", from cache " + preflight.fromCache())
                  : List.of(
                      "no OPTIONS preflight for "
                          + actual.request().method()
                          + " "
                          + actual.request().url()
                          + " in the HAR, though the request needs one")));
    }
    blockedByBrowser(actual, preflight, out);
    return out;
  }

  private static void otherServer(
      HarEntry actual, HarEntry preflight, Sightings sightings, List<HarFinding> out) {
    if (preflight == null || preflight.response().status() <= 0) {
      return;
    }
    String ps = preflight.server();
    String pip = preflight.serverIpAddress();
    if (actual != null && actual.response().status() > 0) {
      if (differs(ps, actual.server()) || differs(pip, actual.serverIpAddress())) {
        out.add(
            new HarFinding(
                Code.PREFLIGHT_ANSWERED_BY_OTHER_SERVER,
                List.of(describe("preflight", preflight), describe("request", actual))));
      }
      return;
    }
    // The request got no answer: compare with other answers from the same origin once the whole
    // file has been read (see byOtherAnswers).
  }

  /**
   * For a preflight whose request got no answer: its answer against every other answer from the
   * same origin in the file. Null when they agree or there are none.
   */
  static HarFinding byOtherAnswers(String url, HarExchange preflight, Sightings sightings) {
    if (preflight == null || preflight.status() <= 0) {
      return null;
    }
    String ps = preflight.server();
    String pip = preflight.serverIpAddress();
    String origin = HarUrls.originOf(url).map(o -> o.serialize()).orElse("");
    Sightings.Seen other = null;
    for (Sightings.Seen s : sightings.of(origin)) {
      boolean same = !differs(ps, s.server()) && !differs(pip, s.ip());
      if (same) {
        return null;
      }
      if (other == null && (differs(ps, s.server()) || differs(pip, s.ip()))) {
        other = s;
      }
    }
    if (other == null) {
      return null;
    }
    return new HarFinding(
        Code.PREFLIGHT_ANSWERED_BY_OTHER_SERVER,
        List.of(
            describe("preflight", preflight),
            "other responses from "
                + origin
                + " (entry "
                + other.entry()
                + "): "
                + who(other.server(), other.ip(), null)));
  }

  private static void squatter(HarEntry actual, HarEntry preflight, List<HarFinding> out) {
    List<String> evidence = new ArrayList<>();
    for (HarEntry e : pair(preflight, actual)) {
      String server = e.server();
      if (server != null && server.toLowerCase(Locale.ROOT).startsWith("airtunes")) {
        evidence.add(describe(e == preflight ? "preflight" : "request", e));
      }
    }
    if (!evidence.isEmpty()) {
      out.add(new HarFinding(Code.KNOWN_SQUATTER_AIRPLAY_RECEIVER, evidence));
    }
  }

  private static void duplicateAllowOrigin(
      HarEntry actual, HarEntry preflight, List<HarFinding> out) {
    List<String> evidence = new ArrayList<>();
    for (HarEntry e : pair(preflight, actual)) {
      List<String> values = e.response().values("Access-Control-Allow-Origin");
      boolean several = values.size() > 1 || values.stream().anyMatch(v -> v.contains(","));
      if (several) {
        String what = e == preflight ? "preflight" : "request";
        for (String v : values) {
          evidence.add(what + " (entry " + e.index() + "): Access-Control-Allow-Origin: " + v);
        }
      }
    }
    if (!evidence.isEmpty()) {
      out.add(new HarFinding(Code.DUPLICATE_ALLOW_ORIGIN, evidence));
    }
  }

  private static void errorWithoutCors(HarEntry actual, HarEntry preflight, List<HarFinding> out) {
    List<String> evidence = new ArrayList<>();
    for (HarEntry e : pair(preflight, actual)) {
      if (e.response().status() >= 400
          && e.response().header("Access-Control-Allow-Origin") == null) {
        evidence.add(
            describe(e == preflight ? "preflight" : "request", e)
                + ", no Access-Control-Allow-Origin");
      }
    }
    if (!evidence.isEmpty()) {
      out.add(new HarFinding(Code.ERROR_RESPONSE_WITHOUT_CORS_HEADERS, evidence));
    }
  }

  private static void blockedByBrowser(HarEntry actual, HarEntry preflight, List<HarFinding> out) {
    List<String> evidence = new ArrayList<>();
    for (HarEntry e : pair(preflight, actual)) {
      String error = e.response().error();
      boolean failed = error != null && !error.isBlank();
      if (failed || e.response().status() <= 0) {
        evidence.add(
            (e == preflight ? "preflight" : "request")
                + " (entry "
                + e.index()
                + "): status "
                + e.response().status()
                + (failed ? ", _error " + error : ", no response recorded"));
      }
    }
    if (!evidence.isEmpty()) {
      out.add(new HarFinding(Code.BLOCKED_BY_BROWSER, evidence));
    }
  }

  private static List<HarEntry> pair(HarEntry preflight, HarEntry actual) {
    List<HarEntry> list = new ArrayList<>(2);
    if (preflight != null) {
      list.add(preflight);
    }
    if (actual != null) {
      list.add(actual);
    }
    return list;
  }

  static boolean isRedirect(HarEntry e) {
    int s = e.response().status();
    return s >= 300 && s < 400;
  }

  private static boolean differs(String a, String b) {
    return a != null && b != null && !a.equalsIgnoreCase(b);
  }

  /** {@code preflight (entry 1): HTTP/1.1 403 Forbidden, Server: AirTunes/620.8.2, from ::1}. */
  static String describe(String what, HarEntry e) {
    return describe(what, HarExchange.of(e));
  }

  static String describe(String what, HarExchange x) {
    StringBuilder sb = new StringBuilder(what).append(" (entry ").append(x.entry()).append("): ");
    sb.append(x.status() > 0 ? x.statusLine() : "no response");
    String who = who(x.server(), x.serverIpAddress(), x.connection());
    sb.append(who.isEmpty() ? "" : ", ").append(who);
    return sb.toString();
  }

  private static String who(String server, String ip, String connection) {
    List<String> parts = new ArrayList<>(3);
    if (server != null) {
      parts.add("Server: " + server);
    }
    if (ip != null) {
      parts.add("from " + ip);
    }
    if (connection != null) {
      parts.add("connection " + connection);
    }
    return String.join(", ", parts);
  }

  private static String location(String location, HarEntry e) {
    String target = location != null ? location : e.response().redirectUrl();
    return target == null || target.isEmpty() ? "" : " -> " + target;
  }
}
