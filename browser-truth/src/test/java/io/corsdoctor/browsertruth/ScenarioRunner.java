package io.corsdoctor.browsertruth;

import io.corsdoctor.browsertruth.BrowserDriver.Cookie;
import io.corsdoctor.browsertruth.BrowserDriver.Grant;
import io.corsdoctor.browsertruth.BrowserDriver.StepPlan;
import io.corsdoctor.browsertruth.BrowserDriver.Visit;
import io.corsdoctor.browsertruth.BrowserDriver.VisitPlan;
import io.corsdoctor.browsertruth.Scenario.RequestSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs scenarios: binds the listeners a scenario names, serves its rules, has the browser make its
 * requests from the page origin in a fresh context, and collects what both sides saw.
 */
final class ScenarioRunner implements AutoCloseable {

  /** One request of a run: what the page asked, what the browser and the servers saw. */
  record StepRun(
      RequestSpec request,
      StepObservation observation,
      List<ScenarioServer.Received> received,
      BrowserFacts facts) {}

  /** One scenario's run; {@code server} stays open for the engine's questions until closed. */
  record Run(
      Scenario scenario,
      Topology topology,
      ScenarioServer server,
      List<StepRun> steps,
      String harJson,
      long millis)
      implements AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }

  private final Function<List<String>, BrowserDriver> launcher;
  private BrowserDriver shared;

  /** {@code launcher} starts a browser with extra flags (empty for the shared browser). */
  ScenarioRunner(Function<List<String>, BrowserDriver> launcher) {
    this.launcher = launcher;
  }

  BrowserDriver shared() {
    if (shared == null) {
      shared = launcher.apply(List.of());
    }
    return shared;
  }

  Run run(ScenarioFile file) throws Exception {
    long start = System.nanoTime();
    Topology topology = Topology.bind(Topology.namesIn(file.text()));
    Scenario scenario;
    ScenarioServer server;
    try {
      scenario = file.withPorts(topology);
      server = new ScenarioServer(topology, scenario.server().rules());
    } catch (RuntimeException e) {
      topology.close();
      throw e;
    }
    try {
      List<StepPlan> plans = new ArrayList<>();
      plans.add(new StepPlan(0, PageScript.of(scenario.request())));
      for (Scenario.FollowUp f : scenario.followUps()) {
        plans.add(new StepPlan(f.sleepBeforeMs(), PageScript.of(f.request())));
      }
      List<Grant> grants =
          scenario.permissions() == null
              ? List.of()
              : List.of(
                  new Grant(scenario.permissions().origin(), scenario.permissions().permissions()));
      List<Cookie> cookies =
          scenario.cookies().stream().map(c -> new Cookie(c.name(), c.value(), c.url())).toList();
      VisitPlan plan =
          new VisitPlan(
              pageUrl(scenario.request().origin()), plans, cookies, grants, scenario.har());
      Visit visit;
      if (scenario.browserArgs().isEmpty()) {
        visit = shared().visit(plan);
      } else {
        try (BrowserDriver own = launcher.apply(scenario.browserArgs())) {
          visit = own.visit(plan);
        }
      }
      List<ScenarioServer.Received> all = server.log();
      List<StepRun> steps = new ArrayList<>();
      List<RequestSpec> requests = scenario.requests();
      for (int i = 0; i < visit.steps().size(); i++) {
        StepObservation obs = visit.steps().get(i);
        long from = obs.startedAtMillis();
        long to =
            i + 1 < visit.steps().size()
                ? visit.steps().get(i + 1).startedAtMillis()
                : Long.MAX_VALUE;
        List<ScenarioServer.Received> received =
            all.stream()
                .filter(r -> r.atMillis() >= from && r.atMillis() < to)
                .filter(r -> !Topology.PAGE_LISTENERS.contains(r.name()) || !isPageLoad(r))
                .toList();
        steps.add(
            new StepRun(
                requests.get(i),
                obs,
                received,
                BrowserFacts.of(requests.get(i).url(), obs, received)));
      }
      return new Run(
          scenario,
          topology,
          server,
          steps,
          visit.harJson(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  private static boolean isPageLoad(ScenarioServer.Received r) {
    return r.target().equals("/") || r.target().equals("/favicon.ico");
  }

  /** The page the request is made from: the origin's root. */
  static String pageUrl(String origin) {
    return URI.create(origin + "/").toString();
  }

  @Override
  public void close() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }
}
