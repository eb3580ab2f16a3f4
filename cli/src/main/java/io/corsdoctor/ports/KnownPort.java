package io.corsdoctor.ports;

import java.util.List;
import java.util.Locale;

/**
 * One entry of the catalogue of known port owners ({@code known-ports.json}, see {@link
 * KnownPorts}).
 *
 * @param id stable identifier (appears in JSON output)
 * @param kind {@code system} (never kill: see {@link #instead}), {@code relay}, {@code emulator},
 *     {@code dev-server} or {@code service}
 * @param os {@code macos}, {@code windows}, {@code linux} or {@code any}
 * @param ports the ports it uses by default (empty: any port, recognised by process)
 * @param title what it is, in a few words
 * @param processNames process names that identify it (case-insensitive)
 * @param commandContains command-line fragments that identify it on its default port
 * @param pid a fixed process id that identifies it (Windows' System is 4), or null
 * @param movesWhenBusy true when it silently takes another port if its own is busy
 * @param advice what a user needs to know and do
 * @param instead what to do instead of killing it (for system owners), or null
 * @param evidence where the facts come from, or null
 */
public record KnownPort(
    String id,
    String kind,
    String os,
    List<Integer> ports,
    String title,
    List<String> processNames,
    List<String> commandContains,
    Long pid,
    boolean movesWhenBusy,
    String advice,
    String instead,
    String evidence) {

  public KnownPort {
    ports = ports == null ? List.of() : List.copyOf(ports);
    processNames = processNames == null ? List.of() : List.copyOf(processNames);
    commandContains = commandContains == null ? List.of() : List.copyOf(commandContains);
  }

  /** A system owner: killing it is refused, {@link #instead} says what to do. */
  public boolean system() {
    return "system".equals(kind);
  }

  /** True when this entry recognises {@code process} listening on {@code port}. */
  public boolean recognises(ProcessInfo process, int port) {
    if (process == null) {
      return false;
    }
    if (pid != null && pid != process.pid()) {
      return false;
    }
    String name = process.name() == null ? "" : process.name().toLowerCase(Locale.ROOT);
    for (String n : processNames) {
      if (name.equals(n.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    if (ports.contains(port) && process.command() != null) {
      String cmd = process.command().toLowerCase(Locale.ROOT);
      for (String fragment : commandContains) {
        if (cmd.contains(fragment.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A catalogue entry that concerns a port.
   *
   * @param entry the catalogue entry
   * @param pid the listener it recognised, or null when it only names the port's default user
   */
  public record Match(KnownPort entry, Long pid) {}
}
