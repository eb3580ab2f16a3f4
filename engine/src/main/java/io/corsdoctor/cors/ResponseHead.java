package io.corsdoctor.cors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the raw bytes of an HTTP/1.x response the way Chromium's network stack does ({@code
 * HttpStreamParser} and {@code HttpResponseHeaders}), and returns what the CORS engine judges: an
 * {@link HttpReply}, or the {@link NetworkFailure} Chromium reports instead.
 *
 * <ul>
 *   <li>Nothing at all: {@code net::ERR_EMPTY_RESPONSE}.
 *   <li>A first line that does not start with {@code HTTP} (for example AirPlay's {@code RTSP/1.0
 *       403 Forbidden}) or garbage: {@code net::ERR_INVALID_HTTP_RESPONSE} (Chromium rejects
 *       HTTP/0.9 on non-default ports). The failure's {@code detail} is the raw head, at most 8
 *       KiB, so other readers (the Firefox model) can re-read it.
 *   <li>{@code HTTP/1.0} and status lines without a reason phrase are fine; a status line without a
 *       code counts as 200, as in Chromium.
 *   <li>Header lines: a line without a colon is ignored; {@code Name : value} is accepted (the name
 *       loses trailing white space); values lose leading and trailing spaces and tabs; a line that
 *       starts with a space or tab continues the previous value (obs-fold, joined with one space).
 *   <li>Two {@code Content-Length} lines with different values (without {@code Transfer-Encoding}):
 *       {@code net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH}; likewise different {@code
 *       Location} or {@code Content-Disposition} values.
 * </ul>
 *
 * {@link HttpReply#rawHeaderLines()} keeps every header line exactly as received (without its line
 * ending). Text is ISO-8859-1: one char per byte. Pure: no I/O.
 */
public final class ResponseHead {
  /** The most of a non-HTTP head kept in {@link NetworkFailure#detail()}. */
  public static final int MAX_DETAIL_CHARS = 8 * 1024;

  /** How much of the body is kept in {@link HttpReply#bodyPrefix()}. */
  public static final int BODY_PREFIX_CHARS = 1024;

  private ResponseHead() {}

  /** Parses raw response bytes (a head, optionally followed by the body). */
  public static Reply parse(byte[] raw) {
    return parse(new String(raw, StandardCharsets.ISO_8859_1));
  }

  /** Parses a raw response given as ISO-8859-1 text (one char per byte). */
  public static Reply parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return new NetworkFailure(NetError.EMPTY_RESPONSE, "");
    }
    int headEnd = raw.indexOf("\r\n\r\n");
    int bodyStart = headEnd < 0 ? -1 : headEnd + 4;
    int lfEnd = raw.indexOf("\n\n");
    if (lfEnd >= 0 && (headEnd < 0 || lfEnd < headEnd)) {
      headEnd = lfEnd;
      bodyStart = lfEnd + 2;
    }
    String head = headEnd < 0 ? raw : raw.substring(0, headEnd);
    String body = bodyStart < 0 ? "" : raw.substring(bodyStart);
    List<String> lines = splitLines(head);
    String statusLine = lines.get(0);
    if (!statusLine.regionMatches(true, 0, "HTTP", 0, 4)) {
      return new NetworkFailure(
          NetError.INVALID_HTTP_RESPONSE,
          head.length() > MAX_DETAIL_CHARS ? head.substring(0, MAX_DETAIL_CHARS) : head);
    }
    int status = parseStatus(statusLine);
    List<String> rawLines = new ArrayList<>(lines.subList(1, lines.size()));
    List<Header> headers = new ArrayList<>();
    for (String line : rawLines) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        // obs-fold: "a line starting with SP or HT continues the previous field value"
        if (!headers.isEmpty()) {
          Header last = headers.remove(headers.size() - 1);
          String more = trimLws(line);
          headers.add(
              new Header(last.name(), last.value().isEmpty() ? more : last.value() + " " + more));
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // Chromium skips a header line without a colon.
      }
      String name = trimLws(line.substring(0, colon));
      if (name.isEmpty()) {
        continue;
      }
      headers.add(new Header(name, trimLws(line.substring(colon + 1))));
    }
    boolean chunked = headers.stream().anyMatch(h -> h.is("Transfer-Encoding"));
    if (!chunked && distinctValues(headers, "Content-Length") > 1) {
      return new NetworkFailure(NetError.RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH, head);
    }
    if (distinctValues(headers, "Content-Disposition") > 1) {
      return new NetworkFailure(NetError.RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION, head);
    }
    if (distinctValues(headers, "Location") > 1) {
      return new NetworkFailure(NetError.RESPONSE_HEADERS_MULTIPLE_LOCATION, head);
    }
    return new HttpReply(
        statusLine,
        status,
        headers,
        rawLines,
        body.length() > BODY_PREFIX_CHARS ? body.substring(0, BODY_PREFIX_CHARS) : body);
  }

  /** The reason phrase of a status line ({@code HTTP/1.1 404 Not Found} gives "Not Found"). */
  public static String reasonPhrase(String statusLine) {
    int sp = statusLine.indexOf(' ');
    if (sp < 0) {
      return "";
    }
    String rest = statusLine.substring(sp + 1).stripLeading();
    int sp2 = rest.indexOf(' ');
    return sp2 < 0 ? "" : rest.substring(sp2 + 1).strip();
  }

  private static int parseStatus(String statusLine) {
    int sp = statusLine.indexOf(' ');
    if (sp < 0) {
      return 200; // "Missing status code; assume 200" (HttpResponseHeaders::ParseStatusLine)
    }
    String rest = statusLine.substring(sp + 1).stripLeading();
    int n = 0;
    while (n < rest.length() && n < 3 && Character.isDigit(rest.charAt(n))) {
      n++;
    }
    return n == 0 ? 200 : Integer.parseInt(rest.substring(0, n));
  }

  private static List<String> splitLines(String head) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int nl = head.indexOf('\n', start);
      String line = nl < 0 ? head.substring(start) : head.substring(start, nl);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      out.add(line);
      if (nl < 0) {
        return out;
      }
      start = nl + 1;
    }
  }

  private static int distinctValues(List<Header> headers, String name) {
    Set<String> values = new LinkedHashSet<>();
    for (Header h : headers) {
      if (h.is(name)) {
        values.add(h.value().toLowerCase(Locale.ROOT));
      }
    }
    return values.size();
  }

  /** Strips leading and trailing linear white space (SP and HT), as HttpUtil::TrimLWS does. */
  static String trimLws(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
      b++;
    }
    while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
      e--;
    }
    return s.substring(b, e);
  }
}
