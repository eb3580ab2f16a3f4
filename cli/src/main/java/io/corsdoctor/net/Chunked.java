package io.corsdoctor.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decodes as much of a chunked body as has arrived (RFC 9112 section 7.1). */
final class Chunked {
  private Chunked() {}

  record Decoded(byte[] body, boolean finished) {}

  static Decoded decode(byte[] raw, int max) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length && out.size() < max) {
      int lineEnd = indexOf(raw, i);
      if (lineEnd < 0) {
        break;
      }
      String sizeText = new String(raw, i, lineEnd - i, StandardCharsets.ISO_8859_1).trim();
      int semi = sizeText.indexOf(';');
      if (semi >= 0) {
        sizeText = sizeText.substring(0, semi).trim();
      }
      long size;
      try {
        size = Long.parseLong(sizeText, 16);
      } catch (NumberFormatException e) {
        break;
      }
      int dataStart = lineEnd + 1;
      if (size == 0) {
        return new Decoded(out.toByteArray(), true);
      }
      int available = (int) Math.min(size, raw.length - dataStart);
      out.write(raw, dataStart, Math.max(0, available));
      if (available < size) {
        break;
      }
      i = dataStart + (int) size;
      int crlf = indexOf(raw, i);
      if (crlf < 0) {
        break;
      }
      i = crlf + 1;
    }
    byte[] body = out.toByteArray();
    return new Decoded(body.length > max ? java.util.Arrays.copyOf(body, max) : body, false);
  }

  private static int indexOf(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
