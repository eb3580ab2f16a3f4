package io.corsdoctor.cli;

import io.corsdoctor.ports.KnownPorts;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortInspector;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.ports.PortReport;
import io.corsdoctor.ports.Terminator;
import io.corsdoctor.report.Json;
import io.corsdoctor.report.PortJson;
import io.corsdoctor.report.PortText;
import java.io.Console;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cors-doctor port N...}: who listens, and whom a connection reaches. */
@Command(
    name = "port",
    mixinStandardHelpOptions = true,
    description = {
      "Who listens on a port: every TCP listener with bind address, IPv4/IPv6, PID, process,",
      "command line, user, start time and working directory; which process a connection to",
      "127.0.0.1, ::1 and localhost reaches (proven by connecting); what the port is known for."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Every port is free.",
      "1:A port is taken (or reserved).",
      "2:Usage error.",
      "3:Could not complete (cannot read the OS's socket table, refused to kill)."
    })
public final class PortCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PORT", description = "Port numbers (1-65535).")
  List<Integer> ports;

  @Option(
      names = "--kill",
      description = "End the processes listening on the port(s) after a confirmation.")
  boolean kill;

  @Option(names = "--yes", description = "With --kill: do not ask (for scripts).")
  boolean yes;

  @Option(
      names = "--grace",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description = "With --kill: seconds between SIGTERM and SIGKILL (default: ${DEFAULT-VALUE}).")
  int graceSeconds;

  @Option(
      names = "--no-connect",
      description = "List listeners only; do not connect to find out whom a connection reaches.")
  boolean noConnect;

  @Mixin OutputOptions out;

  @Spec CommandSpec spec;

  /** Asks the user; empty when there is no terminal to ask on. Tests replace it. */
  Function<String, Optional<Boolean>> confirm = PortCommand::askOnConsole;

  private static volatile long catalogueNanos;

  /** How long before the lookup the early work started (-1: it did not). */
  private long earlyNanos = -1;

  /**
   * What a run can start while picocli parses its arguments (tens of milliseconds on the main
   * thread, and the second core idle): the census of processes, the catalogue, and the first use of
   * sockets and of the resolver (class and native library initialisation, and localhost resolved
   * once, which the JDK then caches), about 10 ms of the lookup on a quiet machine.
   */
  private static final class Early {
    final PortOwners owners = PortOwners.forThisMachine();
    final io.corsdoctor.ports.Background<KnownPorts> catalogue = loadCatalogue();
    final long startedNanos = System.nanoTime();

    Early(List<Integer> ports) {
      owners.prepare(ports);
      io.corsdoctor.ports.PortInspector.warmUp();
    }
  }

  private static final java.util.concurrent.atomic.AtomicReference<Early> EARLY =
      new java.util.concurrent.atomic.AtomicReference<>();

  /**
   * Called by {@link Main#main} when the arguments name this command, before they are parsed; a run
   * that then fails to parse just exits. Not on one core: there it would slow the parsing.
   */
  static void startEarly(String[] args) {
    if (Runtime.getRuntime().availableProcessors() > 1) {
      EARLY.set(new Early(portsIn(args)));
    }
  }

  /**
   * The port numbers among unparsed arguments, for the search ahead of the owners of their
   * listeners: every number from 1 to 65535 (an option's value too, e.g. {@code --grace 5}, which
   * only makes it look for one more port's listeners).
   */
  static List<Integer> portsIn(String[] args) {
    List<Integer> ports = new ArrayList<>();
    for (String a : args) {
      int p = a.isEmpty() || a.length() > 5 ? -1 : 0;
      for (int i = 0; i < a.length() && p >= 0; i++) { // no stream: this runs before anything warm
        char c = a.charAt(i);
        p = c >= '0' && c <= '9' ? p * 10 + (c - '0') : -1;
      }
      if (p >= 1 && p <= 65535) {
        ports.add(p);
      }
    }
    return ports;
  }

  private static io.corsdoctor.ports.Background<KnownPorts> loadCatalogue() {
    return io.corsdoctor.ports.Background.start(
        "cors-doctor-catalogue",
        () -> {
          long t = System.nanoTime();
          KnownPorts k = KnownPorts.bundled();
          catalogueNanos = System.nanoTime() - t;
          return k;
        });
  }

  @Override
  public Integer call() {
    for (int p : ports) {
      if (p < 1 || p > 65535) {
        throw new UserError(
            ExitCodes.USAGE, "Port " + p + " is not a TCP port; give a number from 1 to 65535.");
      }
    }
    long t0 = System.nanoTime();
    Early early = EARLY.getAndSet(null);
    earlyNanos = early == null ? -1 : t0 - early.startedNanos;
    PortOwners owners = early != null ? early.owners : PortOwners.forThisMachine();
    // The catalogue loads on its own thread; the inspector asks for it once the sockets are known.
    io.corsdoctor.ports.Background<KnownPorts> catalogue =
        early != null ? early.catalogue : loadCatalogue();
    PortInspector inspector = new PortInspector(owners, catalogue::join, 1000);
    List<PortReport> reports = inspect(inspector, owners);
    long lookupNanos = System.nanoTime() - t0;
    PrintWriter w = spec.commandLine().getOut();
    render(w, reports);
    debug(owners, inspector, lookupNanos);
    if (kill) {
      return kill(w, inspector, owners, reports);
    }
    return exitCode(reports);
  }

  private List<PortReport> inspect(PortInspector inspector, PortOwners owners) {
    List<PortReport> reports = new ArrayList<>();
    try {
      for (int p : ports) {
        reports.add(
            noConnect ? inspector.listenersOnly(p, owners.listeners(p)) : inspector.inspect(p));
      }
    } catch (UncheckedIOException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "Could not read the list of sockets ("
              + e.getMessage()
              + "). Check that /proc is mounted and readable, or run with --debug.",
          e);
    }
    return reports;
  }

  private void render(PrintWriter w, List<PortReport> reports) {
    if (out.json()) {
      w.println(Json.write(PortJson.document(reports, !noConnect), System.console() != null));
    } else {
      PortText text = new PortText(out.ansi());
      for (int i = 0; i < reports.size(); i++) {
        if (i > 0) {
          w.println();
        }
        w.print(text.render(reports.get(i)));
      }
    }
    w.flush();
  }

  private void debug(PortOwners owners, PortInspector inspector, long nanos) {
    if (spec.root().commandLine().getParseResult().hasMatchedOption("--debug")
        || spec.commandLine().getParseResult().hasMatchedOption("--debug")) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          Locale.ROOT,
          "debug: lookup %.1f ms inside the JVM (catalogue loaded in %.1f ms meanwhile, %s); backend %s;"
              + " %s; JVM up %d ms before the lookup%n",
          nanos / 1e6,
          catalogueNanos / 1e6,
          inspector.timing(),
          owners.backendName(),
          earlyNanos < 0
              ? "nothing started early"
              : String.format(
                  Locale.ROOT,
                  "census, catalogue, sockets and resolver started %.1f ms earlier, while the"
                      + " arguments were parsed",
                  earlyNanos / 1e6),
          java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()
              - nanos / 1_000_000);
      err.flush();
    }
  }

  static int exitCode(List<PortReport> reports) {
    return reports.stream().allMatch(PortReport::free) ? ExitCodes.OK : ExitCodes.PROBLEM;
  }

  private int kill(
      PrintWriter w, PortInspector inspector, PortOwners owners, List<PortReport> reports) {
    Terminator terminator = new Terminator(KnownPorts.bundled());
    Map<Long, Listener> targets = new LinkedHashMap<>();
    List<String> refusals = new ArrayList<>();
    for (PortReport r : reports) {
      for (Listener l : r.listeners()) {
        Optional<String> no = terminator.refusal(l);
        if (no.isPresent()) {
          refusals.add("Not ending " + l.endpoint() + ": " + no.get() + ".");
        } else {
          targets.putIfAbsent(l.owner().pid(), l);
        }
      }
    }
    refusals.forEach(w::println);
    if (targets.isEmpty()) {
      w.println(
          refusals.isEmpty()
              ? "Nothing to end: nothing listens on " + portsText() + "."
              : "Nothing ended.");
      w.flush();
      return refusals.isEmpty() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }
    if (!yes) {
      StringBuilder q = new StringBuilder("End ");
      List<String> names = new ArrayList<>();
      for (Listener l : targets.values()) {
        names.add(l.owner().name() + " (pid " + l.owner().pid() + ", " + l.endpoint() + ")");
      }
      q.append(String.join(", ", names)).append("? [y/N] ");
      w.flush();
      Optional<Boolean> answer = confirm.apply(q.toString());
      if (answer.isEmpty()) {
        throw new UserError(
            ExitCodes.INCOMPLETE,
            "Refusing to end "
                + String.join(", ", names)
                + " without a confirmation, and there is no terminal to ask on. Pass --yes to"
                + " end it from a script.");
      }
      if (!answer.get()) {
        w.println("Nothing ended.");
        w.flush();
        return ExitCodes.PROBLEM;
      }
    }
    Duration grace = Duration.ofSeconds(Math.max(0, graceSeconds));
    boolean survived = false;
    for (Listener l : targets.values()) {
      Terminator.Ending e = terminator.end(l.owner().pid(), grace);
      w.println(endingText(l, e, graceSeconds));
      survived |= e == Terminator.Ending.SURVIVED;
    }
    List<PortReport> after = new ArrayList<>();
    for (int p : ports) {
      after.add(inspector.listenersOnly(p, owners.listeners(p)));
    }
    for (PortReport r : after) {
      w.println(
          r.listeners().isEmpty()
              ? "Port " + r.port() + " is now free on all addresses."
              : "Port " + r.port() + " is still held by " + r.listeners().size() + " listener(s).");
    }
    w.flush();
    if (survived) {
      return ExitCodes.INCOMPLETE;
    }
    return exitCode(after);
  }

  private static String endingText(Listener l, Terminator.Ending e, int grace) {
    String who = l.owner().name() + " (pid " + l.owner().pid() + ")";
    return switch (e) {
      case TERMINATED -> "Ended " + who + " with SIGTERM.";
      case KILLED -> "Ended " + who + " with SIGKILL: it ignored SIGTERM for " + grace + " s.";
      case GONE -> who + " had already exited.";
      case SURVIVED ->
          "Could not end "
              + who
              + ": no permission to signal it, or it ignores SIGKILL. Try sudo kill -9 "
              + l.owner().pid()
              + ".";
    };
  }

  private String portsText() {
    return ports.size() == 1 ? "port " + ports.get(0) : "ports " + ports;
  }

  private static Optional<Boolean> askOnConsole(String question) {
    Console c = System.console();
    if (c == null) {
      return Optional.empty();
    }
    String line = c.readLine("%s", question);
    if (line == null) {
      return Optional.empty();
    }
    String a = line.strip().toLowerCase(Locale.ROOT);
    return Optional.of(a.equals("y") || a.equals("yes"));
  }
}
