package io.corsdoctor.har;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

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
 * <p>With {@code threaded}, the reading and scanning run on a thread of their own, a few chunks
 * ahead of the parser.
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

  /** Chunks in flight between the scanning thread and the parser. */
  private static final int BUFFERS = 3;

  private static final int OUTSIDE = 0;
  private static final int STRING = 1;
  private static final int DROP = 2;

  /** A scanned chunk: {@code buf[0, length)} for the parser, and the cuts made in it. */
  private record Chunk(
      byte[] buf, int length, long[] at, long[] dropped, boolean last, Throwable failure) {}

  private final Scanner scanner;
  private final Thread thread;
  private final BlockingQueue<Chunk> full;
  private final BlockingQueue<byte[]> free;

  /** The chunk the parser reads: {@code chunk.buf[pos, chunk.length)} is left. */
  private Chunk chunk;

  private int pos;

  /** Cuts: at output offset {@code at[i]}, {@code dropped[i]} bytes were dropped so far in all. */
  private final long[] at = new long[MAX_CUTS];

  private final long[] dropped = new long[MAX_CUTS];
  private int first;
  private int cuts;
  private long droppedForgotten;

  /** Cuts forgotten by the parser's side; the scanner makes no more than MAX_CUTS beyond. */
  private volatile long forgotten;

  /**
   * @param chunkSize bytes read and scanned at once
   * @param threaded whether to scan on a thread of its own, ahead of the reader
   */
  BodySkipper(InputStream in, int chunkSize, boolean threaded) {
    int size = Math.max(chunkSize, 4 * LOOKAHEAD);
    this.scanner = new Scanner(in);
    this.chunk = new Chunk(new byte[size], 0, new long[0], new long[0], false, null);
    if (threaded) {
      full = new ArrayBlockingQueue<>(BUFFERS);
      free = new ArrayBlockingQueue<>(BUFFERS);
      for (int i = 1; i < BUFFERS; i++) {
        free.add(new byte[size]);
      }
      thread = new Thread(this::produce, "har-scanner");
      thread.setDaemon(true);
      thread.start();
    } else {
      full = null;
      free = null;
      thread = null;
    }
  }

  BodySkipper(InputStream in, int chunkSize) {
    this(in, chunkSize, false);
  }

  /** The offset in the original file of the byte the parser saw at {@code offset}. */
  long original(long offset) {
    if (offset < 0) {
      return offset;
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
    int n = 0;
    while (cuts > 0 && at[first] <= offset) {
      droppedForgotten = dropped[first];
      first = (first + 1) & (MAX_CUTS - 1);
      cuts--;
      n++;
    }
    if (n > 0) {
      forgotten += n; // only this thread writes it
    }
  }

  /** Bytes of bodies dropped in what the parser has been given. */
  long dropped() {
    return cuts == 0 ? droppedForgotten : dropped[(first + cuts - 1) & (MAX_CUTS - 1)];
  }

  @Override
  public int read() throws IOException {
    if (pos == chunk.length() && !next()) {
      return -1;
    }
    return chunk.buf()[pos++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == chunk.length() && !next()) {
      return -1;
    }
    int n = Math.min(len, chunk.length() - pos);
    System.arraycopy(chunk.buf(), pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public int available() {
    return chunk.length() - pos;
  }

  /** Stops the scanning thread; the underlying stream stays open (its owner closes it). */
  @Override
  public void close() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** Moves to the next chunk with bytes for the parser; false at the end of the input. */
  private boolean next() throws IOException {
    while (pos == chunk.length()) {
      if (chunk.last()) {
        return false;
      }
      Chunk c;
      if (thread == null) {
        c = scanner.fill(chunk.buf());
      } else {
        free.add(chunk.buf());
        try {
          c = full.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while reading the HAR");
        }
        if (c.failure() != null) {
          chunk = new Chunk(c.buf(), 0, c.at(), c.dropped(), true, null);
          throw rethrow(c.failure());
        }
      }
      for (int k = 0; k < c.at().length; k++) {
        int i = (first + cuts) & (MAX_CUTS - 1);
        at[i] = c.at()[k];
        dropped[i] = c.dropped()[k];
        cuts++;
      }
      chunk = c;
      pos = 0;
    }
    return true;
  }

  private static IOException rethrow(Throwable t) {
    if (t instanceof IOException e) {
      return e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }

  /** The scanning thread: fills free buffers and queues them for the parser. */
  private void produce() {
    try {
      while (true) {
        Chunk c;
        try {
          c = scanner.fill(free.take());
        } catch (InterruptedException e) {
          return;
        } catch (Throwable t) { // the parser's thread throws it
          c = new Chunk(new byte[0], 0, new long[0], new long[0], true, t);
        }
        full.put(c);
        if (c.last()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // the parser stopped reading
    }
  }

  /** Reads the input in chunks and drops the bodies from them; one thread at a time. */
  private final class Scanner {
    private final InputStream in;
    private boolean eof;

    /** Input kept for the next chunk (a string or escape that the chunk's end cut). */
    private final byte[] carry = new byte[2 * LOOKAHEAD];

    private int carried;

    /** Bytes handed out before the current chunk. */
    private long emitted;

    private int state = OUTSIDE;

    /** 1: the last string was {@code "text"}; 2: and a colon followed it. */
    private int armed;

    /** Where the current string's contents start in this chunk, or -1. */
    private int stringStart = -1;

    /** Output offset of the cut being made (its string is still open). */
    private long openAt;

    private long droppedBeforeOpen;
    private long droppedTotal;

    /** Cuts made so far; with {@link #forgotten}, bounds those the parser's side holds. */
    private long made;

    /** Cuts closed in the current chunk. */
    private long[] newAt = new long[16];

    private long[] newDropped = new long[16];
    private int newCuts;

    Scanner(InputStream in) {
      this.in = in;
    }

    /** Reads the next chunk into {@code b} and scans it. */
    Chunk fill(byte[] b) throws IOException {
      System.arraycopy(carry, 0, b, 0, carried);
      int end = carried;
      while (!eof && end < b.length) {
        int n = in.read(b, end, b.length - end);
        if (n < 0) {
          eof = true;
        } else {
          end += n;
        }
      }
      newCuts = 0;
      int length = scan(b, end);
      emitted += length;
      return new Chunk(
          b,
          length,
          Arrays.copyOf(newAt, newCuts),
          Arrays.copyOf(newDropped, newCuts),
          eof && carried == 0,
          null);
    }

    /** Scans {@code b[0, end)} in place; returns the length of what the parser gets. */
    private int scan(byte[] b, int end) {
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
            if (armed == 2 && made - forgotten < MAX_CUTS) {
              w = copy(b, copyFrom, r, w);
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
        w = copy(b, copyFrom, stop, w);
        if (state == STRING) {
          stringStart = -1; // chunk coordinates change
        }
      }
      carried = end - stop;
      System.arraycopy(b, stop, carry, 0, carried);
      return w;
    }

    private void closeCut() {
      if (droppedTotal > droppedBeforeOpen) {
        if (newCuts == newAt.length) {
          newAt = Arrays.copyOf(newAt, 2 * newCuts);
          newDropped = Arrays.copyOf(newDropped, 2 * newCuts);
        }
        newAt[newCuts] = openAt;
        newDropped[newCuts] = droppedTotal;
        newCuts++;
        made++;
      }
    }
  }

  /** Moves {@code b[from, to)} to {@code w}; returns the new {@code w}. */
  private static int copy(byte[] b, int from, int to, int w) {
    int n = to - from;
    if (n > 0 && w != from) {
      System.arraycopy(b, from, b, w, n);
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
        // The lowest high bit marks the first quote, backslash, control or non-ASCII byte: below
        // it every byte is printable ASCII, so no subtraction borrows across bytes there.
        m = (((x ^ QUOTES) - ONES) | ((x ^ BACKSLASHES) - ONES) | (x - SPACES) | x) & HIGH;
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
