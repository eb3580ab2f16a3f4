package io.corsdoctor.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A reply head split into lines as received: the first line, then every header line up to the blank
 * line. Pure bookkeeping for display; what a browser makes of the bytes is decided by the engine's
 * {@code ResponseHead}.
 */
record RawHead(String firstLine, List<String> headerLines) {

  static RawHead split(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        String line = text.substring(start, i);
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        lines.add(line);
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    if (lines.isEmpty()) {
      return new RawHead(null, List.of());
    }
    List<String> headers = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      if (l.isEmpty()) {
        break;
      }
      headers.add(l);
    }
    return new RawHead(lines.get(0), headers);
  }
}
