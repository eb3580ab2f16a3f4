package io.corsdoctor.har;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HAR fixtures under src/test/resources/har (see README.md there for where each comes from).
 */
final class HarFixtures {
  private HarFixtures() {}

  static Path path(String name) {
    URL url = HarFixtures.class.getResource("/har/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture har/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static InputStream open(String name) {
    try {
      return Files.newInputStream(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InputStream of(String json) {
    return new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  static HarAnalysis analyze(String name) throws Exception {
    try (InputStream in = open(name)) {
      return new HarAnalyzer(HarLimits.DEFAULT, u -> true, HarAnalyzer.DEFAULT_MAX_REQUESTS)
          .analyze(in, b -> {});
    }
  }

  /**
   * A stream of {@code prefix}, then {@code count} copies of byte {@code fill}, then {@code
   * suffix}, made on the fly: a gigabyte costs no memory and no disk.
   */
  static InputStream generated(String prefix, long count, byte fill, String suffix) {
    byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] tail = suffix.getBytes(StandardCharsets.UTF_8);
    return new InputStream() {
      long pos;
      final long total = head.length + count + tail.length;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= total) {
          return -1;
        }
        int n = 0;
        while (n < len && pos < total) {
          if (pos < head.length) {
            b[off + n++] = head[(int) pos++];
          } else if (pos < head.length + count) {
            int chunk = (int) Math.min(len - n, head.length + count - pos);
            java.util.Arrays.fill(b, off + n, off + n + chunk, fill);
            n += chunk;
            pos += chunk;
          } else {
            b[off + n++] = tail[(int) (pos++ - head.length - count)];
          }
        }
        return n;
      }
    };
  }
}
