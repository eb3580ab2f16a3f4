package io.corsdoctor.browsertruth.chromium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.corsdoctor.browsertruth.BrowserDriver;
import io.corsdoctor.browsertruth.BrowserProcess;
import io.corsdoctor.browsertruth.StepObservation;
import io.corsdoctor.browsertruth.StepObservation.ConsoleEntry;
import io.corsdoctor.browsertruth.StepObservation.NetworkEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Headless Chromium over the DevTools protocol, without WebDriver: one browser process, one
 * WebSocket, and a fresh browser context ({@code Target.createBrowserContext}) per visit.
 */
public final class ChromiumDriver implements BrowserDriver {
  /** How long one script may run (slow-reply scenarios stay well below). */
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(20);

  /** After the script settles, how long to wait for the requests it started to end. */
  private static final long SETTLE_LIMIT_MS = 3000;

  /** Quiet time after the last event before a step is considered over. */
  private static final long QUIET_MS = 40;

  private final BrowserProcess process;
  private final Cdp cdp;
  private final String version;
  private final ExecutorService preparer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "chromium-tab-preparer");
            t.setDaemon(true);
            return t;
          });
  private CompletableFuture<Tab> nextTab;

  private ChromiumDriver(BrowserProcess process, Cdp cdp, String version) {
    this.process = process;
    this.cdp = cdp;
    this.version = version;
  }

  /** Starts Chromium with the base flags plus {@code extraFlags}. */
  public static ChromiumDriver launch(Path binary, List<String> extraFlags) throws IOException {
    BrowserProcess process = ChromiumProcess.launch(binary, extraFlags);
    try {
      Cdp cdp = Cdp.connect(process.endpoint());
      String version = cdp.call("", "Browser.getVersion", Cdp.params()).path("product").asText();
      return new ChromiumDriver(process, cdp, version);
    } catch (IOException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "chromium";
  }

  @Override
  public String version() {
    return version;
  }

  /** A fresh context with one blank page, attached and listening. */
  private record Tab(String context, String session, EventLog log) {}

  /** Opens a tab (context, target, session, domains enabled). */
  private Tab openTab() {
    ObjectNode p = Cdp.params();
    p.put("disposeOnDetach", true);
    String context =
        cdp.call("", "Target.createBrowserContext", p).path("browserContextId").asText();
    ObjectNode t = Cdp.params();
    t.put("url", "about:blank");
    t.put("browserContextId", context);
    String target = cdp.call("", "Target.createTarget", t).path("targetId").asText();
    ObjectNode a = Cdp.params();
    a.put("targetId", target);
    a.put("flatten", true);
    String session = cdp.call("", "Target.attachToTarget", a).path("sessionId").asText();
    EventLog log = new EventLog();
    cdp.listen(session, log::add);
    List<CompletableFuture<JsonNode>> enabled = new ArrayList<>();
    for (String domain : List.of("Network", "Log", "Runtime", "Page", "Audits")) {
      enabled.add(cdp.send(session, domain + ".enable", Cdp.params()));
    }
    enabled.forEach(CompletableFuture::join);
    return new Tab(context, session, log);
  }

  /**
   * Opens the next visit's tab in the background while the current visit runs: a new context starts
   * a renderer process, which is most of a visit's cost.
   */
  private CompletableFuture<Tab> prepareTab() {
    return CompletableFuture.supplyAsync(this::openTab, preparer);
  }

  private void dispose(Tab tab) {
    cdp.unlisten(tab.session());
    ObjectNode d = Cdp.params();
    d.put("browserContextId", tab.context());
    // Not awaited: the next visit already has its own context.
    cdp.send("", "Target.disposeBrowserContext", d);
  }

  @Override
  public Visit visit(VisitPlan plan) throws Exception {
    long t0 = System.nanoTime();
    Tab tab = (nextTab != null ? nextTab : prepareTab()).get(30, TimeUnit.SECONDS);
    nextTab = prepareTab();
    trace("attached", t0);
    String session = tab.session();
    EventLog log = tab.log();
    try {
      for (BrowserDriver.Grant grant : plan.grants()) {
        ObjectNode g = Cdp.params();
        g.put("origin", grant.origin());
        g.put("browserContextId", tab.context());
        ArrayNode perms = g.putArray("permissions");
        grant.permissions().forEach(perms::add);
        cdp.call("", "Browser.grantPermissions", g);
      }
      if (!plan.cookies().isEmpty()) {
        ObjectNode c = Cdp.params();
        c.put("browserContextId", tab.context());
        ArrayNode cookies = c.putArray("cookies");
        for (BrowserDriver.Cookie cookie : plan.cookies()) {
          cookies
              .addObject()
              .put("name", cookie.name())
              .put("value", cookie.value())
              .put("url", cookie.url());
        }
        cdp.call("", "Storage.setCookies", c);
      }
      int mark = log.size();
      ObjectNode nav = Cdp.params();
      nav.put("url", plan.pageUrl());
      JsonNode navigated = cdp.call(session, "Page.navigate", nav);
      if (navigated.has("errorText")) {
        throw new IOException(
            "the page " + plan.pageUrl() + " did not load: " + navigated.get("errorText").asText());
      }
      if (!log.await(events -> has(events, mark, "Page.loadEventFired"), 10_000)) {
        throw new IOException("the page " + plan.pageUrl() + " did not finish loading");
      }
      trace("loaded", t0);
      List<StepObservation> steps = new ArrayList<>();
      for (StepPlan step : plan.steps()) {
        if (step.sleepBeforeMs() > 0) {
          Thread.sleep(step.sleepBeforeMs());
        }
        steps.add(runStep(session, log, step));
        trace("step", t0);
      }
      String har = plan.recordHar() ? HarBuilder.build(log.all(), plan.pageUrl(), version) : null;
      return new Visit(steps, har);
    } finally {
      dispose(tab);
    }
  }

  private static final boolean TRACE = Boolean.getBoolean("browserTruth.trace");

  private static void trace(String what, long t0) {
    if (TRACE) {
      System.err.printf("browser-truth: %-9s %4d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private StepObservation runStep(String session, EventLog log, StepPlan step) {
    int mark = log.size();
    long startedAt = System.currentTimeMillis();
    ObjectNode e = Cdp.params();
    e.put("expression", step.script());
    e.put("awaitPromise", true);
    e.put("returnByValue", true);
    JsonNode evaluated = cdp.call(session, "Runtime.evaluate", e, SCRIPT_TIMEOUT);
    String result;
    if (evaluated.has("exceptionDetails")) {
      result =
          Cdp.JSON
              .createObjectNode()
              .put("outcome", "script-exception")
              .put(
                  "error",
                  evaluated
                      .path("exceptionDetails")
                      .path("exception")
                      .path("description")
                      .asText(evaluated.path("exceptionDetails").path("text").asText()))
              .toString();
    } else {
      result = evaluated.path("result").path("value").toString();
    }
    log.await(events -> requestsSettled(events, mark), SETTLE_LIMIT_MS);
    log.awaitQuiet(QUIET_MS, SETTLE_LIMIT_MS);
    return observe(log.since(mark), result, startedAt);
  }

  private static boolean has(List<Cdp.Event> events, int from, String method) {
    for (int i = from; i < events.size(); i++) {
      if (events.get(i).method().equals(method)) {
        return true;
      }
    }
    return false;
  }

  /** Every request that started since {@code from} has finished or failed. */
  private static boolean requestsSettled(List<Cdp.Event> events, int from) {
    Set<String> open = new HashSet<>();
    for (int i = from; i < events.size(); i++) {
      Cdp.Event ev = events.get(i);
      String id = ev.params().path("requestId").asText();
      switch (ev.method()) {
        case "Network.requestWillBeSent":
          open.add(id);
          break;
        case "Network.loadingFinished":
        case "Network.loadingFailed":
          open.remove(id);
          break;
        default:
          break;
      }
    }
    return open.isEmpty();
  }

  private static StepObservation observe(List<Cdp.Event> events, String result, long startedAt) {
    List<ConsoleEntry> console = new ArrayList<>();
    List<String> issues = new ArrayList<>();
    Map<String, Request> requests = new LinkedHashMap<>();
    for (Cdp.Event ev : events) {
      JsonNode p = ev.params();
      switch (ev.method()) {
        case "Log.entryAdded":
          JsonNode entry = p.path("entry");
          console.add(
              new ConsoleEntry(
                  entry.path("source").asText(),
                  entry.path("level").asText(),
                  entry.path("text").asText(),
                  entry.path("category").asText(null)));
          break;
        case "Audits.issueAdded":
          JsonNode cors = p.path("issue").path("details").path("corsIssueDetails");
          if (!cors.isMissingNode()) {
            issues.add(cors.path("corsErrorStatus").path("corsError").asText());
          }
          break;
        case "Network.requestWillBeSent":
          Request r = requests.computeIfAbsent(p.path("requestId").asText(), id -> new Request());
          if (r.method == null) {
            r.method = p.path("request").path("method").asText();
            r.initiator = p.path("initiator").path("type").asText();
          }
          if (p.has("redirectResponse")) {
            r.status = p.path("redirectResponse").path("status").asInt();
          }
          r.urls.add(p.path("request").path("url").asText());
          break;
        case "Network.responseReceived":
          Request got = requests.get(p.path("requestId").asText());
          if (got != null) {
            got.status = p.path("response").path("status").asInt();
            String ip = p.path("response").path("remoteIPAddress").asText("");
            got.remote = ip.isEmpty() ? null : ip + ":" + p.path("response").path("remotePort");
          }
          break;
        case "Network.loadingFailed":
          Request failed = requests.get(p.path("requestId").asText());
          if (failed != null) {
            failed.error = p.path("errorText").asText();
            JsonNode status = p.path("corsErrorStatus");
            if (!status.isMissingNode()) {
              failed.corsError = status.path("corsError").asText();
              failed.failedParameter = status.path("failedParameter").asText();
            }
          }
          break;
        default:
          break;
      }
    }
    List<NetworkEntry> network = new ArrayList<>();
    for (Request r : requests.values()) {
      network.add(
          new NetworkEntry(
              r.method,
              r.urls,
              r.initiator,
              r.status,
              r.remote,
              r.error,
              r.corsError,
              r.failedParameter));
    }
    return new StepObservation(result, console, network, issues, startedAt);
  }

  private static final class Request {
    String method;
    String initiator;
    final List<String> urls = new ArrayList<>();
    int status;
    String remote;
    String error;
    String corsError;
    String failedParameter;
  }

  @Override
  public void close() {
    if (nextTab != null) {
      try {
        dispose(nextTab.get(10, TimeUnit.SECONDS));
      } catch (Exception e) {
        // the browser is closed below anyway
      }
    }
    preparer.shutdownNow();
    try {
      cdp.call("", "Browser.close", Cdp.params(), Duration.ofSeconds(3));
    } catch (RuntimeException e) {
      // the process is ended below anyway
    }
    cdp.close();
    process.close();
  }

  /** The events of one session, with waits on conditions over them. */
  static final class EventLog {
    private final List<Cdp.Event> events = new ArrayList<>();
    private long lastEventNanos = System.nanoTime();

    synchronized void add(Cdp.Event event) {
      events.add(event);
      lastEventNanos = event.receivedNanos();
      notifyAll();
    }

    synchronized int size() {
      return events.size();
    }

    synchronized List<Cdp.Event> all() {
      return List.copyOf(events);
    }

    synchronized List<Cdp.Event> since(int mark) {
      return List.copyOf(events.subList(mark, events.size()));
    }

    /** Waits until {@code condition} holds over the events, at most {@code limitMs}. */
    synchronized boolean await(Predicate<List<Cdp.Event>> condition, long limitMs) {
      long deadline = System.nanoTime() + limitMs * 1_000_000;
      try {
        while (!condition.test(events)) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            return false;
          }
          wait(left);
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** Waits until no event arrived for {@code quietMs}, at most {@code limitMs}. */
    synchronized void awaitQuiet(long quietMs, long limitMs) {
      long deadline = System.nanoTime() + limitMs * 1_000_000;
      try {
        while (true) {
          long now = System.nanoTime();
          long quietLeft = (lastEventNanos + quietMs * 1_000_000 - now) / 1_000_000;
          if (quietLeft <= 0 || now >= deadline) {
            return;
          }
          wait(Math.max(1, Math.min(quietLeft, (deadline - now) / 1_000_000)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
