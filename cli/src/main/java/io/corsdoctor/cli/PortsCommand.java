package io.corsdoctor.cli;

import io.corsdoctor.ports.KnownPorts;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.ListenerWatch;
import io.corsdoctor.ports.PortInspector;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.ports.PortReport;
import io.corsdoctor.report.Json;
import io.corsdoctor.report.PortJson;
import io.corsdoctor.report.PortsText;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cors-doctor ports}: every listener on the machine, dev-relevant ones first. */
@Command(
    name = "ports",
    mixinStandardHelpOptions = true,
    description = {
      "Every TCP listener on this machine, the ones a web developer runs first (dev servers,",
      "emulators, known squatters). --watch prints each listener that appears or disappears."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:Listed.", "2:Usage error.", "3:Could not read the OS's socket table."})
public final class PortsCommand implements Callable<Integer> {

  @Option(
      names = "--watch",
      description = "Keep running; print every listener that appears or disappears (Ctrl-C ends).")
  boolean watch;

  @Option(
      names = "--interval",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "With --watch: milliseconds between looks, 100-60000 (default: ${DEFAULT-VALUE}).")
  int intervalMillis;

  @Option(
      names = "--for",
      paramLabel = "SECONDS",
      description = "With --watch: stop after this many seconds (default: until interrupted).")
  Integer forSeconds;

  @Mixin OutputOptions out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if (intervalMillis < 100 || intervalMillis > 60_000) {
      throw new UserError(
          ExitCodes.USAGE,
          "--interval " + intervalMillis + " is out of range; give 100 to 60000 milliseconds.");
    }
    PortOwners owners = PortOwners.forThisMachine();
    KnownPorts known = KnownPorts.bundled();
    PrintWriter w = spec.commandLine().getOut();
    List<Listener> all = read(owners);
    if (!watch) {
      List<PortReport> reports = byPort(all, known, owners);
      if (out.json()) {
        w.println(Json.write(PortJson.document(reports, false), System.console() != null));
      } else {
        w.print(new PortsText(out.ansi(), known).render(reports));
      }
      w.flush();
      return ExitCodes.OK;
    }
    return watch(w, owners, all);
  }

  private int watch(PrintWriter w, PortOwners owners, List<Listener> first)
      throws InterruptedException {
    ListenerWatch watcher = new ListenerWatch();
    watcher.next(first);
    PortsText text = new PortsText(out.ansi(), KnownPorts.bundled());
    if (!out.json()) {
      w.println(
          "Watching "
              + first.size()
              + " listeners every "
              + intervalMillis
              + " ms; + appeared, - disappeared. Ctrl-C ends.");
      w.flush();
    }
    long end =
        forSeconds == null ? Long.MAX_VALUE : System.nanoTime() + forSeconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(intervalMillis, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      Instant now = Instant.now();
      for (ListenerWatch.Change c : watcher.next(read(owners))) {
        if (out.json()) {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("time", now.toString());
          event.put("event", c.appeared() ? "appeared" : "disappeared");
          event.put("listener", PortJson.listener(c.listener()));
          w.println(Json.write(event, false));
        } else {
          w.println(text.change(now, c));
        }
      }
      w.flush();
    }
    return ExitCodes.OK;
  }

  private static List<Listener> read(PortOwners owners) {
    try {
      return owners.allListeners();
    } catch (UncheckedIOException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "Could not read the list of sockets (" + e.getMessage() + "). Run with --debug.",
          e);
    }
  }

  /** One report per port, dev-relevant ports first, then by port number. */
  static List<PortReport> byPort(List<Listener> all, KnownPorts known, PortOwners owners) {
    Map<Integer, List<Listener>> ports = new TreeMap<>();
    for (Listener l : all) {
      ports.computeIfAbsent(l.port(), k -> new ArrayList<>()).add(l);
    }
    PortInspector inspector = new PortInspector(owners, known);
    List<PortReport> reports = new ArrayList<>();
    for (Map.Entry<Integer, List<Listener>> e : ports.entrySet()) {
      reports.add(inspector.listenersOnly(e.getKey(), e.getValue()));
    }
    reports.sort(
        Comparator.comparing((PortReport r) -> !r.listeners().stream().anyMatch(known::devRelevant))
            .thenComparingInt(PortReport::port));
    return reports;
  }
}
