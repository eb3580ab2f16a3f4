package io.corsdoctor.report;

import io.corsdoctor.check.AddressCheck;
import io.corsdoctor.check.AnsweredProbe;
import io.corsdoctor.check.CheckResult;
import io.corsdoctor.check.Finding;
import io.corsdoctor.check.Severity;
import io.corsdoctor.cors.ChromeVerdict;
import io.corsdoctor.cors.FirefoxVerdict;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.net.ProbeResult;
import io.corsdoctor.ports.Listener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code check} for people: the evidence first (who listens, what each address answered), then the
 * findings, the browsers' own messages, and last the verdict and the fix.
 */
public final class CheckText {
  private CheckText() {}

  public static String render(CheckResult r, Ansi ansi) {
    StringBuilder b = new StringBuilder();
    var q = r.request();
    b.append(bold(ansi, "cors-doctor check"))
        .append("  ")
        .append(q.method())
        .append(' ')
        .append(q.url())
        .append("  from origin ")
        .append(q.origin().serialize())
        .append("\n\n");
    listeners(b, r, ansi);
    addresses(b, r, ansi);
    findings(b, r, ansi);
    browsers(b, r, ansi);
    verdict(b, r, ansi);
    return b.toString();
  }

  private static void listeners(StringBuilder b, CheckResult r, Ansi ansi) {
    b.append(bold(ansi, "Who listens on port " + r.port())).append('\n');
    if (r.listeners().isEmpty()) {
      b.append(
          r.ownersNote() == null
              ? "  nobody (no listening socket on this port)\n"
              : "  (not known: " + r.ownersNote() + ")\n");
    }
    for (Listener l : r.listeners()) {
      b.append("  ")
          .append(l.address().contains(":") ? "[" + l.address() + "]" : l.address())
          .append(':')
          .append(l.port())
          .append("  ")
          .append(l.family())
          .append("  ")
          .append(
              l.owner() == null
                  ? "owner hidden" + (l.hiddenReason() == null ? "" : " (" + l.hiddenReason() + ")")
                  : l.owner().name()
                      + " (pid "
                      + l.owner().pid()
                      + ")"
                      + (l.owner().command() == null ? "" : "  " + l.owner().command()))
          .append('\n');
    }
    b.append('\n');
  }

  private static void addresses(StringBuilder b, CheckResult r, Ansi ansi) {
    b.append(bold(ansi, "What each address answered")).append('\n');
    for (AddressCheck a : r.addresses()) {
      List<String> roles = new ArrayList<>();
      if (a == r.chrome()) {
        roles.add("Chromium uses this one");
      }
      if (a == r.firefox()) {
        roles.add("Firefox uses this one");
      }
      b.append("  ")
          .append(bold(ansi, a.text()))
          .append(roles.isEmpty() ? "" : "  (" + String.join(", ", roles) + ")")
          .append('\n');
      for (AnsweredProbe p : a.probes()) {
        probe(b, p);
      }
      b.append("    => ").append(outcome(a)).append('\n');
    }
    b.append('\n');
  }

  private static void probe(StringBuilder b, AnsweredProbe p) {
    ProbeResult r = p.result();
    b.append("    ")
        .append(r.request().method())
        .append(' ')
        .append(r.request().url())
        .append(p.extra() ? "  (sent anyway: a browser would not)" : "")
        .append('\n');
    if (r.connected()) {
      b.append("      answered by ").append(p.answererText()).append('\n');
    }
    HttpReply h = r.http();
    if (h != null || r.statusLine() != null) {
      b.append("      ").append(h != null ? h.statusLine() : r.printableStatusLine()).append('\n');
      for (String line : r.rawHeaderLines()) {
        b.append("      ").append(shorten(line)).append('\n');
      }
    }
    if (r.failure() != null) {
      String detail =
          r.failure().error() == NetError.INVALID_HTTP_RESPONSE
              ? "not HTTP (see the first line above)"
              : r.failure().detail().lines().findFirst().orElse("");
      b.append("      ")
          .append(r.failure().error().chromiumName())
          .append(": ")
          .append(shorten(detail))
          .append('\n');
    }
  }

  private static String outcome(AddressCheck a) {
    var v = a.verdict();
    ChromeVerdict c = v.chrome();
    if (v.outcome() == Outcome.PASS) {
      return "Chromium: pass";
    }
    if (c.corsError() != null) {
      return "Chromium: blocked (" + c.corsError() + ")";
    }
    return "Chromium: network error"
        + (c.netError() == null ? "" : " (" + c.netError().chromiumName() + ")");
  }

  private static void findings(StringBuilder b, CheckResult r, Ansi ansi) {
    if (r.findings().isEmpty()) {
      return;
    }
    b.append(bold(ansi, "Findings")).append('\n');
    for (Finding f : r.findings()) {
      String mark =
          f.severity() == Severity.error ? "x" : f.severity() == Severity.warning ? "!" : "i";
      String style =
          f.severity() == Severity.error
              ? "red"
              : f.severity() == Severity.warning ? "yellow" : "faint";
      b.append("  ")
          .append(ansi.string("@|" + style + " " + mark + " " + f.code().name() + "|@"))
          .append('\n');
      b.append("    ").append(f.summary()).append('\n');
      for (String e : f.evidence()) {
        b.append("      ").append(shorten(e)).append('\n');
      }
    }
    b.append('\n');
  }

  private static void browsers(StringBuilder b, CheckResult r, Ansi ansi) {
    ChromeVerdict c = r.chrome().verdict().chrome();
    b.append(bold(ansi, "Chromium (via " + r.chrome().text() + ") prints")).append('\n');
    if (c.message() != null) {
      b.append("  ").append(c.message()).append('\n');
    }
    if (c.networkLine() != null) {
      b.append("  ").append(c.networkLine()).append('\n');
    }
    if (c.message() == null && c.networkLine() == null) {
      b.append("  nothing: the request passes\n");
    }
    FirefoxVerdict f = r.firefox().verdict().firefox();
    b.append(bold(ansi, "Firefox (via " + r.firefox().text() + ")")).append('\n');
    if (f.messages().isEmpty()) {
      b.append("  ")
          .append(f.outcome() == Outcome.PASS ? "passes" : f.outcome().token())
          .append('\n');
    }
    for (int i = 0; i < f.messages().size(); i++) {
      b.append("  ")
          .append(f.messages().get(i))
          .append(i < f.reasons().size() ? "  [" + f.reasons().get(i) + "]" : "")
          .append('\n');
    }
    b.append('\n');
  }

  private static void verdict(StringBuilder b, CheckResult r, Ansi ansi) {
    Outcome o = r.outcome();
    String word =
        r.unreachable()
            ? "UNREACHABLE"
            : o == Outcome.PASS
                ? (r.ok() ? "PASS" : "PASS, BUT")
                : o == Outcome.BLOCKED ? "BLOCKED" : "NETWORK ERROR";
    String style = o == Outcome.PASS && r.ok() ? "bold,green" : "bold,red";
    String headline =
        r.findings().isEmpty()
            ? (o == Outcome.PASS
                ? "The page at " + r.request().origin().serialize() + " can read this response."
                : "The browser does not let the page read this response.")
            : r.findings().get(0).summary();
    b.append(ansi.string("@|" + style + " " + word + "|@"))
        .append("  ")
        .append(headline)
        .append('\n');
    Set<String> fixes = new LinkedHashSet<>();
    for (Finding f : r.findings()) {
      if (f.severity() == Severity.error && !f.fix().isEmpty() && fixes.size() < 5) {
        fixes.add(f.fix().get(0));
      }
    }
    if (!fixes.isEmpty()) {
      b.append(bold(ansi, "Fix")).append('\n');
      int i = 1;
      for (String fix : fixes) {
        b.append("  ").append(i++).append(". ").append(fix).append('\n');
      }
    }
  }

  private static String bold(Ansi ansi, String text) {
    return ansi.string("@|bold " + text.replace("|@", "| @") + "|@");
  }

  private static String shorten(String line) {
    return line.length() > 300
        ? line.substring(0, 300) + "... (" + line.length() + " chars)"
        : line;
  }
}
