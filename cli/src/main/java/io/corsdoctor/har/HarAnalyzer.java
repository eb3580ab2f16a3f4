package io.corsdoctor.har;

import io.corsdoctor.cors.BrowserState;
import io.corsdoctor.cors.CorsEngine;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.PreflightCacheEntry;
import io.corsdoctor.cors.Reply;
import io.corsdoctor.cors.Step;
import io.corsdoctor.cors.Verdict;
import io.corsdoctor.har.HarFindings.Sightings;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Reads a HAR as a stream, finds its cross-origin requests, pairs them with their preflights, asks
 * the engine what the browser decides on the recorded replies, and collects findings. Memory stays
 * bounded: a sliding window of entries for pairing, a bounded preflight cache per URL, and at most
 * {@code maxRequests} request results.
 */
public final class HarAnalyzer {
  /** Results kept for the report; beyond it requests are counted but not listed. */
  public static final int DEFAULT_MAX_REQUESTS = 20_000;

  /** Entries a request waits for its preflight (and a preflight for its request). */
  static final int PAIRING_WINDOW = 256;

  private static final int MAX_STATES = 4_096;

  private final HarLimits limits;
  private final Predicate<String> urlFilter;
  private final int maxRequests;

  public HarAnalyzer(HarLimits limits, Predicate<String> urlFilter, int maxRequests) {
    this.limits = limits;
    this.urlFilter = urlFilter;
    this.maxRequests = maxRequests;
  }

  /** Analyses every entry; {@code progress} receives the byte offset of each entry. */
  public HarAnalysis analyze(InputStream in, LongConsumer progress)
      throws HarFormatException, IOException {
    Session s = new Session(progress);
    int entries = ReadAhead.read(new HarReader(limits), in, Facts::of, s);
    s.pairing.flush();
    return s.result(entries);
  }

  /**
   * What the analysis needs of an entry that depends on nothing else: worked out on the reader's
   * thread, so that the analysis thread does less.
   *
   * @param preflight whether the entry is a preflight
   * @param pageOrigin the origin its {@code Origin} header names, or null
   * @param target the origin of its URL, or null (not a URL with an origin)
   * @param targetKey {@code target} serialised, or null
   * @param fetchMode its {@code Sec-Fetch-Mode}, or null
   * @param millis its start time, or {@code Long.MIN_VALUE}
   */
  record Facts(
      boolean preflight,
      Origin pageOrigin,
      Origin target,
      String targetKey,
      String fetchMode,
      long millis) {
    static Facts of(HarEntry e) {
      boolean preflight = e.isPreflight();
      Origin target = preflight ? null : HarUrls.originOf(e.request().url()).orElse(null);
      return new Facts(
          preflight,
          HarTranslation.pageOrigin(e),
          target,
          target == null ? null : target.serialize(),
          e.request().header("Sec-Fetch-Mode"),
          HarPairing.millis(e.startedDateTime()));
    }
  }

  private final class Session implements ReadAhead.Sink<Facts>, HarPairing.Sink {
    final LongConsumer progress;
    final HarPairing pairing = new HarPairing(PAIRING_WINDOW, this);
    final Sightings sightings = new Sightings();
    final Map<String, String> pages = new HashMap<>();
    final Map<String, BrowserState> states =
        new LinkedHashMap<>(256, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, BrowserState> eldest) {
            return size() > MAX_STATES;
          }
        };
    final List<HarRequestResult> results = new ArrayList<>();
    final Map<String, Integer> byCause = new HashMap<>();
    final Map<String, Integer> byFinding = new HashMap<>();
    long lastOffset;
    long clock;
    int preflights;
    int crossOrigin;
    int blocked;
    int networkErrors;
    int unknown;
    int omitted;

    Session(LongConsumer progress) {
      this.progress = progress;
    }

    @Override
    public void page(String id, String title) {
      if (id != null && title != null && pages.size() < 10_000) {
        pages.put(id, title);
      }
    }

    @Override
    public void entry(HarEntry e, Facts f) {
      lastOffset = e.byteOffset();
      progress.accept(lastOffset);
      if (f.preflight()) {
        preflights++;
        if (urlFilter.test(e.request().url())) {
          pairing.add(e, f.pageOrigin(), true, f.millis());
        }
        return;
      }
      Origin target = f.target();
      if (target == null) {
        return;
      }
      if (e.response().status() > 0) {
        sightings.record(f.targetKey(), e);
      }
      Origin origin = corsOrigin(e, f);
      if (origin != null && !origin.sameOrigin(target) && urlFilter.test(e.request().url())) {
        crossOrigin++;
        pairing.add(e, origin, false, f.millis());
      }
    }

    /** The page origin of a CORS-mode request, or null for anything else. */
    private Origin corsOrigin(HarEntry e, Facts f) {
      String url = e.request().url();
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        return null;
      }
      String type = e.resourceType();
      if ("document".equals(type) || "websocket".equals(type) || "ping".equals(type)) {
        return null;
      }
      String mode = f.fetchMode();
      if (mode != null && !mode.trim().equalsIgnoreCase("cors")) {
        return null;
      }
      Origin origin = f.pageOrigin();
      if (origin == null && mode != null && e.pageref() != null) {
        // A sanitised HAR without Origin: a CORS-mode request comes from its page.
        origin = HarUrls.originOf(pages.get(e.pageref())).orElse(null);
      }
      if (origin == null && mode == null && provisional(e)) {
        // Chromium blocked it before sending (its preflight failed): DevTools records only the
        // provisional headers, without Origin and Sec-Fetch-*. It came from its page.
        origin = HarUrls.originOf(e.pageref() == null ? null : pages.get(e.pageref())).orElse(null);
        if (origin == null) {
          origin = HarUrls.originOf(e.request().header("Referer")).orElse(null);
        }
      }
      return origin;
    }

    /** A script's request that the browser failed without a response: status 0 or an error. */
    private static boolean provisional(HarEntry e) {
      String type = e.resourceType();
      return ("fetch".equals(type) || "xhr".equals(type))
          && e.response().status() <= 0
          && e.response().error() != null;
    }

    @Override
    public void unit(Origin origin, HarEntry actual, HarEntry preflight, long millis) {
      if (origin == null) {
        return;
      }
      if (millis != Long.MIN_VALUE) {
        clock = millis;
      }
      CorsRequest request = HarTranslation.request(origin, actual, preflight);
      Evaluation ev = evaluate(request, actual, preflight);
      if (actual == null && (ev.outcome() == null || ev.verdict().outcome() == Outcome.PASS)) {
        return; // a preflight whose request is not in the HAR and that did not block it
      }
      if (actual == null) {
        crossOrigin++;
      }
      Verdict v = ev.verdict();
      List<HarFinding> findings =
          HarFindings.of(actual, preflight, sightings, ev.preflightFromCache());
      HarRequestResult r =
          new HarRequestResult(
              request.method(),
              request.url(),
              origin.serialize(),
              ev.outcome(),
              v == null ? null : v.stage(),
              v == null ? null : v.chrome(),
              v == null ? null : v.firefox(),
              v != null && v.preflightNeeded(),
              preflight == null ? null : HarExchange.of(preflight),
              actual == null ? null : HarExchange.of(actual),
              findings);
      count(r);
      if (results.size() < maxRequests) {
        results.add(r);
      } else {
        omitted++;
      }
    }

    private void count(HarRequestResult r) {
      if (r.outcome() == null) {
        unknown++;
      } else if (r.outcome() == Outcome.BLOCKED) {
        blocked++;
        if (r.chrome() != null && r.chrome().corsError() != null) {
          byCause.merge(r.chrome().corsError().name(), 1, Integer::sum);
        }
      } else if (r.outcome() == Outcome.NETWORK_ERROR) {
        networkErrors++;
        if (r.chrome() != null && r.chrome().netError() != null) {
          byCause.merge(r.chrome().netError().chromiumName(), 1, Integer::sum);
        }
      }
      for (HarFinding f : r.findings()) {
        byFinding.merge(f.code().name(), 1, Integer::sum);
      }
    }

    private Evaluation evaluate(CorsRequest request, HarEntry actual, HarEntry preflight) {
      String key =
          request.origin().serialize() + ' ' + request.url() + ' ' + request.credentials().token();
      BrowserState state = states.getOrDefault(key, BrowserState.fresh()).at(clock);
      Recorded recorded = new Recorded(actual, preflight);
      Run run = run(request, state, recorded);
      if (preflight != null
          && run.verdict() != null
          && run.verdict().preflightNeeded()
          && !run.verdict().preflightSent()) {
        // The HAR holds this request's preflight, so the browser did not serve it from its
        // preflight cache (DevTools' "Disable cache" disables that cache too): replay without it.
        run = run(request, new BrowserState(List.of(), clock), recorded);
      }
      boolean fromCache = false;
      if (run.missing() == OutgoingRequest.Kind.PREFLIGHT) {
        // The browser sent the request, so it had a preflight: from its cache, or recorded
        // before the export began. Give the engine that cache entry.
        fromCache = true;
        run = run(request, withCacheEntry(state, request), recorded);
      }
      if (run.verdict() == null) {
        return new Evaluation(null, null, fromCache);
      }
      states.put(key, run.verdict().stateAfter());
      boolean notSent = run.verdict().preflightNeeded() && !run.verdict().preflightSent();
      return new Evaluation(run.verdict(), run.verdict().outcome(), fromCache || notSent);
    }

    private BrowserState withCacheEntry(BrowserState state, CorsRequest request) {
      List<PreflightCacheEntry> cache = new ArrayList<>(state.preflightCache());
      cache.add(
          new PreflightCacheEntry(
              request.origin().serialize(),
              request.url(),
              request.credentials() == CredentialsMode.INCLUDE,
              List.of(request.method()),
              request.headers().stream().map(Header::lowerName).toList(),
              clock + 86_400_000L));
      return new BrowserState(cache, state.nowMillis());
    }

    private Run run(CorsRequest request, BrowserState state, Recorded recorded) {
      Step step = CorsEngine.start(request, state);
      while (step instanceof Step.Send send) {
        Reply reply = recorded.reply(send.request());
        if (reply == null) {
          return new Run(null, send.request().kind());
        }
        step = send.reply(reply);
      }
      return new Run(((Step.Done) step).verdict(), null);
    }

    HarAnalysis result(int entries) {
      results.sort(Comparator.comparingInt(HarAnalyzer::firstIndex));
      for (int i = 0; i < results.size(); i++) {
        HarRequestResult r = results.get(i);
        if (r.actual() == null || r.actual().status() <= 0) {
          HarFinding f = HarFindings.byOtherAnswers(r.url(), r.preflight(), sightings);
          if (f != null) {
            List<HarFinding> findings = new ArrayList<>(r.findings());
            findings.add(0, f);
            results.set(i, withFindings(r, findings));
            byFinding.merge(f.code().name(), 1, Integer::sum);
          }
        }
      }
      return new HarAnalysis(
          lastOffset,
          entries,
          preflights,
          crossOrigin,
          blocked,
          networkErrors,
          unknown,
          sorted(byCause),
          sorted(byFinding),
          results,
          omitted);
    }
  }

  private static HarRequestResult withFindings(HarRequestResult r, List<HarFinding> findings) {
    return new HarRequestResult(
        r.method(),
        r.url(),
        r.origin(),
        r.outcome(),
        r.stage(),
        r.chrome(),
        r.firefox(),
        r.preflightNeeded(),
        r.preflight(),
        r.actual(),
        findings);
  }

  private static int firstIndex(HarRequestResult r) {
    int a = r.actual() == null ? Integer.MAX_VALUE : r.actual().entry();
    int p = r.preflight() == null ? Integer.MAX_VALUE : r.preflight().entry();
    return Math.min(a, p);
  }

  private static Map<String, Integer> sorted(Map<String, Integer> counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private record Run(Verdict verdict, OutgoingRequest.Kind missing) {}

  private record Evaluation(Verdict verdict, Outcome outcome, boolean preflightFromCache) {}

  /** Answers the engine with what the browser recorded; null when the HAR lacks it. */
  private record Recorded(HarEntry actual, HarEntry preflight) {
    Reply reply(OutgoingRequest out) {
      if (out.kind() == OutgoingRequest.Kind.PREFLIGHT) {
        return preflight == null ? null : HarTranslation.reply(preflight);
      }
      if (actual == null || !out.url().equals(actual.request().url())) {
        return null;
      }
      return HarTranslation.reply(actual);
    }
  }
}
