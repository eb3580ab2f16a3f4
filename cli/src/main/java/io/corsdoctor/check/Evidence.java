package io.corsdoctor.check;

import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.ports.Listener;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/** One-line descriptions of probes and listeners, shared by the findings' evidence. */
final class Evidence {
  private Evidence() {}

  /** {@code ::1 OPTIONS /sample -> HTTP/1.1 403 Forbidden [Server: AirTunes/620.8.2] by ...}. */
  static String probeLine(AnsweredProbe p) {
    var r = p.result();
    StringBuilder b = new StringBuilder();
    b.append(r.address())
        .append("  ")
        .append(r.request().method())
        .append(' ')
        .append(path(r.request()));
    b.append(p.extra() ? " (sent anyway)" : "").append(" -> ");
    if (r.reply() instanceof HttpReply h) {
      b.append(h.statusLine());
      String server = serverHeader(h);
      if (!server.isEmpty()) {
        b.append(" [").append(server.substring(2)).append(']');
      }
    } else {
      NetworkFailure f = (NetworkFailure) r.reply();
      String detail =
          f.error() == io.corsdoctor.cors.NetError.INVALID_HTTP_RESPONSE
              ? "starts with: " + r.printableStatusLine()
              : f.detail();
      b.append(f.error().chromiumName()).append(" (").append(detail).append(')');
    }
    if (r.connected()) {
      b.append(", answered by ").append(p.answererText());
    }
    return b.toString();
  }

  static String probeLines(List<AddressCheck> checks) {
    return checks.stream()
        .flatMap(c -> c.probes().stream())
        .map(Evidence::probeLine)
        .collect(Collectors.joining("\n"));
  }

  static String path(OutgoingRequest r) {
    URI u = URI.create(r.url());
    String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
  }

  /** {@code , Server: X} or {@code , X-Powered-By: X}, or empty. */
  static String serverHeader(HttpReply h) {
    for (String name : List.of("Server", "X-Powered-By")) {
      List<String> v = h.values(name);
      if (!v.isEmpty()) {
        return ", " + name + ": " + v.get(0);
      }
    }
    return "";
  }

  static String listenerLine(Listener l) {
    String who =
        l.owner() == null
            ? "owner hidden" + (l.hiddenReason() == null ? "" : " (" + l.hiddenReason() + ")")
            : l.owner().name() + " (pid " + l.owner().pid() + ")";
    String address = l.address().contains(":") ? "[" + l.address() + "]" : l.address();
    return address + ":" + l.port() + " " + l.family() + " - " + who;
  }
}
