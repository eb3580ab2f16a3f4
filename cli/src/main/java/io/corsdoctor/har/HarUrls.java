package io.corsdoctor.har;

import io.corsdoctor.cors.Origin;
import java.util.Optional;

/** The origin of a recorded URL, without a full URL parser (HAR URLs are already normalised). */
final class HarUrls {
  private HarUrls() {}

  /** {@code http://localhost:5000/sample?x} gives {@code http://localhost:5000}; empty if none. */
  static Optional<Origin> originOf(String url) {
    if (url == null) {
      return Optional.empty();
    }
    int sep = url.indexOf("://");
    if (sep <= 0) {
      return Optional.empty();
    }
    int end = url.length();
    for (int i = sep + 3; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = url.substring(sep + 3, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    return Origin.parse(url.substring(0, sep) + "://" + authority);
  }
}
