package io.corsdoctor.report;

import io.corsdoctor.ports.KnownPort;
import io.corsdoctor.ports.KnownPorts;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.ListenerWatch;
import io.corsdoctor.ports.PortReport;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help.Ansi;

/** Renders {@code ports}: one line per listener, dev-relevant ones first; a summary last. */
public final class PortsText {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  private final Ansi ansi;
  private final KnownPorts known;

  public PortsText(Ansi ansi, KnownPorts known) {
    this.ansi = ansi;
    this.known = known;
  }

  public String render(List<PortReport> reports) {
    StringBuilder sb = new StringBuilder();
    boolean inDev = false;
    boolean inOther = false;
    int listeners = 0;
    int hidden = 0;
    for (PortReport r : reports) {
      boolean dev = r.listeners().stream().anyMatch(known::devRelevant);
      if (dev && !inDev) {
        sb.append(ansi.string("@|bold Dev servers, emulators and known squatters|@\n"));
        inDev = true;
      }
      if (!dev && !inOther) {
        sb.append(ansi.string("@|bold Other listeners|@\n"));
        inOther = true;
      }
      String knownText =
          r.known().stream()
              .filter(m -> m.pid() != null || "any".equals(m.entry().os()))
              .map(KnownPort.Match::entry)
              .map(KnownPort::title)
              .findFirst()
              .map(t -> "  [" + t + "]")
              .orElse("");
      for (Listener l : r.listeners()) {
        listeners++;
        hidden += l.owner() == null ? 1 : 0;
        sb.append("  ").append(line(l)).append(knownText).append('\n');
      }
    }
    sb.append(listeners)
        .append(" listener")
        .append(listeners == 1 ? "" : "s")
        .append(" on ")
        .append(reports.size())
        .append(" port")
        .append(reports.size() == 1 ? "" : "s");
    if (hidden > 0) {
      sb.append("; the owners of ")
          .append(hidden)
          .append(" are hidden by the OS (run with sudo to see them)");
    }
    sb.append(". `cors-doctor port N` shows whom a connection to a port reaches.\n");
    return sb.toString();
  }

  /** {@code 5000 127.0.0.1 IPv4 pid 4242 python3 (dev) python3 -m flask run}. */
  String line(Listener l) {
    StringBuilder sb = new StringBuilder();
    sb.append(pad(Integer.toString(l.port()), 6))
        .append(pad(l.address(), 16))
        .append(pad(PortText.familyText(l), 17));
    if (l.owner() == null) {
      sb.append(ansi.string("@|yellow hidden|@"))
          .append(l.socketUser() == null ? "" : " (user " + l.socketUser() + ")");
    } else {
      sb.append("pid ")
          .append(pad(Long.toString(l.owner().pid()), 7))
          .append(ansi.string("@|bold " + l.owner().name() + "|@"))
          .append(l.owner().user() == null ? "" : " (" + l.owner().user() + ")");
      if (l.owner().command() != null) {
        String c = l.owner().command();
        sb.append("  ").append(c.length() > 80 ? c.substring(0, 77) + "..." : c);
      }
    }
    return sb.toString();
  }

  public String change(Instant at, ListenerWatch.Change c) {
    return CLOCK.format(at)
        + " "
        + (c.appeared() ? ansi.string("@|green +|@") : ansi.string("@|red -|@"))
        + " "
        + line(c.listener());
  }

  private static String pad(String s, int width) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.append(' ').toString();
  }
}
