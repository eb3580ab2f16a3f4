package io.corsdoctor.check;

import java.util.List;
import java.util.Objects;

/**
 * One thing the doctor found, in words ready to show: the stable code scripts rely on, a one-line
 * summary, the evidence seen on the wire, and what to do.
 *
 * @param code stable id ({@code PREFLIGHT_ANSWERED_BY_OTHER_PROCESS}, ...): never renamed
 * @param severity error, warning or info
 * @param summary one sentence: what is wrong
 * @param evidence what was observed, one fact a line
 * @param fix what to do, most specific first (the recognised framework's own switch)
 */
public record Finding(
    FindingCode code, Severity severity, String summary, List<String> evidence, List<String> fix) {
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(summary, "summary");
    evidence = List.copyOf(evidence);
    fix = List.copyOf(fix);
  }
}
