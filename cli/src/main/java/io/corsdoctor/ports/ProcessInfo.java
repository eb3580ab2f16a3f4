package io.corsdoctor.ports;

/**
 * A process, as far as the OS lets us see it.
 *
 * @param pid the process id
 * @param name the full process name (not truncated like lsof's {@code ControlCe})
 * @param command the command line, or null when unreadable
 * @param user the owning user, or null when unknown
 */
public record ProcessInfo(long pid, String name, String command, String user) {}
