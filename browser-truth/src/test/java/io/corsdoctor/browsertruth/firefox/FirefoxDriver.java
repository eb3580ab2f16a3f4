package io.corsdoctor.browsertruth.firefox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.corsdoctor.browsertruth.BrowserDriver;
import io.corsdoctor.browsertruth.BrowserProcess;
import io.corsdoctor.browsertruth.StepObservation;
import io.corsdoctor.browsertruth.StepObservation.ConsoleEntry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Headless Firefox (Debian's {@code firefox-esr}) driven over its built-in WebDriver BiDi agent.
 * Each visit runs in a fresh user context (its own cookie jar and preflight cache) and a new tab;
 * the console lines are BiDi {@code log.entryAdded} entries of that tab. Firefox reports no
 * DevTools network entries or CORS issues here: its verdict is read from the console (the CORS
 * lines, with their exact text) and from what the page's script saw.
 */
public final class FirefoxDriver implements BrowserDriver {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  /** After the script settles, how long late console lines may still arrive. */
  private static final long SETTLE_MS = 300;

  /**
   * How much longer a failed request may wait for its first console line: Firefox logs every
   * blocked request, and on a loaded machine (load 15-30 on 2 cores) the line came later than
   * {@link #SETTLE_MS} now and then, which made a scenario fail with "Firefox logged []".
   */
  private static final long LATE_LINE_MS = 1500;

  private final BrowserProcess process;
  private final Bidi bidi;
  private final String version;
  private final List<JsonNode> events = new ArrayList<>();

  private FirefoxDriver(BrowserProcess process, Bidi bidi, String version) {
    this.process = process;
    this.bidi = bidi;
    this.version = version;
  }

  /** Starts Firefox with a fresh profile holding {@code userJs} and opens a BiDi session. */
  public static FirefoxDriver launch(Path binary, String userJs) throws IOException {
    BrowserProcess process = FirefoxProcess.launch(binary, userJs);
    Bidi bidi = null;
    try {
      bidi = Bidi.connect(process.endpoint(), COMMAND_TIMEOUT);
      ObjectNode caps = Bidi.params();
      caps.putObject("capabilities");
      JsonNode session = bidi.send("session.new", caps, COMMAND_TIMEOUT);
      FirefoxDriver driver =
          new FirefoxDriver(
              process, bidi, session.path("capabilities").path("browserVersion").asText("unknown"));
      bidi.onEvent(driver::record);
      ObjectNode subscribe = Bidi.params();
      subscribe.putArray("events").add("log.entryAdded");
      bidi.send("session.subscribe", subscribe, COMMAND_TIMEOUT);
      return driver;
    } catch (IOException | RuntimeException e) {
      if (bidi != null) {
        bidi.close();
      }
      process.close();
      throw e;
    }
  }

  private void record(JsonNode event) {
    if ("log.entryAdded".equals(event.path("method").asText())) {
      synchronized (events) {
        events.add(event.path("params"));
      }
    }
  }

  @Override
  public String name() {
    return "firefox";
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public Visit visit(VisitPlan plan) throws Exception {
    String userContext =
        bidi.send("browser.createUserContext", Bidi.params(), COMMAND_TIMEOUT)
            .path("userContext")
            .asText();
    try {
      for (Cookie cookie : plan.cookies()) {
        ObjectNode p = Bidi.params();
        ObjectNode c = p.putObject("cookie");
        c.put("name", cookie.name());
        c.putObject("value").put("type", "string").put("value", cookie.value());
        c.put("domain", URI.create(cookie.url()).getHost());
        c.put("path", "/");
        p.putObject("partition").put("type", "storageKey").put("userContext", userContext);
        bidi.send("storage.setCookie", p, COMMAND_TIMEOUT);
      }
      ObjectNode create = Bidi.params();
      create.put("type", "tab");
      create.put("userContext", userContext);
      String context =
          bidi.send("browsingContext.create", create, COMMAND_TIMEOUT).path("context").asText();
      ObjectNode navigate = Bidi.params();
      navigate.put("context", context);
      navigate.put("url", plan.pageUrl());
      navigate.put("wait", "complete");
      bidi.send("browsingContext.navigate", navigate, COMMAND_TIMEOUT);
      List<StepObservation> steps = new ArrayList<>();
      for (StepPlan step : plan.steps()) {
        if (step.sleepBeforeMs() > 0) {
          Thread.sleep(step.sleepBeforeMs());
        }
        int from;
        synchronized (events) {
          from = events.size();
        }
        long startedAt = System.currentTimeMillis();
        ObjectNode evaluate = Bidi.params();
        evaluate.put(
            "expression", "Promise.resolve(" + step.script() + ").then(v => JSON.stringify(v))");
        evaluate.putObject("target").put("context", context);
        evaluate.put("awaitPromise", true);
        evaluate.put("resultOwnership", "none");
        JsonNode result = bidi.send("script.evaluate", evaluate, COMMAND_TIMEOUT);
        String value =
            "success".equals(result.path("type").asText())
                ? result.path("result").path("value").asText()
                : "{\"outcome\":\"threw\",\"error\":"
                    + Bidi.JSON.writeValueAsString(
                        result.path("exceptionDetails").path("text").asText())
                    + "}";
        Thread.sleep(SETTLE_MS);
        boolean failed = value.matches("(?s).*\"outcome\":\"(rejected|error|threw)\".*");
        for (long waited = 0;
            failed && waited < LATE_LINE_MS && console(context, from).isEmpty();
            waited += 50) {
          Thread.sleep(50);
        }
        steps.add(
            new StepObservation(value, console(context, from), List.of(), List.of(), startedAt));
      }
      ObjectNode close = Bidi.params();
      close.put("context", context);
      bidi.send("browsingContext.close", close, COMMAND_TIMEOUT);
      return new Visit(steps, null);
    } finally {
      ObjectNode remove = Bidi.params();
      remove.put("userContext", userContext);
      bidi.send("browser.removeUserContext", remove, COMMAND_TIMEOUT);
    }
  }

  /** The console lines of {@code context} since event {@code from}, in order. */
  private List<ConsoleEntry> console(String context, int from) {
    List<ConsoleEntry> out = new ArrayList<>();
    synchronized (events) {
      for (JsonNode e : events.subList(from, events.size())) {
        if (context.equals(e.path("source").path("context").asText())) {
          out.add(
              new ConsoleEntry(
                  e.path("type").asText(),
                  e.path("level").asText(),
                  e.path("text").asText(),
                  null));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      bidi.send("session.end", Bidi.params(), Duration.ofSeconds(5));
    } catch (IOException e) {
      // the process is ended below either way
    }
    bidi.close();
    process.close();
  }
}
