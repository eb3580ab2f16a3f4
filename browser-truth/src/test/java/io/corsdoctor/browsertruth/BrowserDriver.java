package io.corsdoctor.browsertruth;

import java.util.List;

/**
 * A real browser driven by the harness. One driver holds one browser process; every {@link #visit}
 * runs in a fresh, isolated context (empty preflight cache, cookies and socket pool), so a second
 * browser (Firefox over WebDriver BiDi) plugs in by implementing this interface.
 */
public interface BrowserDriver extends AutoCloseable {

  /** A short name for reports ("chromium"). */
  String name();

  /** The browser's version string, for reports. */
  String version();

  /**
   * Opens {@code plan.pageUrl()} in a fresh context, then runs each step's script there in order
   * and records what the browser reported while it ran.
   */
  Visit visit(VisitPlan plan) throws Exception;

  @Override
  void close();

  /** What to do in one fresh context. */
  record VisitPlan(
      String pageUrl,
      List<StepPlan> steps,
      List<Cookie> cookies,
      List<Grant> grants,
      boolean recordHar) {
    public VisitPlan {
      steps = List.copyOf(steps);
      cookies = List.copyOf(cookies);
      grants = List.copyOf(grants);
    }
  }

  /**
   * One script to evaluate in the page after waiting {@code sleepBeforeMs}. The script is an
   * expression whose value (or promise's value) is JSON-serialisable.
   */
  record StepPlan(long sleepBeforeMs, String script) {}

  /** A cookie set in the context before the page loads. */
  record Cookie(String name, String value, String url) {}

  /** A permission granted to an origin in the context before the page loads. */
  record Grant(String origin, List<String> permissions) {
    public Grant {
      permissions = List.copyOf(permissions);
    }
  }

  /** Everything the browser reported, per step; {@code harJson} is null unless asked for. */
  record Visit(List<StepObservation> steps, String harJson) {
    public Visit {
      steps = List.copyOf(steps);
    }
  }
}
