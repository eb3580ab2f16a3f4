package io.corsdoctor.ports;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Ends the owner of a port: a polite signal first (SIGTERM), a forceful one (SIGKILL) after a grace
 * period. Refuses PID 1, this tool's own process and its ancestors, and known system owners, and
 * says what to do instead.
 */
public final class Terminator {
  private final KnownPorts known;
  private final Set<Long> protectedPids;

  public Terminator(KnownPorts known) {
    this(known, selfAndAncestors());
  }

  Terminator(KnownPorts known, Set<Long> protectedPids) {
    this.known = known;
    this.protectedPids = Set.copyOf(protectedPids);
  }

  /** The pids of this JVM and every ancestor (the shell, the terminal, the IDE...). */
  static Set<Long> selfAndAncestors() {
    Set<Long> s = new HashSet<>();
    Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
    while (p.isPresent()) {
      s.add(p.get().pid());
      p = p.get().parent();
    }
    return s;
  }

  /** Why this listener must not be killed, or empty when it may be. */
  public Optional<String> refusal(Listener l) {
    ProcessInfo p = l.owner();
    if (p == null) {
      return Optional.of(
          "the owner of "
              + l.endpoint()
              + " is hidden ("
              + l.hiddenReason()
              + "); re-run with sudo to see and end it");
    }
    if (p.pid() <= 1) {
      return Optional.of(
          "pid "
              + p.pid()
              + " ("
              + p.name()
              + ") is the system's init process; ending it would stop the machine. Stop the"
              + " service that opened the port instead (e.g. `systemctl list-sockets`)");
    }
    if (protectedPids.contains(p.pid())) {
      return Optional.of(
          "pid "
              + p.pid()
              + " ("
              + p.name()
              + ") is cors-doctor itself or one of its parents (your shell or terminal); stop"
              + " that program yourself");
    }
    Optional<KnownPort> system = known.systemOwner(p, l.port());
    if (system.isPresent()) {
      return Optional.of(
          p.name()
              + " (pid "
              + p.pid()
              + ") is "
              + system.get().title()
              + ". "
              + system.get().instead());
    }
    return Optional.empty();
  }

  /** What happened to one process. */
  public enum Ending {
    /** Ended after the polite signal. */
    TERMINATED,
    /** Ended only after the forceful signal. */
    KILLED,
    /** Already gone. */
    GONE,
    /** Still running (no permission, or it ignores even SIGKILL, e.g. stuck in the kernel). */
    SURVIVED
  }

  /** Sends SIGTERM, waits up to {@code grace}, then SIGKILL and waits a little more. */
  public Ending end(long pid, Duration grace) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return Ending.GONE;
    }
    if (!h.get().destroy() && h.get().isAlive()) {
      return Ending.SURVIVED; // not allowed to signal it
    }
    if (waitForExit(h.get(), grace)) {
      return Ending.TERMINATED;
    }
    h.get().destroyForcibly();
    return waitForExit(h.get(), Duration.ofSeconds(2)) ? Ending.KILLED : Ending.SURVIVED;
  }

  private static boolean waitForExit(ProcessHandle h, Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    while (h.isAlive()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !h.isAlive();
      }
    }
    return true;
  }
}
