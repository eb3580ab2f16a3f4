package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The macOS and Windows parsers on output people captured on real machines and published
 * (src/test/resources/ports/recorded/real; the README there names the source of every file).
 */
class RealCapturedOutputTest {
  private final KnownPorts known = KnownPorts.bundled();

  static String real(String name) {
    try (InputStream in =
        RealCapturedOutputTest.class.getResourceAsStream("/ports/recorded/real/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Windows consoles end lines with CRLF; the published copies lost that, so put it back. */
  static String crlf(String text) {
    return text.replace("\n", "\r\n");
  }

  // ---------------------------------------------------------------- macOS netstat -an -p tcp

  @Test
  void macNetstatWithAirPlayReceiverOnBothFamiliesOf5000And7000() {
    List<Listener> l = BsdNetstatParser.listeners(real("macos-netstat-anp-tcp-simulaqron.txt"));
    assertThat(l).hasSize(20);
    assertThat(l)
        .filteredOn(x -> x.port() == 5000 || x.port() == 7000)
        .extracting(Listener::address, Listener::family, Listener::port, Listener::v6Only)
        .containsExactly(
            tuple("::", "ipv6", 5000, true),
            tuple("0.0.0.0", "ipv4", 5000, null),
            tuple("::", "ipv6", 7000, true),
            tuple("0.0.0.0", "ipv4", 7000, null));
    assertThat(l)
        .filteredOn(x -> x.port() == 8021)
        .extracting(Listener::address, Listener::family)
        .containsExactly(tuple("127.0.0.1", "ipv4"), tuple("::1", "ipv6"));
    // netstat names no process: the owner stays unknown, never guessed
    assertThat(l).allSatisfy(x -> assertThat(x.owner()).isNull());
    // ... yet the catalogue tells the user what *:5000 and *:7000 are on a Mac
    assertThat(known.matches(5000, l))
        .extracting(m -> m.entry().id())
        .contains("macos-airplay-receiver");
    assertThat(known.matches(7000, l))
        .extracting(m -> m.entry().id())
        .contains("macos-airplay-receiver");
  }

  @Test
  void macOs15NetstatKeepsOnlyListenersAndSkipsTruncatedIpv6Connections() {
    // netstat without -W cuts long IPv6 addresses to the column ("fe80::3ec3:369f:.1025");
    // those rows are connections here, and the backend now asks for -W (see MacLsofPortOwners).
    List<Listener> l = BsdNetstatParser.listeners(real("macos15-netstat-atn-tp1.txt"));
    assertThat(l)
        .extracting(Listener::address, Listener::port)
        .containsExactly(
            tuple("127.0.0.1", 6463),
            tuple("::", 49657),
            tuple("0.0.0.0", 49657),
            tuple("127.0.0.1", 9000),
            tuple("::", 5000),
            tuple("0.0.0.0", 5000),
            tuple("::", 7000),
            tuple("0.0.0.0", 7000),
            tuple("0.0.0.0", 22),
            tuple("::", 22));
    assertThat(l).noneMatch(x -> x.address().startsWith("fe80"));
  }

  @Test
  void macTcp46RowWithTrailingBlanksIsADualStackWildcard() {
    List<Listener> l =
        BsdNetstatParser.listeners(real("macos14-netstat-tcp46-node-netstat-43.txt"));
    assertThat(l)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.address()).isEqualTo("::");
              assertThat(x.family()).isEqualTo("ipv6");
              assertThat(x.port()).isEqualTo(8809);
              assertThat(x.v6Only()).isFalse();
              assertThat(x.wildcard()).isTrue();
            });
  }

  @Test
  void macNetstatIsCalledWithoutAddressTruncation() {
    assertThat(MacLsofPortOwners.NETSTAT).containsExactly("netstat", "-anW", "-p", "tcp");
  }

  @Test
  void macPsRightAlignedPidsAndHeaderLine() {
    Map<Long, String> c = PsParser.commands(real("macos15-ps-e-pid-comm-tp1.txt"));
    assertThat(c).hasSize(14).containsEntry(1L, "/sbin/launchd");
    assertThat(c.get(463L)).endsWith("/Support/fseventsd").startsWith("/System/Library/");
    assertThat(c).doesNotContainKey(0L);
  }

  // ---------------------------------------------------------------- Windows netstat -ano

  @Test
  void windowsNetstatRowsAsPipedThroughFind() {
    for (String text :
        List.of(
            real("windows-netstat-aon-find-80-whoport-1.txt"),
            crlf(real("windows-netstat-aon-find-80-whoport-1.txt")))) {
      assertThat(WindowsNetstatParser.parse(text))
          .extracting(
              WindowsNetstatParser.Row::local,
              WindowsNetstatParser.Row::localPort,
              WindowsNetstatParser.Row::listening,
              WindowsNetstatParser.Row::pid)
          .containsExactly(
              tuple("0.0.0.0", 8042, true, 8224L), tuple("127.0.0.2", 80, true, 3040L));
    }
    List<WindowsNetstatParser.Row> mesh =
        WindowsNetstatParser.parse(
            crlf(real("windows-netstat-ano-find-listening-meshcentral-506.txt")));
    assertThat(mesh)
        .extracting(WindowsNetstatParser.Row::localPort, WindowsNetstatParser.Row::pid)
        .containsExactly(tuple(80, 64200L), tuple(443, 64200L), tuple(8080, 18364L));
    assertThat(mesh).allMatch(r -> r.listening() && !r.ipv6());
  }

  @Test
  void windowsPid4OnPort80IsHttpSysButAnotherPidOnPort80IsNot() {
    List<WindowsNetstatParser.Row> rows =
        WindowsNetstatParser.parse(real("windows-netstat-ano-pid4-serverdevworker.txt"));
    assertThat(rows)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.local()).isEqualTo("0.0.0.0");
              assertThat(r.localPort()).isEqualTo(80);
              assertThat(r.listening()).isTrue();
              assertThat(r.pid()).isEqualTo(4L);
            });
    assertThat(known.systemOwner(new ProcessInfo(4, "System", null, null), 80))
        .get()
        .extracting(KnownPort::id)
        .isEqualTo("windows-http-sys");
    // MeshCentral's own server on 80 (PID 64200) is not the kernel
    assertThat(known.systemOwner(new ProcessInfo(64200, "node.exe", null, null), 80)).isEmpty();
  }

  @Test
  void windowsNetstatWithChineseHeadersSkipsTheHeaderAndKnowsTimeWaitIsNoListener() {
    List<WindowsNetstatParser.Row> rows =
        WindowsNetstatParser.parse(crlf(real("windows-netstat-ano-chinese-billfeller-174.txt")));
    assertThat(rows)
        .extracting(
            WindowsNetstatParser.Row::localPort,
            WindowsNetstatParser.Row::remotePort,
            WindowsNetstatParser.Row::listening,
            WindowsNetstatParser.Row::pid)
        .containsExactly(tuple(8411, 58296, false, 0L), tuple(8411, 58298, false, 0L));
  }

  @Test
  void germanListenerIsFoundWhateverCodePageTheStateWordArrivesIn() {
    // netstat writes the OEM code page: on German Windows the Ö of ABHÖREN is byte 0x99 (CP850),
    // which a UTF-8 or windows-1252 reader turns into U+FFFD or a trade-mark sign
    // (hanlulong/stata-mcp#64). The listener must be found in every one of those readings.
    byte[] console = real("windows-netstat-ano-german-raycast-30682.txt").getBytes(ibm850());
    assertThat(console).contains((byte) 0x99);
    for (Charset reader :
        List.of(ibm850(), StandardCharsets.UTF_8, Charset.forName("windows-1252"))) {
      assertThat(WindowsNetstatParser.parse(new String(console, reader)))
          .as(reader.name())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.listening()).isTrue();
                assertThat(r.local()).isEqualTo("0.0.0.0");
                assertThat(r.localPort()).isEqualTo(8080);
                assertThat(r.pid()).isEqualTo(42852L);
              });
    }
  }

  private static Charset ibm850() {
    return Charset.forName("IBM850");
  }

  // ---------------------------------------------------------------- netsh excludedportrange

  @Test
  void excludedRangesWithTheAdministeredMarkAndLocalSendsPortInside() {
    List<PortRange> r =
        ExcludedPortRangeParser.parse(
            crlf(real("netsh-excludedportrange-localsend-125.txt")), "ipv4");
    assertThat(r).hasSize(11);
    assertThat(r)
        .filteredOn(PortRange::administered)
        .extracting(PortRange::first)
        .containsExactly(50000);
    assertThat(r)
        .filteredOn(x -> x.contains(53317))
        .extracting(PortRange::first)
        .containsExactly(53286);
    assertThat(r).noneMatch(x -> x.contains(5000));
  }

  @Test
  void excludedRangesUnderSpanishAndChineseHeaders() {
    List<PortRange> es =
        ExcludedPortRangeParser.parse(
            crlf(real("netsh-excludedportrange-spanish-wsl-5306.txt")), "ipv4");
    assertThat(es).hasSize(24);
    assertThat(es)
        .filteredOn(x -> x.contains(25340))
        .extracting(PortRange::first, PortRange::last)
        .containsExactly(tuple(25313, 25412));
    assertThat(es).noneMatch(PortRange::administered);

    List<PortRange> zh =
        ExcludedPortRangeParser.parse(
            crlf(real("netsh-excludedportrange-chinese-whimbox-21.txt")), "ipv4");
    assertThat(zh).hasSize(18);
    assertThat(zh)
        .filteredOn(PortRange::administered)
        .extracting(PortRange::first, PortRange::last)
        .containsExactly(tuple(50000, 50059));
    assertThat(zh.get(0)).satisfies(x -> assertThat(x.contains(1700)).isTrue());
  }

  @Test
  void excludedRangesOfAGitHubWindowsRunnerIncludePort80() {
    List<PortRange> r =
        ExcludedPortRangeParser.parse(
            real("netsh-excludedportrange-github-runner-otel-10872.txt"), "ipv4");
    assertThat(r)
        .extracting(PortRange::first, PortRange::last)
        .containsExactly(
            tuple(80, 80),
            tuple(5986, 5986),
            tuple(47001, 47001),
            tuple(51417, 51516),
            tuple(51517, 51616));
    assertThat(r.get(0).contains(80)).isTrue();
    assertThat(r.get(0).source()).isEqualTo("netsh int ipv4 show excludedportrange protocol=tcp");
  }
}
