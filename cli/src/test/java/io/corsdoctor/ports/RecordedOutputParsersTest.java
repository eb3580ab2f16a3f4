package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The macOS and Windows parsers on output RECONSTRUCTED from the documented formats
 * (src/test/resources/ports/recorded/reconstructed), for the formats and scenarios no published
 * real capture covers (lsof field output above all); see the README there. Real captures: {@link
 * RealCapturedOutputTest}.
 */
class RecordedOutputParsersTest {

  static String recorded(String name) {
    try (InputStream in =
        RecordedOutputParsersTest.class.getResourceAsStream(
            "/ports/recorded/reconstructed/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void lsofNamesControlCenterInFullOnBothFamiliesBesideFlask() {
    // lsof -nP +c 0 -iTCP -sTCP:LISTEN -FpcRuLftPnT, macOS 14, AirPlay Receiver on
    List<Listener> l = LsofParser.listeners(LsofParser.parse(recorded("lsof-macos14-listen.txt")));
    assertThat(l)
        .filteredOn(x -> x.port() == 5000)
        .extracting(
            Listener::address, Listener::family, x -> x.owner().name(), x -> x.owner().pid())
        .containsExactly(
            tuple("0.0.0.0", "ipv4", "ControlCenter", 512L),
            tuple("::", "ipv6", "ControlCenter", 512L),
            tuple("127.0.0.1", "ipv4", "Python", 4242L));
    assertThat(l)
        .filteredOn(x -> x.port() == 5173)
        .singleElement()
        .satisfies(x -> assertThat(x.address()).isEqualTo("::1"));
    assertThat(l.get(0).owner().user()).isEqualTo("dev");
    assertThat(l.get(0).owner().parentPid()).isEqualTo(1L);
  }

  @Test
  void lsofEstablishedEntriesCarryBothEnds() {
    List<LsofParser.Entry> e = LsofParser.parse(recorded("lsof-macos14-established.txt"));
    assertThat(e)
        .extracting(
            x -> x.process().name(),
            LsofParser.Entry::local,
            LsofParser.Entry::localPort,
            LsofParser.Entry::remote)
        .containsExactly(
            tuple("ControlCenter", "::1", 5000, "[::1]:53211"),
            tuple("curl", "::1", 53211, "[::1]:5000"));
    assertThat(LsofParser.listeners(e)).isEmpty();
  }

  @Test
  void macNetstatListsEveryListenerAndTellsDualStackFromTcp46() {
    List<Listener> l = BsdNetstatParser.listeners(recorded("netstat-macos14-an-tcp.txt"));
    assertThat(l)
        .extracting(Listener::address, Listener::port, Listener::family, Listener::v6Only)
        .containsExactly(
            tuple("127.0.0.1", 5000, "ipv4", null),
            tuple("::", 5000, "ipv6", true),
            tuple("0.0.0.0", 5000, "ipv4", null),
            tuple("::", 7000, "ipv6", true),
            tuple("0.0.0.0", 7000, "ipv4", null),
            tuple("::1", 5173, "ipv6", null),
            tuple("::", 8080, "ipv6", false),
            tuple("127.0.0.1", 631, "ipv4", null),
            tuple("fe80::1", 631, "ipv6", null));
  }

  @Test
  void macListenersLsofCannotAttributeAreReportedHiddenNotDropped() {
    // Without sudo lsof shows only the user's own processes; here it saw Flask but not CUPS.
    List<Listener> named =
        LsofParser.listeners(LsofParser.parse(recorded("lsof-macos14-listen.txt")));
    List<Listener> all = BsdNetstatParser.listeners(recorded("netstat-macos14-an-tcp.txt"));
    List<Listener> merged = MacLsofPortOwners.merge(named, all);
    assertThat(merged)
        .filteredOn(x -> x.port() == 631)
        .allSatisfy(
            x -> {
              assertThat(x.owner()).isNull();
              assertThat(x.hiddenReason()).contains("sudo");
            })
        .hasSize(2);
    assertThat(merged)
        .filteredOn(x -> x.port() == 5000 && x.family().equals("ipv6"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.owner().name()).isEqualTo("ControlCenter");
              assertThat(x.v6Only()).isTrue();
            });
  }

  @Test
  void psCommandsKeepTheWholeCommandLine() {
    Map<Long, String> c =
        PsParser.commands(
            "  512 /System/Library/CoreServices/ControlCenter.app/Contents/MacOS/ControlCenter\n 4242 /usr/local/bin/python3 -m flask run\n");
    assertThat(c).containsEntry(4242L, "/usr/local/bin/python3 -m flask run");
    assertThat(c.get(512L)).endsWith("MacOS/ControlCenter");
  }

  @Test
  void windowsNetstatFindsListenersIncludingHttpSysOnPid4() {
    List<WindowsNetstatParser.Row> rows =
        WindowsNetstatParser.parse(recorded("netstat-windows11-ano-tcp.txt"));
    assertThat(rows)
        .filteredOn(WindowsNetstatParser.Row::listening)
        .extracting(
            WindowsNetstatParser.Row::local,
            WindowsNetstatParser.Row::localPort,
            WindowsNetstatParser.Row::pid)
        .contains(tuple("0.0.0.0", 80, 4L), tuple("127.0.0.1", 5000, 4242L));
    assertThat(rows).filteredOn(r -> !r.listening()).hasSize(2);
    List<WindowsNetstatParser.Row> v6 =
        WindowsNetstatParser.parse(recorded("netstat-windows11-ano-tcpv6.txt"));
    assertThat(v6)
        .extracting(WindowsNetstatParser.Row::local, WindowsNetstatParser.Row::localPort)
        .containsExactly(
            tuple("::", 80),
            tuple("::", 135),
            tuple("::1", 9099),
            tuple("fe80::1c2d:3e4f:5a6b:7c8d", 5357));
    assertThat(v6.get(2).ipv6()).isTrue();
  }

  @Test
  void windowsNetstatInGermanIsReadByTheForeignAddressNotTheStateWord() {
    List<WindowsNetstatParser.Row> rows =
        WindowsNetstatParser.parse(recorded("netstat-windows11-ano-tcp-german.txt"));
    assertThat(rows)
        .filteredOn(WindowsNetstatParser.Row::listening)
        .extracting(WindowsNetstatParser.Row::localPort)
        .containsExactly(135, 3000);
  }

  @Test
  void tasklistAndWin32ProcessCsv() {
    Map<Long, String> names = WindowsCsv.tasklist(recorded("tasklist-windows11-csv.txt"));
    assertThat(names).containsEntry(4L, "System").containsEntry(4242L, "python.exe");
    List<Map<String, String>> rows = WindowsCsv.table(recorded("win32-process-csv.txt"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(1).get("CommandLine"))
        .isEqualTo("\"C:\\Users\\dev\\api\\.venv\\Scripts\\python.exe\" -m flask run");
    assertThat(rows.get(0).get("CommandLine")).isEmpty();
  }

  @Test
  void excludedPortRangesWithAdministeredMark() {
    List<PortRange> r =
        ExcludedPortRangeParser.parse(recorded("netsh-excludedportrange-ipv4.txt"), "ipv4");
    assertThat(r)
        .extracting(PortRange::first, PortRange::last, PortRange::administered)
        .containsExactly(
            tuple(1061, 1160, false),
            tuple(2919, 3018, false),
            tuple(5357, 5357, false),
            tuple(50000, 50059, true));
    assertThat(r.get(1).contains(3000)).isTrue();
  }
}
