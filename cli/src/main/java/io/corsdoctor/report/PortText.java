package io.corsdoctor.report;

import io.corsdoctor.ports.KnownPort;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortRange;
import io.corsdoctor.ports.PortReport;
import io.corsdoctor.ports.ProcessInfo;
import io.corsdoctor.ports.Reach;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Help.Ansi;

/** Renders {@code port} results as text: the evidence first, the conclusion last. */
public final class PortText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  private final Ansi ansi;

  public PortText(Ansi ansi) {
    this.ansi = ansi;
  }

  public String render(PortReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append(ansi.string("@|bold Port " + r.port() + "|@")).append('\n');
    if (r.listeners().isEmpty()) {
      sb.append("  Listeners   none on any address (IPv4 or IPv6)\n");
    } else {
      sb.append("  Listeners\n");
      for (Listener l : r.listeners()) {
        listener(sb, l, "    ");
      }
    }
    for (PortRange range : r.reserved()) {
      sb.append("  Reserved    ")
          .append(range.first())
          .append('-')
          .append(range.last())
          .append(" (")
          .append(range.family())
          .append(range.administered() ? ", by an administrator" : "")
          .append(") per `")
          .append(range.source())
          .append("`\n");
    }
    if (!r.reaches().isEmpty()) {
      sb.append("  Connections (made now; the process holding the server side is named)\n");
      for (Reach reach : r.reaches()) {
        sb.append("    ").append(pad(reach.address(), 16)).append(reachText(reach)).append('\n');
      }
      if (!r.localhost().isEmpty()) {
        sb.append("    ")
            .append(pad("localhost", 16))
            .append("resolves to ")
            .append(String.join(", ", r.localhost()))
            .append(": ")
            .append(localhostSummary(r))
            .append('\n');
      }
    }
    for (String n : r.notes()) {
      sb.append("  Note        ").append(n).append('\n');
    }
    for (KnownPort.Match m : r.known()) {
      KnownPort e = m.entry();
      sb.append("  Known       ")
          .append(e.title())
          .append(osTag(e))
          .append(m.pid() != null ? " — this is pid " + m.pid() : "")
          .append('\n')
          .append("              ")
          .append(e.advice())
          .append('\n');
    }
    sb.append(conclusion(r)).append('\n');
    return sb.toString();
  }

  static String osTag(KnownPort e) {
    return switch (e.os()) {
      case "macos" -> " (macOS)";
      case "windows" -> " (Windows)";
      case "linux" -> " (Linux)";
      default -> "";
    };
  }

  void listener(StringBuilder sb, Listener l, String indent) {
    sb.append(indent).append(pad(l.endpoint(), 24)).append(pad(familyText(l), 20));
    ProcessInfo p = l.owner();
    if (p == null) {
      sb.append(ansi.string("@|yellow owner hidden|@"));
      if (l.socketUser() != null) {
        sb.append(" (socket of user ").append(l.socketUser()).append(')');
      }
      sb.append('\n').append(indent).append("  ").append(l.hiddenReason()).append('\n');
      return;
    }
    sb.append("pid ").append(p.pid()).append("  ").append(ansi.string("@|bold " + p.name() + "|@"));
    List<String> facts = new ArrayList<>();
    if (p.user() != null) {
      facts.add("user " + p.user());
    }
    if (p.startTime() != null) {
      facts.add("started " + TIME.format(p.startTime()));
    }
    if (p.parentPid() != null) {
      facts.add("parent " + p.parentPid());
    }
    if (!facts.isEmpty()) {
      sb.append(" (").append(String.join(", ", facts)).append(')');
    }
    sb.append('\n');
    if (p.command() != null) {
      sb.append(indent).append("  command ").append(p.command()).append('\n');
    }
    if (p.cwd() != null) {
      sb.append(indent).append("  cwd     ").append(p.cwd()).append('\n');
    }
  }

  static String familyText(Listener l) {
    if (l.family().equals("ipv4")) {
      return "IPv4";
    }
    if (Boolean.TRUE.equals(l.v6Only())) {
      return "IPv6 only";
    }
    if (Boolean.FALSE.equals(l.v6Only())) {
      return "IPv6+IPv4 (dual)";
    }
    return l.wildcard() ? "IPv6 (dual?)" : "IPv6";
  }

  private String reachText(Reach r) {
    return switch (r.outcome()) {
      case ACCEPTED ->
          r.acceptor() == null
              ? ansi.string("@|yellow accepted by a hidden process|@") + ": " + r.note()
              : "accepted by pid "
                  + r.acceptor().pid()
                  + " "
                  + ansi.string("@|bold " + r.acceptor().name() + "|@")
                  + (r.listener() != null ? " via " + r.listener().endpoint() : "");
      case REFUSED -> "refused (nothing listens for this address)";
      case TIMEOUT -> "timed out: " + r.note();
      case FAILED -> "failed: " + r.note();
    };
  }

  private static String localhostSummary(PortReport r) {
    List<String> parts = new ArrayList<>();
    for (String a : r.localhost()) {
      Reach reach = r.reachOf(a);
      parts.add(a + " -> " + (reach == null ? "?" : who(reach)));
    }
    return String.join("; ", parts);
  }

  static String who(Reach reach) {
    if (reach.outcome() != Reach.Outcome.ACCEPTED) {
      return reach.outcome().name().toLowerCase(Locale.ROOT);
    }
    return reach.acceptor() == null
        ? "hidden process"
        : reach.acceptor().name() + " (pid " + reach.acceptor().pid() + ")";
  }

  /** The last line(s): the verdict on the port. */
  String conclusion(PortReport r) {
    int port = r.port();
    if (r.listeners().isEmpty() && r.reserved().isEmpty()) {
      return ansi.string("@|green,bold FREE|@")
          + "  Port "
          + port
          + " is free on all addresses: nothing listens on it over IPv4 or IPv6.";
    }
    if (r.listeners().isEmpty()) {
      PortRange range = r.reserved().get(0);
      return ansi.string("@|red,bold RESERVED|@")
          + "  Nothing listens on port "
          + port
          + ", but Windows reserves "
          + range.first()
          + "-"
          + range.last()
          + ": binding it fails. Pick a port outside the range, or restart WinNAT (`net stop"
          + " winnat`, `net start winnat`) as administrator.";
    }
    Set<String> owners = new LinkedHashSet<>();
    for (Listener l : r.listeners()) {
      owners.add(
          l.owner() == null
              ? "a hidden process on " + l.endpoint()
              : l.owner().name() + " (pid " + l.owner().pid() + ") on " + l.endpoint());
    }
    StringBuilder sb = new StringBuilder(ansi.string("@|red,bold TAKEN|@"));
    sb.append("  Port ").append(port).append(" is held by ").append(String.join(", ", owners));
    sb.append('.');
    Set<String> reached =
        r.reaches().stream()
            .filter(x -> x.outcome() == Reach.Outcome.ACCEPTED)
            .map(PortText::who)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (reached.size() > 1) {
      sb.append(" Connections reach different processes depending on the address: ")
          .append(
              r.reaches().stream()
                  .map(x -> x.address() + " -> " + who(x))
                  .collect(Collectors.joining(", ")))
          .append(
              r.localhost().size() > 1
                  ? "; `localhost` resolves to "
                      + String.join(" and ", r.localhost())
                      + ", so requests to it reach either process and fail intermittently."
                  : "; `localhost` resolves to "
                      + String.join(", ", r.localhost())
                      + " here, but a browser or resolver that picks the other address reaches"
                      + " the other process.");
    }
    if (!r.hidden().isEmpty()) {
      sb.append(" Some owners are hidden by the OS: re-run with sudo to see them.");
    }
    return sb.toString();
  }

  private static String pad(String s, int width) {
    StringBuilder sb = new StringBuilder(s);
    while (sb.length() < width) {
      sb.append(' ');
    }
    return sb.append(' ').toString();
  }
}
