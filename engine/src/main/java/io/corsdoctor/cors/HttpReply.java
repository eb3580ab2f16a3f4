package io.corsdoctor.cors;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP response head as it arrived on the wire.
 *
 * @param statusLine the status line exactly as received, e.g. {@code HTTP/1.1 403 Forbidden}
 * @param status the status code
 * @param headers every header line in order, with its case and duplicates (name and value trimmed
 *     of the surrounding whitespace a browser ignores)
 * @param rawHeaderLines every header line exactly as received, for readers (Firefox) that treat odd
 *     lines differently
 * @param bodyPrefix the first bytes of the body, decoded as ISO-8859-1 (may be empty)
 */
public record HttpReply(
    String statusLine,
    int status,
    List<Header> headers,
    List<String> rawHeaderLines,
    String bodyPrefix)
    implements Reply {

  public HttpReply {
    Objects.requireNonNull(statusLine, "statusLine");
    headers = List.copyOf(headers);
    rawHeaderLines = List.copyOf(rawHeaderLines);
    bodyPrefix = bodyPrefix == null ? "" : bodyPrefix;
  }

  /** A reply built from parsed parts, with raw lines derived as {@code name: value}. */
  public static HttpReply of(int status, String reason, List<Header> headers) {
    return new HttpReply(
        "HTTP/1.1 " + status + (reason.isEmpty() ? "" : " " + reason),
        status,
        headers,
        headers.stream().map(Header::toString).toList(),
        "");
  }

  /** Every value of the named header, in order (names compare case-insensitively). */
  public List<String> values(String name) {
    return headers.stream().filter(h -> h.is(name)).map(Header::value).toList();
  }

  /** The value of the named header, or empty when absent; several lines are joined with ", ". */
  public Optional<String> combined(String name) {
    List<String> all = values(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", all));
  }
}
