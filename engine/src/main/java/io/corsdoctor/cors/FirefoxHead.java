package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A response head as Firefox reads it from the raw header lines ({@link HttpReply#rawHeaderLines()}
 * ), which is not always how Chromium reads it:
 *
 * <ul>
 *   <li>the header name is everything before the first colon, so {@code Access-Control-Allow-Origin
 *       : *} names a different header (and the Allow-Origin header is missing);
 *   <li>a line without a colon, or whose name is not a token, is skipped;
 *   <li>a line starting with a space or tab continues the previous value (obs-fold);
 *   <li>values lose their surrounding spaces and tabs; repeated headers merge with {@code ", "}, an
 *       empty repeat adds nothing;
 *   <li>the duplicate check of {@code Access-Control-Allow-Origin} counts only lines whose name is
 *       spelled exactly so (it visits the original names), so {@code access-control-allow-origin:
 *       *} plus {@code Access-Control-Allow-Origin: <origin>} is one merged value, not "multiple".
 * </ul>
 *
 * @param status the status code
 * @param lines the header lines Firefox kept, names as received
 */
record FirefoxHead(int status, List<Header> lines) {

  /**
   * An HTTP/0.9-style reply: a non-HTTP status line (RTSP, garbage) is read as a body with status
   * 200 and no headers at all.
   */
  static final FirefoxHead HTTP_09 = new FirefoxHead(200, List.of());

  static FirefoxHead of(HttpReply reply) {
    List<String> raw = reply.rawHeaderLines();
    if (raw.isEmpty() && !reply.headers().isEmpty()) {
      raw = reply.headers().stream().map(Header::toString).toList();
    }
    List<Header> kept = new ArrayList<>();
    for (String line : raw) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        if (!kept.isEmpty()) {
          Header last = kept.remove(kept.size() - 1);
          String more = FirefoxRequestRules.trimHttpWhitespace(line);
          kept.add(new Header(last.name(), (last.value() + " " + more).strip()));
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon);
      if (!FirefoxRequestRules.isToken(name)) {
        continue;
      }
      kept.add(new Header(name, FirefoxRequestRules.trimHttpWhitespace(line.substring(colon + 1))));
    }
    return new FirefoxHead(reply.status(), List.copyOf(kept));
  }

  /** The merged value of the named header (names compare case-insensitively), or empty. */
  Optional<String> get(String name) {
    String merged = null;
    for (Header h : lines) {
      if (!h.is(name)) {
        continue;
      }
      if (merged == null) {
        merged = h.value();
      } else if (!h.value().isEmpty()) {
        merged = merged.isEmpty() ? h.value() : merged + ", " + h.value();
      }
    }
    return Optional.ofNullable(merged);
  }

  /** How many lines carry exactly this name, case included. */
  int countExactly(String name) {
    return (int) lines.stream().filter(h -> h.name().equals(name)).count();
  }

  /**
   * Whether a header Firefox refuses to see twice with different values (Content-Length,
   * Content-Disposition, Location) does so; Firefox then fails the response.
   */
  boolean hasConflictingDuplicates() {
    for (String name : List.of("Content-Length", "Content-Disposition", "Location")) {
      List<String> values = lines.stream().filter(h -> h.is(name)).map(Header::value).toList();
      if (values.stream().distinct().count() > 1) {
        return true;
      }
    }
    return false;
  }
}
