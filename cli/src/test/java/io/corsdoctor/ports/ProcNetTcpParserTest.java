package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcNetTcpParserTest {
  // /proc/net/tcp on this project's Linux x86_64 dev machine (little-endian), 2026-11-25:
  // a listener on 0.0.0.0:2024 and one on 127.0.0.1:5000 owned by uid 1000, one connection.
  static final String TCP =
      """
        sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 98 1 000000009864a1fe 100 0 0 10 0
         1: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 226001 1 0000000000000000 100 0 0 10 0
         2: 0100007F:1388 0100007F:B09D 01 00000000:00000000 00:00000000 00000000  1000        0 226777 1 0000000000000000 20 4 30 10 -1
      """;

  // /proc/net/tcp6 on the same machine: ::1 listener, and an IPv4-mapped connection in TIME_WAIT.
  static final String TCP6 =
      """
        sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
         0: 00000000000000000000000001000000:EE1F 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 226458 1 00000000c564f9c4 100 0 0 10 0
         2: 0000000000000000FFFF00000100007F:9BA6 0000000000000000FFFF00000100007F:B09D 06 00000000:00000000 03:00000492 00000000     0        0 0 3 0000000000000000
         3: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 226999 1 00000000a293768f 100 0 0 10 0
      """;

  static byte[] bytes(String s) {
    return s.stripIndent().getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void readsListenersWithAddressPortUidAndInode() {
    List<TcpSocket> all = ProcNetTcpParser.parse(bytes(TCP), false, ProcNetTcpParser.Filter.ALL);
    assertThat(all).hasSize(3);
    TcpSocket l = all.get(1);
    assertThat(l.local().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(l.localPort()).isEqualTo(5000);
    assertThat(l.state()).isEqualTo(TcpSocket.LISTEN);
    assertThat(l.uid()).isEqualTo(1000);
    assertThat(l.inode()).isEqualTo(226001);
    assertThat(all.get(0).localPort()).isEqualTo(2024);
    assertThat(all.get(2).remotePort()).isEqualTo(0xB09D);
  }

  @Test
  void filtersByStateAndPortWithoutBuildingOtherRecords() {
    List<TcpSocket> l =
        ProcNetTcpParser.parse(
            bytes(TCP), false, new ProcNetTcpParser.Filter(TcpSocket.LISTEN, 5000));
    assertThat(l).singleElement().extracting(TcpSocket::inode).isEqualTo(226001L);
    List<TcpSocket> est =
        ProcNetTcpParser.parse(
            bytes(TCP), false, new ProcNetTcpParser.Filter(TcpSocket.ESTABLISHED, 5000));
    assertThat(est).singleElement().extracting(TcpSocket::inode).isEqualTo(226777L);
  }

  @Test
  void readsIpv6LoopbackWildcardAndMappedAddresses() {
    List<TcpSocket> all = ProcNetTcpParser.parse(bytes(TCP6), true, ProcNetTcpParser.Filter.ALL);
    assertThat(all).hasSize(3);
    assertThat(all.get(0).local().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(all.get(0).localPort()).isEqualTo(60959);
    assertThat(all.get(1).local().getHostAddress()).isEqualTo("127.0.0.1"); // ::ffff:127.0.0.1
    assertThat(all.get(1).inode()).isZero();
    assertThat(all.get(2).local().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:0");
  }

  @Test
  void bigEndianMachinesPrintWordsTheOtherWayRound() {
    String be =
        """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 7F000001:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 42 1 0 100 0 0 10 0
        """;
    byte[] b = bytes(be);
    List<TcpSocket> l =
        ProcNetTcpParser.parse(
            b, b.length, false, ProcNetTcpParser.Filter.ALL, ByteOrder.BIG_ENDIAN);
    assertThat(l.get(0).local().getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void truncatedLinesAreSkipped() {
    String cut = TCP.stripIndent() + "   3: 0100007F:13";
    List<TcpSocket> all =
        ProcNetTcpParser.parse(
            cut.getBytes(StandardCharsets.US_ASCII), false, ProcNetTcpParser.Filter.ALL);
    assertThat(all).hasSize(3);
  }

  @Test
  void compressesIpv6Text() {
    assertThat(LinuxProcPortOwners.compress("fe80:0:0:0:1:2:3:4")).isEqualTo("fe80::1:2:3:4");
    assertThat(LinuxProcPortOwners.compress("1:2:3:4:5:6:7:8")).isEqualTo("1:2:3:4:5:6:7:8");
  }

  /** Hands out at most {@code step} bytes per read, and counts what was read. */
  static final class Trickle extends java.io.InputStream {
    private final byte[] data;
    private final int step;
    int at;

    Trickle(byte[] data, int step) {
      this.data = data;
      this.step = step;
    }

    @Override
    public int read() {
      return at < data.length ? data[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (at >= data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, step), data.length - at);
      System.arraycopy(data, at, b, off, n);
      at += n;
      return n;
    }
  }

  @Test
  void streamingInPiecesOfAnySizeGivesWhatParsingTheWholeGives() throws Exception {
    for (String table : new String[] {TCP, TCP6}) {
      boolean v6 = table == TCP6;
      byte[] whole = bytes(table);
      List<TcpSocket> expected = ProcNetTcpParser.parse(whole, v6, ProcNetTcpParser.Filter.ALL);
      for (int step : new int[] {1, 7, 64, 100_000}) {
        for (byte[] data : new byte[][] {whole, java.util.Arrays.copyOf(whole, whole.length - 1)}) {
          List<TcpSocket> got = new java.util.ArrayList<>();
          List<Integer> states = new java.util.ArrayList<>();
          ProcNetTcpParser.stream(
              new Trickle(data, step),
              v6,
              ProcNetTcpParser.Filter.ALL,
              ByteOrder.LITTLE_ENDIAN,
              (state, socket) -> {
                states.add(state);
                got.add(socket);
                return true;
              });
          assertThat(got).as("pieces of %d bytes", step).isEqualTo(expected);
          assertThat(states).isEqualTo(expected.stream().map(TcpSocket::state).toList());
        }
      }
    }
  }

  @Test
  void streamingStopsReadingWhenTheSinkSaysSoAndReportsTheEndOfTheListeners() throws Exception {
    StringBuilder big = new StringBuilder(TCP.stripIndent());
    for (int i = 0; i < 5000; i++) { // a long established section after the listeners
      big.append(
          String.format(
              "%5d: 0100007F:%04X 0100007F:1388 01 00000000:00000000 00:00000000 00000000  1000"
                  + "        0 %d 1 0000000000000000 20 4 30 10 -1%n",
              i + 3, 20000 + i, 300000 + i));
    }
    byte[] data = big.toString().getBytes(StandardCharsets.US_ASCII);
    Trickle in = new Trickle(data, 4096);
    List<Integer> states = new java.util.ArrayList<>();
    List<TcpSocket> kept = new java.util.ArrayList<>();
    ProcNetTcpParser.stream(
        in,
        false,
        new ProcNetTcpParser.Filter(-1, 5000),
        ByteOrder.LITTLE_ENDIAN,
        (state, socket) -> {
          states.add(state);
          if (socket != null) {
            kept.add(socket);
          }
          return state == TcpSocket.LISTEN; // stop after the listening part
        });
    // Line 0 listens on another port: not reported. Line 2 is both accepted and the first line
    // past the listeners.
    assertThat(states).containsExactly(TcpSocket.LISTEN, TcpSocket.ESTABLISHED);
    assertThat(kept).extracting(TcpSocket::inode).containsExactly(226001L, 226777L);
    assertThat(in.at).as("bytes read before stopping").isLessThan(data.length / 10);
  }

  /** A line as the kernel prints it: IPv4 lines padded to 149 characters. */
  private static String kernelLine(int sl, int localPort, int remotePort, int state, long inode) {
    String line =
        String.format(
            "%4d: 0100007F:%04X 0100007F:%04X %02X 00000000:00000000 00:00000000 00000000  1000"
                + "        0 %d 1 0000000000000000 20 4 30 10 -1",
            sl, localPort, remotePort, state, inode);
    return String.format("%-149s%n", line);
  }

  @Test
  void paddedKernelLinesFilteredByPortGiveWhatParsingGivesAndTheEndOfTheListeners()
      throws Exception {
    StringBuilder t = new StringBuilder(String.format("%-149s%n", "  sl  local_address ..."));
    int sl = 0;
    for (int i = 0; i < 40; i++) { // listeners, one of them on the port
      t.append(kernelLine(sl++, i == 17 ? 0x1388 : 0x2000 + i, 0, TcpSocket.LISTEN, 1000 + i));
    }
    for (int i = 0; i < 12_000; i++) { // sl passes 9999: the field gets wider, the line does not
      int local = i % 997 == 500 ? 0x1388 : 0x3000 + i % 4000;
      t.append(kernelLine(sl++, local, 0x8000 + i % 30000, i % 5 == 0 ? 6 : 1, 5000 + i));
    }
    byte[] data = t.toString().getBytes(StandardCharsets.US_ASCII);
    ProcNetTcpParser.Filter onPort = new ProcNetTcpParser.Filter(-1, 0x1388);
    List<TcpSocket> expected = ProcNetTcpParser.parse(data, false, onPort);
    assertThat(expected).hasSize(1 + 12);
    for (int step : new int[] {1, 149, 150, 4096, 100_000}) {
      List<TcpSocket> got = new java.util.ArrayList<>();
      List<Integer> past = new java.util.ArrayList<>();
      ProcNetTcpParser.stream(
          new Trickle(data, step),
          false,
          onPort,
          ByteOrder.LITTLE_ENDIAN,
          (state, socket) -> {
            if (socket == null) {
              past.add(state);
            } else {
              got.add(socket);
            }
            return true;
          });
      assertThat(got).as("pieces of %d bytes", step).isEqualTo(expected);
      assertThat(past).as("the first line past the listeners (TIME_WAIT)").containsExactly(6);
    }
  }

  @Test
  void lowerCaseHexAndLinesOfChangingLengthAreReadToo() throws Exception {
    String table =
        TCP.stripIndent()
            + "   3: 0100007f:1388 0100007f:b0a0 01 00000000:00000000 00:00000000 00000000  1000"
            + "        0 226778 1 0000000000000000 20 4 30 10 -1 and a longer tail than the others\n";
    byte[] data = table.getBytes(StandardCharsets.US_ASCII);
    ProcNetTcpParser.Filter onPort = new ProcNetTcpParser.Filter(-1, 0x1388);
    List<TcpSocket> got = new java.util.ArrayList<>();
    ProcNetTcpParser.stream(
        new Trickle(data, 64),
        false,
        onPort,
        ByteOrder.LITTLE_ENDIAN,
        (state, socket) -> {
          if (socket != null) {
            got.add(socket);
          }
          return true;
        });
    assertThat(got).extracting(TcpSocket::inode).containsExactly(226001L, 226777L, 226778L);
  }
}
