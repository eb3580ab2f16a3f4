package io.corsdoctor.ports;

/**
 * What a connection to one address of the port reached, proven by connecting and identifying the
 * process that holds the server side of the established socket.
 *
 * @param address the address connected to ({@code 127.0.0.1}, {@code ::1}, ...)
 * @param outcome what the connection did
 * @param acceptor the process that accepted it, or null (refused, or the OS hides the owner)
 * @param listener the listener that took it, when it can be told, or null
 * @param note extra evidence or why the acceptor is unknown, or null
 */
public record Reach(
    String address, Outcome outcome, ProcessInfo acceptor, Listener listener, String note) {

  /** What connecting did. */
  public enum Outcome {
    /** Connected; see the acceptor. */
    ACCEPTED,
    /** Refused: nothing listens there for this address. */
    REFUSED,
    /** No answer within the timeout (a full accept queue, or a firewall). */
    TIMEOUT,
    /** Another failure (no route, address not configured...). */
    FAILED
  }

  public Long acceptorPid() {
    return acceptor == null ? null : acceptor.pid();
  }
}
