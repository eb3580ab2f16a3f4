package io.corsdoctor.ports;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Linux's {@code /proc/net/tcp} and {@code /proc/net/tcp6} (format: the kernel's {@code
 * tcp4_seq_show} / {@code tcp6_seq_show}). Pure: bytes in, records out.
 *
 * <p>A machine can hold tens of thousands of sockets, so the parser works on the raw bytes and
 * builds records only for the lines the caller wants (by state and local port), which keeps a
 * lookup of one port cheap.
 */
public final class ProcNetTcpParser {
  private ProcNetTcpParser() {}

  /** Which lines to keep; {@code -1} as port or state keeps every value. */
  public record Filter(int state, int localPort) {
    public static final Filter ALL = new Filter(-1, -1);

    boolean accepts(int st, int port) {
      return (state < 0 || state == st) && (localPort < 0 || localPort == port);
    }
  }

  /** Parses with the machine's byte order (the kernel prints addresses as host-order words). */
  public static List<TcpSocket> parse(byte[] text, boolean ipv6, Filter filter) {
    return parse(text, text.length, ipv6, filter, ByteOrder.nativeOrder());
  }

  /** Parses the first {@code length} bytes; {@code order} is the byte order of the machine. */
  public static List<TcpSocket> parse(
      byte[] text, int length, boolean ipv6, Filter filter, ByteOrder order) {
    List<TcpSocket> out = new ArrayList<>();
    int addrHex = ipv6 ? 32 : 8;
    int pos = skipLine(text, 0, length); // header line
    while (pos < length) {
      int end = lineEnd(text, pos, length);
      TcpSocket s = parseLine(text, pos, end, addrHex, ipv6, filter, order);
      if (s != null) {
        out.add(s);
      }
      pos = end + 1;
    }
    return out;
  }

  /** Receives the lines of a streamed table; returns false to stop reading. */
  interface Sink {
    /**
     * Called for every line the filter accepts, and once for the first line past the listening part
     * (the listeners, with the request sockets older kernels list under them), accepted or not: the
     * moment a reader that wants only listeners can stop.
     *
     * @param state the line's TCP state
     * @param socket the parsed line when the filter accepts it, else null
     */
    boolean line(int state, TcpSocket socket);

    /**
     * Asked after each piece of the table read (a few kilobytes: a page of the kernel's text);
     * false stops reading. For a reader that learns from elsewhere that it is done (another
     * thread).
     */
    default boolean more() {
      return true;
    }
  }

  /** {@code TCP_SYN_RECV}: older kernels list these under their listener. */
  static final int SYN_RECV = 0x03;

  /**
   * The fewest characters the kernel prints on a line: {@code "%4d: "}, two addresses with their
   * ports, the state, then at least 56 more ({@code tx_queue:rx_queue tr:tm->when retrnsmt uid
   * timeout inode}, each with its minimum width).
   */
  private static int shortestLine(int addrHex) {
    return 6 + 2 * (addrHex + 6) + 2 + 56;
  }

  /**
   * Streams a table from {@code in} in chunks, so that a reader can stop early: the kernel formats
   * {@code /proc/net/tcp} lazily, as it is read, and formatting tens of thousands of sockets is
   * what costs (listeners come first, then the established hash table).
   *
   * <p>Most lines are rejected by the filter, so a line costs only what deciding that costs: its
   * port and state sit at fixed offsets after the {@code sl} field, and the next line starts where
   * the previous line's length says when a newline is there (the kernel pads IPv4 lines to one
   * width, and no kernel line is shorter than {@link #shortestLine}, so a newline found that far
   * can only end this line). A short command runs this loop in the interpreter before it is
   * compiled, where each byte looked at counts.
   */
  static void stream(InputStream in, boolean ipv6, Filter filter, ByteOrder order, Sink sink)
      throws IOException {
    int addrHex = ipv6 ? 32 : 8;
    int shortest = shortestLine(addrHex);
    byte[] port = filter.localPort() >= 0 ? lowerHex4(filter.localPort()) : null;
    byte[] buf = new byte[64 * 1024];
    int len = 0;
    boolean header = true;
    boolean listening = true;
    int lineLength = 0; // of the previous line, with its newline; 0 when not known
    boolean eof = false;
    while (!eof) {
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        eof = true;
        if (len > 0 && buf[len - 1] != '\n') {
          if (len == buf.length) {
            buf = java.util.Arrays.copyOf(buf, buf.length + 1);
          }
          buf[len++] = '\n'; // the last line without its newline
        }
      } else {
        len += n;
      }
      int pos = 0;
      while (true) {
        int nl = pos + lineLength - 1;
        if (lineLength <= shortest || lineLength > 2 * shortest || nl >= len || buf[nl] != '\n') {
          nl = lineEnd(buf, pos, len);
          if (nl >= len) {
            break; // an incomplete line: read more
          }
        }
        if (header) {
          header = false;
        } else {
          int state = -1;
          boolean portMatches = true;
          int localAt = localAddressAt(buf, pos, nl);
          int stateAt = localAt + 2 * (addrHex + 6);
          if (localAt >= 0
              && stateAt + 2 <= nl
              && buf[localAt + addrHex] == ':'
              && buf[stateAt - addrHex - 7] == ' '
              && buf[stateAt - 1] == ' ') {
            state = (int) hex(buf, stateAt, 2);
            if (port != null) {
              int at = localAt + addrHex + 1;
              portMatches =
                  (buf[at] | 0x20) == port[0]
                      && (buf[at + 1] | 0x20) == port[1]
                      && (buf[at + 2] | 0x20) == port[2]
                      && (buf[at + 3] | 0x20) == port[3];
            }
          } else {
            state = state(buf, pos, nl); // not the kernel's layout: the careful way
          }
          if (state >= 0) {
            TcpSocket socket =
                portMatches && (filter.state() < 0 || filter.state() == state)
                    ? parseLine(buf, pos, nl, addrHex, ipv6, filter, order)
                    : null;
            boolean pastListeners = listening && state != TcpSocket.LISTEN && state != SYN_RECV;
            if (pastListeners) {
              listening = false;
            }
            if ((socket != null || pastListeners) && !sink.line(state, socket)) {
              return;
            }
          }
        }
        lineLength = nl + 1 - pos;
        pos = nl + 1;
      }
      if (!sink.more()) {
        return;
      }
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
      if (len == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
      }
    }
  }

  /** Where the local address starts: after the spaces, the {@code sl} number, ':' and spaces. */
  private static int localAddressAt(byte[] b, int from, int end) {
    int p = skipSpaces(b, from, end);
    while (p < end && b[p] != ':') {
      p++;
    }
    return p < end ? skipSpaces(b, p + 1, end) : -1;
  }

  /**
   * A port as the kernel prints it ({@code %04X}), lower-cased for a case-blind comparison (no
   * String.format: its first call costs a short command milliseconds).
   */
  private static byte[] lowerHex4(int port) {
    byte[] h = new byte[4];
    for (int i = 0; i < 4; i++) {
      h[i] = (byte) Character.forDigit((port >>> (12 - 4 * i)) & 0xF, 16);
    }
    return h;
  }

  /** The state field of a line, or -1 for a line too short to have one. */
  private static int state(byte[] b, int from, int end) {
    int p = skipSpaces(b, from, end);
    for (int field = 0; field < 3; field++) { // "sl:", local address, remote address
      p = skipSpaces(b, skipField(b, p, end), end);
    }
    return p + 2 <= end ? (int) hex(b, p, 2) : -1;
  }

  // "  12: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 4711 ..."
  private static TcpSocket parseLine(
      byte[] b, int from, int end, int addrHex, boolean ipv6, Filter filter, ByteOrder order) {
    int p = skipSpaces(b, from, end);
    p = skipField(b, p, end); // "sl:"
    p = skipSpaces(b, p, end);
    int localAt = p;
    if (p + addrHex + 5 > end) {
      return null; // truncated line
    }
    int localPort = (int) hex(b, localAt + addrHex + 1, 4);
    p = skipSpaces(b, skipField(b, p, end), end);
    int remoteAt = p;
    if (p + addrHex + 5 > end) {
      return null;
    }
    p = skipSpaces(b, skipField(b, p, end), end);
    if (p + 2 > end) {
      return null;
    }
    int state = (int) hex(b, p, 2);
    if (!filter.accepts(state, localPort)) {
      return null;
    }
    p = skipSpaces(b, skipField(b, p, end), end); // now at tx_queue:rx_queue
    p = skipSpaces(b, skipField(b, p, end), end); // now at tr:tm->when
    p = skipSpaces(b, skipField(b, p, end), end); // now at retrnsmt
    p = skipSpaces(b, skipField(b, p, end), end); // now at uid
    int uidAt = p;
    p = skipSpaces(b, skipField(b, p, end), end); // now at timeout
    p = skipSpaces(b, skipField(b, p, end), end); // now at inode
    int inodeAt = p;
    if (inodeAt >= end) {
      return null;
    }
    int uid = (int) decimal(b, uidAt, end);
    long inode = decimal(b, inodeAt, end);
    int remotePort = (int) hex(b, remoteAt + addrHex + 1, 4);
    return new TcpSocket(
        ipv6,
        address(b, localAt, addrHex, order),
        localPort,
        address(b, remoteAt, addrHex, order),
        remotePort,
        state,
        uid,
        inode);
  }

  /** The kernel prints each 32-bit word of the address with {@code %08X} in host byte order. */
  private static InetAddress address(byte[] b, int at, int hexLen, ByteOrder order) {
    byte[] raw = new byte[hexLen / 2];
    for (int word = 0; word < hexLen / 8; word++) {
      long v = hex(b, at + word * 8, 8);
      for (int i = 0; i < 4; i++) {
        int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
        raw[word * 4 + i] = (byte) (v >>> shift);
      }
    }
    try {
      // getByAddress keeps ::ffff:a.b.c.d as an Inet4Address; that is what we want to compare.
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("address of length " + raw.length, e);
    }
  }

  private static long hex(byte[] b, int at, int len) {
    long v = 0;
    for (int i = at; i < at + len; i++) {
      int c = b[i];
      int d =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) {
        throw new IllegalArgumentException("not a hex digit at " + i + ": '" + (char) c + "'");
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static long decimal(byte[] b, int at, int end) {
    long v = 0;
    for (int i = at; i < end && b[i] >= '0' && b[i] <= '9'; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  private static int skipSpaces(byte[] b, int p, int end) {
    while (p < end && b[p] == ' ') {
      p++;
    }
    return p;
  }

  private static int skipField(byte[] b, int p, int end) {
    while (p < end && b[p] != ' ') {
      p++;
    }
    return p;
  }

  private static int lineEnd(byte[] b, int p, int length) {
    while (p < length && b[p] != '\n') {
      p++;
    }
    return p;
  }

  private static int skipLine(byte[] b, int p, int length) {
    return lineEnd(b, p, length) + 1;
  }
}
