package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The early-stopping look at the live {@code /proc/net/tcp{,6}} against real sockets. */
@EnabledOnOs(OS.LINUX)
class ProcTcpScanTest {
  private final ProcFs proc = new ProcFs(Path.of("/proc"));
  private final List<AutoCloseable> open = new ArrayList<>();
  private final TestListeners listeners = new TestListeners();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    listeners.close();
  }

  private List<Connection> connect(InetAddress to, int port, int count) throws Exception {
    List<Connection> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Socket s = new Socket(to, port);
      open.add(s);
      out.add(
          new Connection(
              (InetSocketAddress) s.getLocalSocketAddress(), new InetSocketAddress(to, port)));
    }
    return out;
  }

  @Test
  void findsThePortsListenersAndAnAcceptedServerEndPerAddress() throws Exception {
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    InetAddress v6 = InetAddress.getByName("::1");
    int port = TestListeners.freePort();
    listeners.start("127.0.0.1", port);
    listeners.start("::1", port, "--v6only");
    List<Connection> conns = new ArrayList<>(connect(v4, port, 4));
    conns.addAll(connect(v6, port, 4));

    ProcTcpScan.Result r = null;
    for (int i = 0; i < 50; i++) { // listen.py accepts at once; give it a moment under load
      r = ProcTcpScan.scan(proc, port, conns);
      if (r.serverEnds().values().stream().filter(s -> s.inode() != 0).count() >= 2) {
        break;
      }
      Thread.sleep(20);
    }

    assertThat(r.listeners())
        .extracting(s -> s.local().getHostAddress(), TcpSocket::state)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", TcpSocket.LISTEN),
            org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:1", TcpSocket.LISTEN));
    for (InetAddress a : List.of(v4, v6)) {
      assertThat(r.serverEnds())
          .as("a server end for %s", a)
          .anySatisfy(
              (c, s) -> {
                assertThat(c.server().getAddress()).isEqualTo(a);
                assertThat(s.state()).isEqualTo(TcpSocket.ESTABLISHED);
                assertThat(s.remotePort()).isEqualTo(c.clientLocal().getPort());
                assertThat(s.inode()).isPositive();
              });
    }
  }

  @Test
  void anIpv4ConnectionToADualStackListenerIsFoundInTcp6() throws Exception {
    try (ServerSocket ss = new ServerSocket()) {
      ss.bind(new InetSocketAddress(InetAddress.getByName("::"), 0)); // Java: dual-stack
      InetAddress v4 = InetAddress.getByName("127.0.0.1");
      List<Connection> conns = connect(v4, ss.getLocalPort(), 2);
      for (int i = 0; i < 2; i++) {
        open.add(ss.accept());
      }

      ProcTcpScan.Result r = ProcTcpScan.scan(proc, ss.getLocalPort(), conns);

      assertThat(r.listeners()).singleElement().extracting(TcpSocket::ipv6).isEqualTo(true);
      assertThat(r.serverEnds().values())
          .isNotEmpty()
          .allSatisfy(
              s -> {
                assertThat(s.ipv6()).isTrue();
                assertThat(s.local()).isEqualTo(v4);
              });
    }
  }

  @Test
  void listenersAloneOfEveryPortIncludeOnesOpenedHere() throws Exception {
    try (ServerSocket a = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        ServerSocket b = new ServerSocket(0, 5, InetAddress.getByName("::1"))) {
      ProcTcpScan.Result r = ProcTcpScan.scan(proc, -1, List.of());
      assertThat(r.listeners())
          .extracting(TcpSocket::localPort)
          .contains(a.getLocalPort(), b.getLocalPort());
      assertThat(r.listeners()).allSatisfy(s -> assertThat(s.state()).isEqualTo(TcpSocket.LISTEN));
      assertThat(r.serverEnds()).isEmpty();
    }
  }

  @Test
  void aListenerStartedAfterTheCensusIsStillFoundWithItsOwner() {
    LinuxProcPortOwners owners = new LinuxProcPortOwners();
    PortInspector inspector = new PortInspector(owners, KnownPorts.bundled());
    int port = TestListeners.freePort();
    owners.prepare(List.of()); // a census taken before the process exists
    Process late = listeners.start("127.0.0.1", port);

    PortSnapshot snap = owners.snapshot(port, List.of());

    assertThat(snap.listeners())
        .singleElement()
        .satisfies(l -> assertThat(l.owner().pid()).isEqualTo(late.pid()));
    assertThat(inspector.inspect(port).reachOf("127.0.0.1").acceptorPid()).isEqualTo(late.pid());
  }

  @Test
  void repeatedInventoriesKeepKnownOwnersFindNewListenersAndDropGoneOnes() throws Exception {
    LinuxProcPortOwners owners = new LinuxProcPortOwners();
    int a = TestListeners.freePort();
    Process first = listeners.start("127.0.0.1", a);
    assertThat(owners.allListeners())
        .filteredOn(l -> l.port() == a)
        .singleElement()
        .satisfies(l -> assertThat(l.owner().pid()).isEqualTo(first.pid()));

    int b = TestListeners.freePort();
    Process second = listeners.start("::1", b, "--v6only");
    List<Listener> now = owners.allListeners();
    assertThat(now)
        .filteredOn(l -> l.port() == a)
        .singleElement()
        .satisfies(l -> assertThat(l.owner().pid()).isEqualTo(first.pid()));
    assertThat(now)
        .filteredOn(l -> l.port() == b)
        .singleElement()
        .satisfies(l -> assertThat(l.owner().pid()).isEqualTo(second.pid()));

    first.destroyForcibly().waitFor();
    assertThat(owners.allListeners()).extracting(Listener::port).doesNotContain(a).contains(b);
  }
}
