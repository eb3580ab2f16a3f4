package io.corsdoctor.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a reply from a socket within a deadline and size caps: first the head (up to the blank
 * line), then the start of the body. Never blocks past the deadline, never holds more than the
 * caps, and reports how the read ended instead of throwing.
 */
final class WireReader {

  /** How reading the head ended. */
  enum HeadEnd {
    /** The blank line after the headers arrived. */
    COMPLETE,
    /** The peer closed before the blank line (possibly before any byte). */
    CLOSED,
    /** The peer reset the connection. */
    RESET,
    /** The deadline passed first. */
    TIMED_OUT,
    /** More bytes or lines than the caps allow, without an end. */
    TOO_BIG,
    /** The first bytes are not an HTTP status line; reading stopped early. */
    NOT_HTTP
  }

  /** The head as read, and what came after it in the same reads. */
  record Head(byte[] bytes, HeadEnd end, byte[] leftover, String ioDetail) {}

  /** How long to keep reading a reply once it is known not to be HTTP, to show its first line. */
  private static final long NOT_HTTP_GRACE_NANOS = 200_000_000L;

  private final Socket socket;
  private final InputStream in;
  private final ProbeOptions options;

  WireReader(Socket socket, InputStream in, ProbeOptions options) {
    this.socket = socket;
    this.in = in;
    this.options = options;
  }

  Head readHead(long deadlineNanos) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    long deadline = deadlineNanos;
    boolean notHttp = false;
    while (true) {
      int n;
      try {
        n = readUntil(chunk, chunk.length, deadline);
      } catch (SocketTimeoutException e) {
        return new Head(
            buf.toByteArray(), notHttp ? HeadEnd.NOT_HTTP : HeadEnd.TIMED_OUT, new byte[0], null);
      } catch (IOException e) {
        return new Head(
            buf.toByteArray(),
            notHttp ? HeadEnd.NOT_HTTP : HeadEnd.RESET,
            new byte[0],
            e.getMessage());
      }
      if (n < 0) {
        return new Head(
            buf.toByteArray(), notHttp ? HeadEnd.NOT_HTTP : HeadEnd.CLOSED, new byte[0], null);
      }
      buf.write(chunk, 0, n);
      byte[] all = buf.toByteArray();
      int end = endOfHead(all);
      if (end >= 0) {
        byte[] head = java.util.Arrays.copyOfRange(all, 0, end);
        byte[] rest = java.util.Arrays.copyOfRange(all, end, all.length);
        return new Head(head, notHttp ? HeadEnd.NOT_HTTP : HeadEnd.COMPLETE, rest, null);
      }
      if (all.length > options.maxHeadBytes() || lineCount(all) > options.maxHeaderLines()) {
        return new Head(cap(all), HeadEnd.TOO_BIG, new byte[0], null);
      }
      if (!notHttp && looksNotHttp(all)) {
        notHttp = true;
        deadline = Math.min(deadline, System.nanoTime() + NOT_HTTP_GRACE_NANOS);
      }
      if (notHttp && firstLineEnd(all) >= 0) {
        return new Head(all, HeadEnd.NOT_HTTP, new byte[0], null);
      }
    }
  }

  /**
   * Reads up to {@code max} body bytes after {@code leftover}, framed by Content-Length, chunked
   * coding, or the end of the connection. Returns the body and whether it was cut short.
   */
  Body readBody(byte[] leftover, long contentLength, boolean chunked, long deadlineNanos) {
    int max = options.maxBodyBytes();
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.write(leftover, 0, leftover.length);
    long want = contentLength >= 0 ? contentLength : Long.MAX_VALUE;
    byte[] chunk = new byte[8192];
    boolean cut = false;
    while (true) {
      byte[] sofar = raw.toByteArray();
      if (chunked) {
        Chunked.Decoded d = Chunked.decode(sofar, max);
        if (d.finished() || d.body().length >= max) {
          return new Body(d.body(), !d.finished());
        }
      } else if (sofar.length >= Math.min(want, max)) {
        int keep = (int) Math.min(Math.min(want, max), sofar.length);
        return new Body(java.util.Arrays.copyOf(sofar, keep), want > max);
      }
      int n;
      try {
        n = readUntil(chunk, chunk.length, deadlineNanos);
      } catch (IOException e) {
        cut = true;
        n = -1;
      }
      if (n < 0) {
        byte[] body = chunked ? Chunked.decode(raw.toByteArray(), max).body() : raw.toByteArray();
        boolean incomplete = cut || (contentLength >= 0 && body.length < contentLength) || chunked;
        return new Body(java.util.Arrays.copyOf(body, Math.min(body.length, max)), incomplete);
      }
      raw.write(chunk, 0, n);
    }
  }

  record Body(byte[] bytes, boolean truncated) {}

  /** One read, with the socket timeout set to what is left before the deadline. */
  private int readUntil(byte[] into, int max, long deadlineNanos) throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    socket.setSoTimeout((int) Math.max(1, left / 1_000_000L));
    return in.read(into, 0, max);
  }

  /** Index just past the blank line that ends a head ({@code CRLFCRLF} or bare {@code LFLF}). */
  static int endOfHead(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] != '\n') {
        continue;
      }
      if (i + 1 < b.length && b[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  private static int lineCount(byte[] b) {
    int n = 0;
    for (byte x : b) {
      if (x == '\n') {
        n++;
      }
    }
    return n;
  }

  private static int firstLineEnd(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Chromium looks for "http" (any case) within the first few bytes; when it is not there once
   * enough bytes arrived, the reply is not HTTP/1.x (Chromium then treats it as HTTP/0.9, which it
   * refuses on non-default ports).
   */
  static boolean looksNotHttp(byte[] b) {
    if (b.length < 8) {
      return false;
    }
    String start = new String(b, 0, 8, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    return !start.contains("http");
  }

  private byte[] cap(byte[] all) {
    return all.length > options.maxHeadBytes()
        ? java.util.Arrays.copyOf(all, options.maxHeadBytes())
        : all;
  }
}
