package io.corsdoctor.check;

import io.corsdoctor.net.Fingerprint;
import io.corsdoctor.net.ProbeResult;
import io.corsdoctor.ports.ProcessInfo;
import java.util.Objects;

/**
 * A probe and who answered it.
 *
 * @param result what was sent and received
 * @param answeredBy the process that accepted the connection, or null when unseen
 * @param server what the reply says about the server software, or null
 * @param extra true for a request the browser would not have sent (--send-anyway)
 */
public record AnsweredProbe(
    ProbeResult result, ProcessInfo answeredBy, Fingerprint server, boolean extra) {
  public AnsweredProbe {
    Objects.requireNonNull(result, "result");
  }

  /** Who answered, as one comparable token: the PID when known, else the fingerprint, else null. */
  public String answererKey() {
    if (answeredBy != null) {
      return "pid:" + answeredBy.pid() + ":" + answeredBy.name();
    }
    if (server != null) {
      return "server:" + server.key();
    }
    return null;
  }

  /** Who answered, for people: {@code ControlCenter (pid 1046), AirPlay Receiver (AirTunes)}. */
  public String answererText() {
    StringBuilder b = new StringBuilder();
    if (answeredBy != null) {
      b.append(answeredBy.name()).append(" (pid ").append(answeredBy.pid()).append(')');
    }
    if (server != null) {
      b.append(b.length() > 0 ? ", " : "").append(server.product());
    }
    return b.length() == 0 ? "an unidentified process" : b.toString();
  }
}
