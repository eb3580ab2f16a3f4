package io.corsdoctor.har;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hands the JSON parser a HAR without the contents of its {@code "text"} string values: the request
 * and response bodies ({@code postData.text}, {@code content.text}), which are most of a HAR's
 * bytes and which {@link HarReader} never reads. Jackson skips a string one byte at a time; this
 * stream looks at eight bytes at a time for the few bytes that matter in a string (quote,
 * backslash, control and non-ASCII bytes), checks them exactly as Jackson's UTF-8 parser would, and
 * passes on {@code ""} instead of the body.
 *
 * <p>Nothing the parser would reject is dropped: at the first byte of a body Jackson would refuse
 * (a control character, a bad escape, malformed UTF-8, the end of the file) the rest of the string
 * is passed on unchanged, so the parser reports the same error for the same byte. Byte offsets the
 * parser reports are translated back to the file's with {@link #original(long)}; the bookkeeping
 * for that is bounded (a few cuts per entry; when {@link #MAX_CUTS} are pending, bodies pass
 * through unchanged until {@link #forget(long)} frees room).
 *
 * <p>Only UTF-8 is skimmed: in UTF-16 or UTF-32 (which Jackson detects itself) the bytes of {@code
 * "text":} never appear as such, so such files pass through untouched.
 */
final class BodySkipper extends InputStream {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long SPACES = 0x2020202020202020L;

  /** Cuts remembered at most; a power of two. */
  static final int MAX_CUTS = 4096;

  /** A string that opens this close to the end of a chunk waits for the next one. */
  private static final int LOOKAHEAD = 16;

  private static final int OUTSIDE = 0;
  private static final int STRING = 1;
  private static final int DROP = 2;

  private final InputStream in;
  private final byte[] buf;
  private boolean eof;

  /** Output ready for the parser: {@code buf[out, outEnd)}. */
  private int out;

  private int outEnd;

  /** Input not yet scanned (kept for the next chunk): {@code buf[rest, restEnd)}. */
  private int rest;

  private int restEnd;

  /** Bytes handed out before {@code buf[0]} of the current output. */
  private long emitted;

  private int state = OUTSIDE;

  /** 1: the last string was {@code "text"}; 2: and a colon followed it. */
  private int armed;

  /** Where the current string's contents start in this chunk, or -1. */
  private int stringStart = -1;

  /** Cuts: at output offset {@code at[i]}, {@code dropped[i]} bytes were dropped so far in all. */
  private final long[] at = new long[MAX_CUTS];

  private final long[] dropped = new long[MAX_CUTS];
  private int first;
  private int cuts;
  private long droppedForgotten;
  private long droppedTotal;

  /** Output offset of the cut being made (its string is still open), or -1. */
  private long openAt = -1;

  private long droppedBeforeOpen;

  BodySkipper(InputStream in, int bufferSize) {
    this.in = in;
    this.buf = new byte[Math.max(bufferSize, 4 * LOOKAHEAD)];
  }

  /** The offset in the original file of the byte the parser saw at {@code offset}. */
  long original(long offset) {
    if (offset < 0) {
      return offset;
    }
    if (openAt >= 0 && offset >= openAt) {
      return offset + droppedTotal;
    }
    for (int k = cuts - 1; k >= 0; k--) {
      int i = (first + k) & (MAX_CUTS - 1);
      if (at[i] <= offset) {
        return offset + dropped[i];
      }
    }
    return offset + droppedForgotten;
  }

  /** The parser will ask about no offset before {@code offset} again: forget the cuts before. */
  void forget(long offset) {
    while (cuts > 0 && at[first] <= offset) {
      droppedForgotten = dropped[first];
      first = (first + 1) & (MAX_CUTS - 1);
      cuts--;
    }
  }

  /** Bytes of bodies dropped so far. */
  long dropped() {
    return droppedTotal;
  }

  @Override
  public int read() throws IOException {
    if (out == outEnd && !fill()) {
      return -1;
    }
    return buf[out++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (out == outEnd && !fill()) {
      return -1;
    }
    int n = Math.min(len, outEnd - out);
    System.arraycopy(buf, out, b, off, n);
    out += n;
    return n;
  }

  @Override
  public int available() {
    return outEnd - out;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Reads and scans the next chunk; false at the end of the input. */
  private boolean fill() throws IOException {
    while (out == outEnd) {
      if (eof && rest == restEnd) {
        return false;
      }
      emitted += outEnd;
      int kept = restEnd - rest;
      System.arraycopy(buf, rest, buf, 0, kept);
      int end = kept;
      while (!eof && end < buf.length) {
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
          eof = true;
        } else {
          end += n;
        }
      }
      scan(end);
    }
    return true;
  }

  /** Scans {@code buf[0, end)} in place: what the parser gets moves to {@code buf[0, outEnd)}. */
  private void scan(int end) {
    byte[] b = buf;
    int r = 0;
    int w = 0;
    int copyFrom = 0;
    int dropFrom = 0;
    int stop = end;
    loop:
    while (r < end) {
      switch (state) {
        case OUTSIDE -> {
          while (armed != 0 && r < end && b[r] != '"') {
            byte c = b[r];
            if (c == ':' && armed == 1) {
              armed = 2;
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
              armed = 0;
              break;
            }
            r++;
          }
          int q = findQuote(b, r, end);
          if (q == end) {
            r = end;
            break loop;
          }
          if (q + LOOKAHEAD >= end && !eof) {
            stop = q;
            break loop;
          }
          r = q + 1;
          if (armed == 2 && cuts < MAX_CUTS) {
            w = copy(copyFrom, r, w);
            state = DROP;
            dropFrom = r;
            openAt = emitted + w;
            droppedBeforeOpen = droppedTotal;
          } else {
            state = STRING;
            stringStart = r;
          }
          armed = 0;
        }
        case STRING -> {
          int i = findQuoteOrBackslash(b, r, end);
          if (i == end) {
            r = end;
            stringStart = -1;
            break loop;
          }
          if (b[i] == '\\') {
            if (i + 2 > end && !eof) {
              stop = i;
              break loop;
            }
            r = Math.min(i + 2, end);
            continue;
          }
          int s = stringStart;
          armed =
              s >= 0
                      && i - s == 4
                      && b[s] == 't'
                      && b[s + 1] == 'e'
                      && b[s + 2] == 'x'
                      && b[s + 3] == 't'
                  ? 1
                  : 0;
          state = OUTSIDE;
          r = i + 1;
        }
        default -> { // DROP
          int i = skipBody(b, r, end);
          if (i == end) {
            r = end;
            break loop;
          }
          if (b[i] != '"') {
            int n = validSequence(b, i, end);
            if (n > 0) {
              r = i + n;
              continue;
            }
            if (n == 0 && !eof) {
              stop = i;
              break loop;
            }
            // The parser refuses this byte (or the file ends): let it see the rest as it is.
            state = STRING;
            stringStart = -1;
            r = i;
          } else {
            state = OUTSIDE;
            armed = 0;
            r = i + 1;
          }
          droppedTotal += i - dropFrom;
          closeCut();
          copyFrom = i;
        }
      }
    }
    if (state == DROP) {
      droppedTotal += stop - dropFrom;
      if (eof && stop == end) {
        closeCut();
        state = OUTSIDE;
      }
    } else {
      w = copy(copyFrom, stop, w);
      if (state == STRING) {
        stringStart = -1; // chunk coordinates change
      }
    }
    rest = stop;
    restEnd = end;
    out = 0;
    outEnd = w;
  }

  private void closeCut() {
    if (droppedTotal > droppedBeforeOpen) {
      int i = (first + cuts) & (MAX_CUTS - 1);
      at[i] = openAt;
      dropped[i] = droppedTotal;
      cuts++;
    }
    openAt = -1;
  }

  /** Moves {@code buf[from, to)} to {@code w}; returns the new {@code w}. */
  private int copy(int from, int to, int w) {
    int n = to - from;
    if (n > 0 && w != from) {
      System.arraycopy(buf, from, buf, w, n);
    }
    return w + n;
  }

  /**
   * The length of the escape or UTF-8 sequence at {@code i} when Jackson's UTF-8 parser accepts it
   * in a string, 0 when more bytes are needed to tell, -1 when it refuses it.
   */
  private static int validSequence(byte[] b, int i, int end) {
    int c = b[i] & 0xFF;
    if (c == '\\') {
      if (i + 1 >= end) {
        return 0;
      }
      switch (b[i + 1]) {
        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
          return 2;
        case 'u':
          if (i + 6 > end) {
            return 0;
          }
          for (int k = 2; k < 6; k++) {
            if (!hex(b[i + k])) {
              return -1;
            }
          }
          return 6;
        default:
          return -1;
      }
    }
    int n;
    if ((c & 0xE0) == 0xC0) {
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4;
    } else {
      return -1; // a control character, a stray continuation byte, 0xF8-0xFF
    }
    if (i + n > end) {
      return 0;
    }
    for (int k = 1; k < n; k++) {
      if ((b[i + k] & 0xC0) != 0x80) {
        return -1;
      }
    }
    return n;
  }

  private static boolean hex(byte c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int findQuote(byte[] b, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      long q = (long) LONGS.get(b, i) ^ QUOTES;
      long m = (q - ONES) & ~q & HIGH;
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == '"') {
        return i;
      }
    }
    return end;
  }

  private static int findQuoteOrBackslash(byte[] b, int i, int end) {
    for (; i + 8 <= end; i += 8) {
      long x = (long) LONGS.get(b, i);
      long q = x ^ QUOTES;
      long s = x ^ BACKSLASHES;
      long m = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGH;
      if (m != 0) {
        return i + (Long.numberOfTrailingZeros(m) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == '"' || b[i] == '\\') {
        return i;
      }
    }
    return end;
  }

  /**
   * Skips printable ASCII and two-byte escapes from {@code i}; returns the index of the next byte
   * that needs a closer look (a quote, another escape, a control or non-ASCII byte), or {@code
   * end}.
   */
  private static int skipBody(byte[] b, int i, int end) {
    while (true) {
      long m = 0;
      while (i + 8 <= end) {
        long x = (long) LONGS.get(b, i);
        long q = x ^ QUOTES;
        long s = x ^ BACKSLASHES;
        m = ((q - ONES) & ~q | (s - ONES) & ~s | (x - SPACES) & ~x | x) & HIGH;
        if (m != 0) {
          break;
        }
        i += 8;
      }
      if (m != 0) {
        i += Long.numberOfTrailingZeros(m) >>> 3;
      } else {
        while (i < end) {
          int c = b[i] & 0xFF;
          if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
            break;
          }
          i++;
        }
        if (i == end) {
          return end;
        }
      }
      if (b[i] != '\\' || i + 1 == end) {
        return i;
      }
      switch (b[i + 1]) {
        case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> i += 2;
        default -> {
          return i;
        }
      }
    }
  }
}
