package io.corsdoctor.ports;

import java.time.Instant;

/**
 * A process, as far as the OS lets us see it.
 *
 * @param pid the process id
 * @param name the full process name (not truncated like lsof's {@code ControlCe})
 * @param command the command line, or null when unreadable
 * @param user the owning user, or null when unknown
 * @param parentPid the parent's process id, or null when unknown
 * @param startTime when the process started, or null when unknown
 * @param cwd the working directory, or null when unreadable (other users' processes)
 */
public record ProcessInfo(
    long pid,
    String name,
    String command,
    String user,
    Long parentPid,
    Instant startTime,
    String cwd) {

  /** The four facts every backend knows; the others unknown. */
  public ProcessInfo(long pid, String name, String command, String user) {
    this(pid, name, command, user, null, null, null);
  }
}
