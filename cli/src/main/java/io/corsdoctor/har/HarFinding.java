package io.corsdoctor.har;

import java.util.List;
import java.util.Objects;

/**
 * Something the recording shows beside the browser's verdict: who answered, what the headers look
 * like, what the browser recorded. Data only; the words for people live in the report layer.
 *
 * @param code the stable id (appears in JSON: add, never rename)
 * @param evidence recorded facts that show it, e.g. {@code preflight (entry 1): Server:
 *     AirTunes/620.8.2 from ::1}
 */
public record HarFinding(Code code, List<String> evidence) {

  public HarFinding {
    Objects.requireNonNull(code, "code");
    evidence = List.copyOf(evidence);
  }

  /** Finding ids, with how serious each is. */
  public enum Code {
    /** The preflight's answer came from another server or address than the request's. */
    PREFLIGHT_ANSWERED_BY_OTHER_SERVER("error"),
    /** macOS AirPlay Receiver ({@code Server: AirTunes}) answered: it squats ports 5000/7000. */
    KNOWN_SQUATTER_AIRPLAY_RECEIVER("error"),
    /** Access-Control-Allow-Origin sent twice or with several values. */
    DUPLICATE_ALLOW_ORIGIN("error"),
    /** The preflight was answered with a redirect. */
    PREFLIGHT_REDIRECT("error"),
    /** An error status without CORS headers: the page sees a CORS error, not the status. */
    ERROR_RESPONSE_WITHOUT_CORS_HEADERS("warning"),
    /** The request needed a preflight that is not in the HAR, or it came from a cache. */
    PREFLIGHT_FROM_CACHE("info"),
    /** The browser recorded a failure ({@code _error}, status 0) for the request. */
    BLOCKED_BY_BROWSER("warning");

    private final String severity;

    Code(String severity) {
      this.severity = severity;
    }

    /** {@code error}, {@code warning} or {@code info}. */
    public String severity() {
      return severity;
    }
  }
}
