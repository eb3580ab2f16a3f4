package io.corsdoctor.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;

/**
 * A strict reader of the plain HTTP/1.1 heads a dev loop is made of, for the {@link NettyFront}: a
 * complete head of at most {@link #MAX_HEAD} bytes, CRLF line ends, token field names directly
 * followed by a colon, values of visible ASCII, spaces and tabs. It accepts only what Jetty's
 * {@code HttpParser} reads the same way and declines everything else (folded lines, bare LF,
 * non-ASCII, a head split across reads, anything about framing it does not handle); the caller then
 * hands the bytes to Jetty's parser as before. It exists because Jetty's parser, general and
 * careful, cost about an eighth of the front's CPU per small request (bench/proxy/RESULTS.md).
 *
 * <p>One per event loop: it keeps a scratch copy of the head, so only that loop's thread uses it.
 */
final class HeadScanner {
  /** The longest head scanned here; longer ones go to Jetty's parser. */
  static final int MAX_HEAD = 8192;

  /** Receives the fields of a head as they are read (as Jetty's parser handlers do). */
  interface Fields {
    void parsedHeader(HttpField field);
  }

  private static final byte[] HTTP_1_1 = "HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HTTP_1_0 = "HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
  private static final boolean[] TOKEN = new boolean[256];
  private static final String[] METHODS = {
    "GET", "POST", "OPTIONS", "HEAD", "PUT", "DELETE", "PATCH"
  };
  private static final HttpHeader[] KNOWN = new HttpHeader[512];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
    for (HttpHeader h : HttpHeader.values()) {
      byte[] name = h.asString().getBytes(StandardCharsets.US_ASCII);
      int slot = hash(name, 0, name.length) & (KNOWN.length - 1);
      while (KNOWN[slot] != null) {
        slot = (slot + 1) & (KNOWN.length - 1);
      }
      KNOWN[slot] = h;
    }
  }

  private final byte[] b = new byte[MAX_HEAD];
  private int length;

  // What the last successful scan read.
  String method;
  String target;
  HttpVersion version;
  int status;

  /** Bytes of the head, its final empty line included. */
  int headLength;

  /**
   * An answer's Content-Length (-1 when it has none). An answer is read only when it has at most
   * one, of digits, and no Transfer-Encoding; a request only when it has neither.
   */
  long contentLength;

  private int hosts;
  private int lengths;
  private boolean chunked;

  /**
   * Reads a request head from {@code buf} at {@code from} (up to {@code readable} bytes): the
   * request line (a token method, a target of visible ASCII, HTTP/1.1 or HTTP/1.0) and the fields,
   * each given to {@code out}. False, with {@code out} perhaps partly fed, when the head is not
   * complete or not plain, or announces a body (Content-Length, Transfer-Encoding), or has not
   * exactly one Host that is a host and port.
   */
  boolean request(ByteBuf buf, int from, int readable, Fields out) {
    if (!copy(buf, from, readable)) {
      return false;
    }
    int p = 0;
    while (p < length && TOKEN[b[p] & 0xFF]) {
      p++;
    }
    if (p == 0 || p >= length || b[p] != ' ') {
      return false;
    }
    method = methodName(p);
    int t = ++p;
    while (p < length && b[p] > ' ' && b[p] < 0x7F) {
      p++;
    }
    if (p == t || p + 11 > length || b[p] != ' ') {
      return false;
    }
    target = new String(b, t, p - t, StandardCharsets.ISO_8859_1);
    version = version(p + 1);
    p += 9;
    if (version == null || b[p] != '\r' || b[p + 1] != '\n') {
      return false;
    }
    return fields(p + 2, out) && hosts == 1 && lengths == 0 && !chunked;
  }

  /**
   * Reads a response head as {@link #request} does: {@code HTTP/1.x}, a three-digit status, an
   * optional reason of visible ASCII and spaces (Jetty refuses some with tabs), and the fields;
   * false also when it has two Host lines, a Transfer-Encoding, or a Content-Length that is not one
   * number.
   */
  boolean response(ByteBuf buf, int from, int readable, Fields out) {
    if (!copy(buf, from, readable) || length < 14) {
      return false;
    }
    version = version(0);
    if (version == null || b[8] != ' ') {
      return false;
    }
    int s = 0;
    for (int i = 9; i < 12; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
      s = s * 10 + b[i] - '0';
    }
    if (s < 100) {
      return false; // Jetty refuses it
    }
    status = s;
    int p = 12;
    if (b[p] == ' ') {
      p++;
      if (p < length && b[p] == ' ') {
        return false; // Jetty's to judge, as tabs below
      }
      while (p < length && b[p] >= ' ' && b[p] < 0x7F) {
        p++;
      }
    }
    if (p + 1 >= length || b[p] != '\r' || b[p + 1] != '\n') {
      return false;
    }
    return fields(p + 2, out)
        && hosts <= 1
        && !chunked
        && lengths <= 1
        && (lengths == 0 || contentLength >= 0);
  }

  /** Copies the first bytes (at most {@link #MAX_HEAD}) into the scratch array. */
  private boolean copy(ByteBuf buf, int from, int readable) {
    length = Math.min(readable, MAX_HEAD);
    if (length < 4) {
      return false;
    }
    buf.getBytes(from, b, 0, length);
    return true;
  }

  private HttpVersion version(int at) {
    if (at + 8 > length) {
      return null;
    }
    if (same(at, HTTP_1_1)) {
      return HttpVersion.HTTP_1_1;
    }
    return same(at, HTTP_1_0) ? HttpVersion.HTTP_1_0 : null;
  }

  private boolean same(int at, byte[] what) {
    for (int i = 0; i < what.length; i++) {
      if (b[at + i] != what[i]) {
        return false;
      }
    }
    return true;
  }

  /** The method's name: the common ones without a new String. */
  private String methodName(int end) {
    for (String m : METHODS) {
      if (exact(m, 0, end)) {
        return m;
      }
    }
    return new String(b, 0, end, StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads field lines from {@code p} to the empty line; true when the head ends within the copy. It
   * notes what frames a body (Content-Length, Transfer-Encoding), counts the Host lines and checks
   * each as Jetty does (a host and a port).
   */
  private boolean fields(int p, Fields out) {
    hosts = 0;
    lengths = 0;
    chunked = false;
    contentLength = -1;
    while (true) {
      if (p + 1 >= length) {
        return false;
      }
      if (b[p] == '\r') {
        if (b[p + 1] != '\n') {
          return false;
        }
        headLength = p + 2;
        return true;
      }
      int name = p;
      while (p < length && TOKEN[b[p] & 0xFF]) {
        p++;
      }
      if (p == name || p >= length || b[p] != ':') {
        return false; // not a token (a folded line, a space before the colon, a bare LF...)
      }
      int nameEnd = p++;
      while (p < length && (b[p] == ' ' || b[p] == '\t')) {
        p++;
      }
      int value = p;
      int valueEnd = p;
      while (p < length && b[p] != '\r') {
        byte c = b[p];
        if (c != '\t' && (c < ' ' || c >= 0x7F)) {
          return false; // controls, a bare LF, obs-text: Jetty's to judge
        }
        p++;
        if (c != ' ' && c != '\t') {
          valueEnd = p;
        }
      }
      if (p + 1 >= length || b[p + 1] != '\n') {
        return false;
      }
      HttpField f = field(name, nameEnd, value, valueEnd);
      HttpHeader h = f.getHeader();
      if (h == HttpHeader.CONTENT_LENGTH) {
        lengths++;
        contentLength = digits(value, valueEnd);
      } else if (h == HttpHeader.TRANSFER_ENCODING) {
        chunked = true;
      } else if (h == HttpHeader.HOST) {
        hosts++;
        if (valueEnd > value) { // as Jetty's parser: an empty Host stays a plain field
          try {
            f = new Host(f.getName(), f.getValue());
          } catch (RuntimeException e) {
            return false; // not a host and port: Jetty refuses the head
          }
        }
      }
      out.parsedHeader(f);
      p += 2;
    }
  }

  /** A Host field as Jetty's parser makes it: the value as written, checked as a host and port. */
  private static final class Host extends HostPortHttpField {
    Host(String name, String value) {
      super(HttpHeader.HOST, name, value);
    }
  }

  /** A length of 1 to 18 digits, or -1. */
  private long digits(int from, int to) {
    if (to == from || to - from > 18) {
      return -1;
    }
    long n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return -1;
      }
      n = n * 10 + b[i] - '0';
    }
    return n;
  }

  /** A field as Jetty's parser gives it: a known header under its own name, in its own case. */
  private HttpField field(int name, int nameEnd, int value, int valueEnd) {
    HttpHeader h = known(name, nameEnd);
    String n =
        h != null ? h.asString() : new String(b, name, nameEnd - name, StandardCharsets.ISO_8859_1);
    String v = new String(b, value, valueEnd - value, StandardCharsets.ISO_8859_1);
    return new HttpField(h, n, v);
  }

  /** The header Jetty knows by this name (any case), or null. */
  private HttpHeader known(int from, int to) {
    int slot = hash(b, from, to - from) & (KNOWN.length - 1);
    HttpHeader h;
    while ((h = KNOWN[slot]) != null) {
      String s = h.asString();
      if (s.length() == to - from && sameIgnoringCase(s, from)) {
        return h;
      }
      slot = (slot + 1) & (KNOWN.length - 1);
    }
    return null;
  }

  private boolean sameIgnoringCase(String s, int from) {
    for (int i = 0; i < s.length(); i++) {
      if ((s.charAt(i) | 0x20) != (b[from + i] | 0x20)) {
        return false;
      }
    }
    return true;
  }

  private boolean exact(String s, int from, int to) {
    if (s.length() != to - from) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != b[from + i]) {
        return false;
      }
    }
    return true;
  }

  /** A hash of a field name that ignores ASCII case (token characters only). */
  private static int hash(byte[] a, int from, int len) {
    int h = 0;
    for (int i = from; i < from + len; i++) {
      h = 31 * h + (a[i] | 0x20);
    }
    return h ^ (h >>> 9);
  }
}
