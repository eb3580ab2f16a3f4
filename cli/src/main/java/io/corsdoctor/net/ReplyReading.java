package io.corsdoctor.net;

import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Reply;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a browser makes of a complete reply head: an {@link HttpReply}, or the network failure
 * Chromium reports. A minimal reading (status line, {@code name: value} lines, conflicting
 * Content-Length) used until the engine's own raw-response parser is available.
 */
final class ReplyReading {
  private ReplyReading() {}

  static Reply read(RawHead head, String bodyPrefix) {
    String first = head.firstLine();
    if (first == null || first.isEmpty()) {
      return new NetworkFailure(NetError.EMPTY_RESPONSE, "the server closed without a reply");
    }
    String trimmed = first.stripLeading();
    if (!trimmed.regionMatches(true, 0, "HTTP/", 0, 5)) {
      return new NetworkFailure(
          NetError.INVALID_HTTP_RESPONSE, "not an HTTP status line: " + printable(first));
    }
    String[] parts = trimmed.split(" ", 3);
    int status;
    try {
      status = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 200;
    } catch (NumberFormatException e) {
      return new NetworkFailure(
          NetError.INVALID_HTTP_RESPONSE, "no status code in: " + printable(first));
    }
    List<Header> headers = new ArrayList<>();
    for (String line : head.headerLines()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon);
      if (name.strip().length() != name.length()) {
        continue;
      }
      headers.add(new Header(name, line.substring(colon + 1).strip()));
    }
    Set<String> lengths = new LinkedHashSet<>();
    for (Header h : headers) {
      if (h.is("Content-Length")) {
        lengths.add(h.value().toLowerCase(Locale.ROOT));
      }
    }
    if (lengths.size() > 1) {
      return new NetworkFailure(
          NetError.RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH, "Content-Length values " + lengths);
    }
    return new HttpReply(first, status, headers, head.headerLines(), bodyPrefix);
  }

  /** At most 200 characters, control characters shown as \\xNN. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 200; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\x%02x", (int) c & 0xff));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
