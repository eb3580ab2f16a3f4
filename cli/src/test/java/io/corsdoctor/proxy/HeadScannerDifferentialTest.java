package io.corsdoctor.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * Wherever the {@link HeadScanner} accepts a head, Jetty's {@code HttpParser} (as the front and the
 * lean path configure it) reads the same thing from the same bytes: the same request or status
 * line, the same fields in the same order, and the head ending at the same byte. Heads are made
 * from a grammar of common ones, then mutated byte by byte (seeded, so a failure repeats).
 */
class HeadScannerDifferentialTest {
  private static final int CASES = 20_000;
  private static final String[] NAMES = {
    "Host",
    "Origin",
    "Accept",
    "Content-Type",
    "Content-Length",
    "Transfer-Encoding",
    "X-Trace",
    "access-control-allow-origin",
    "Vary",
    "Server",
    "Connection",
    "Cookie",
    "If-None-Match",
    "Sec-Fetch-Mode",
    "x_under",
    "A"
  };
  private static final String[] VALUES = {
    "127.0.0.1:5000",
    "http://localhost:4200",
    "*/*",
    "application/json; charset=utf-8",
    "",
    " padded\t",
    "a, b,c",
    "keep-alive",
    "\"etag\"",
    "x".repeat(300),
    "localhost",
    "[::1]:8080"
  };

  /** Bytes the mutations insert or overwrite with: separators, controls, obs-text. */
  private static final byte[] NOISE = {
    '\r',
    '\n',
    ' ',
    '\t',
    ':',
    0,
    0x7f,
    (byte) 0x80,
    (byte) 0xe9,
    (byte) 0xff,
    '"',
    '/',
    'a',
    'Z',
    '1',
    '(',
    ',',
    ';',
    '=',
    '@'
  };

  @Test
  void requestsTheScannerAcceptsReadTheSameInJettysParser() {
    Random r = new Random(20261207);
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      StringBuilder h = new StringBuilder();
      h.append(
          pick(r, new String[] {"GET", "POST", "OPTIONS", "HEAD", "DELETE", "get", "M-SEARCH"}));
      h.append(' ').append(pick(r, new String[] {"/", "/a?b=c", "/x/y.json", "*", "/%20"}));
      h.append(' ')
          .append(pick(r, new String[] {"HTTP/1.1", "HTTP/1.1", "HTTP/1.0"}))
          .append("\r\n");
      if (r.nextInt(10) > 0) {
        h.append(pick(r, new String[] {"Host: ", "host:", "HOST:\t"}));
        h.append(pick(r, new String[] {"127.0.0.1:5000", "localhost", "[::1]:8080", "x"}));
        h.append("\r\n");
      }
      fields(r, h);
      byte[] head = mutate(r, h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      accepted += compare(head, true) ? 1 : 0;
    }
    assertThat(accepted).as("heads the scanner read").isGreaterThan(CASES / 10);
  }

  @Test
  void answersTheScannerAcceptsReadTheSameInJettysParser() {
    Random r = new Random(7122026);
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      StringBuilder h = new StringBuilder();
      h.append(pick(r, new String[] {"HTTP/1.1", "HTTP/1.1", "HTTP/1.0"}));
      h.append(' ').append(pick(r, new String[] {"200", "204", "404", "500", "302", "299"}));
      h.append(pick(r, new String[] {" OK", "", " ", " Not Found", " Some\treason"}))
          .append("\r\n");
      fields(r, h);
      byte[] head = mutate(r, h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      accepted += compare(head, false) ? 1 : 0;
    }
    assertThat(accepted).as("heads the scanner read").isGreaterThan(CASES / 10);
  }

  private static void fields(Random r, StringBuilder h) {
    int n = r.nextInt(7);
    for (int f = 0; f < n; f++) {
      h.append(pick(r, NAMES)).append(':');
      h.append(pick(r, new String[] {" ", "", "  ", "\t"})).append(pick(r, VALUES)).append("\r\n");
    }
  }

  /** Half the heads unchanged; the others with one to three bytes inserted, replaced or removed. */
  private static byte[] mutate(Random r, byte[] head) {
    if (r.nextBoolean()) {
      return head;
    }
    List<Byte> b = new ArrayList<>();
    for (byte x : head) {
      b.add(x);
    }
    for (int m = 1 + r.nextInt(3); m > 0 && !b.isEmpty(); m--) {
      int at = r.nextInt(b.size());
      byte noise = NOISE[r.nextInt(NOISE.length)];
      switch (r.nextInt(3)) {
        case 0 -> b.add(at, noise);
        case 1 -> b.set(at, noise);
        default -> b.remove(at);
      }
    }
    byte[] out = new byte[b.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.get(i);
    }
    return out;
  }

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  private static String show(byte[] head) {
    return new String(head, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
  }

  /**
   * When the scanner reads {@code head} (a request, else an answer), Jetty's parser, configured as
   * the front or the lean path has it, must read the same; false when the scanner declined.
   */
  private static boolean compare(byte[] head, boolean request) {
    HeadScanner s = new HeadScanner();
    List<HttpField> scanned = new ArrayList<>();
    ByteBuf buf = Unpooled.wrappedBuffer(head);
    boolean read =
        request
            ? s.request(buf, 0, head.length, scanned::add)
            : s.response(buf, 0, head.length, scanned::add);
    if (!read) {
      return false;
    }
    Jetty j = new Jetty();
    HttpParser p =
        request
            ? new HttpParser((HttpParser.RequestHandler) j, 8192)
            : new HttpParser((HttpParser.ResponseHandler) j, 64 * 1024);
    ByteBuffer bytes = ByteBuffer.wrap(head);
    while (!j.headDone && !j.bad && bytes.hasRemaining()) {
      p.parseNext(bytes);
    }
    String what = show(head);
    assertThat(j.bad).as("Jetty refuses what the scanner read: %s", what).isFalse();
    assertThat(j.headDone).as(what).isTrue();
    assertThat(bytes.position()).as("head length of %s", what).isEqualTo(s.headLength);
    if (request) {
      assertThat(List.of(j.method, j.target, j.version))
          .as(what)
          .isEqualTo(List.of(s.method, s.target, s.version));
    } else {
      assertThat(List.of(j.status, j.version)).as(what).isEqualTo(List.of(s.status, s.version));
    }
    assertSameFields(scanned, j.fields, what);
    return true;
  }

  private static void assertSameFields(
      List<HttpField> scanned, List<HttpField> jetty, String what) {
    // Names compare without case: Jetty itself gives a known name in its own case or as written,
    // depending on the spaces after the colon.
    assertThat(scanned.stream().map(HeadScannerDifferentialTest::describe))
        .as(what)
        .containsExactlyElementsOf(
            jetty.stream().map(HeadScannerDifferentialTest::describe).toList());
  }

  private static String describe(HttpField f) {
    return f.getHeader()
        + "|"
        + f.getLowerCaseName()
        + "|"
        + f.getValue()
        + (f instanceof HostPortHttpField ? "|host and port" : "");
  }

  /** Both of Jetty's handlers, recording what the parser reports up to the end of the head. */
  private static final class Jetty
      implements HttpParser.RequestHandler, HttpParser.ResponseHandler {
    final List<HttpField> fields = new ArrayList<>();
    String method;
    String target;
    HttpVersion version;
    int status;
    boolean headDone;
    boolean bad;

    @Override
    public void startRequest(String m, String t, HttpVersion v) {
      method = m;
      target = t;
      version = v;
    }

    @Override
    public void startResponse(HttpVersion v, int s, String reason) {
      version = v;
      status = s;
    }

    @Override
    public void parsedHeader(HttpField field) {
      fields.add(field);
    }

    @Override
    public boolean headerComplete() {
      headDone = true;
      return true;
    }

    @Override
    public boolean content(ByteBuffer content) {
      return true;
    }

    @Override
    public boolean contentComplete() {
      return false;
    }

    @Override
    public boolean messageComplete() {
      return true;
    }

    @Override
    public void earlyEOF() {
      bad = true;
    }

    @Override
    public void badMessage(HttpException failure) {
      bad = true;
    }
  }
}
