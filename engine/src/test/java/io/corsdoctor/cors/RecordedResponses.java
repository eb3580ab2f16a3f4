package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes a corpus server sent into a {@link Reply}, the way a browser's network stack
 * would hand them to CORS: an HTTP head, or a failure below HTTP (non-HTTP status line, conflicting
 * Content-Length). Test scaffolding for the corpus replays.
 */
final class RecordedResponses {
  private RecordedResponses() {}

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})(?: .*)?");

  /** The reply for a recorded raw response (ISO-8859-1 text, CRLF line ends). */
  static Reply parse(String raw) {
    int end = raw.indexOf("\r\n\r\n");
    int bodyStart = end < 0 ? raw.length() : end + 4;
    String head = end < 0 ? raw : raw.substring(0, end);
    String[] lines = head.split("\r\n", -1);
    Matcher m = STATUS_LINE.matcher(lines[0]);
    if (!m.matches()) {
      return new NetworkFailure(NetError.INVALID_HTTP_RESPONSE, head);
    }
    List<String> rawLines = new ArrayList<>();
    List<Header> headers = new ArrayList<>();
    String contentLength = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      rawLines.add(line);
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      Header h = new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
      if (h.is("Content-Length")) {
        if (contentLength != null && !contentLength.equals(h.value())) {
          return new NetworkFailure(NetError.RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH, head);
        }
        contentLength = h.value();
      }
      headers.add(h);
    }
    return new HttpReply(
        lines[0], Integer.parseInt(m.group(1)), headers, rawLines, raw.substring(bodyStart));
  }

  /** The reply for a recorded server action instead of bytes. */
  static Reply action(String action) {
    switch (action) {
      case "close":
        return new NetworkFailure(NetError.EMPTY_RESPONSE, "connection closed without a reply");
      case "reset":
        return new NetworkFailure(NetError.CONNECTION_RESET, "connection reset");
      case "hang":
        return new NetworkFailure(NetError.TIMED_OUT, "no reply");
      default:
        throw new IllegalArgumentException("unknown server action " + action);
    }
  }
}
