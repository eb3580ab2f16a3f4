package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The Linux backend against real listeners held by other processes on this machine. */
@EnabledOnOs(OS.LINUX)
class LinuxPortOwnersTest {
  private final TestListeners listeners = new TestListeners();
  private final LinuxProcPortOwners owners = new LinuxProcPortOwners();
  private final PortInspector inspector = new PortInspector(owners, KnownPorts.bundled());

  @AfterEach
  void stop() {
    listeners.close();
  }

  @Test
  void twoProcessesOnOnePortOneOn127AndOneOnV6LoopbackAreBothListedAndEachReachedOverItsAddress() {
    int port = TestListeners.freePort();
    Process v4 = listeners.start("127.0.0.1", port);
    Process v6 = listeners.start("::1", port, "--v6only");

    List<Listener> found = owners.listeners(port);

    assertThat(found)
        .extracting(Listener::address, Listener::family, l -> l.owner().pid())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", "ipv4", v4.pid()),
            org.assertj.core.groups.Tuple.tuple("::1", "ipv6", v6.pid()));
    Listener l = found.get(0);
    assertThat(l.owner().name()).startsWith("python3");
    assertThat(l.owner().command()).contains("listen.py").contains(Integer.toString(port));
    assertThat(l.owner().user()).isEqualTo(System.getProperty("user.name"));
    assertThat(l.owner().startTime()).isNotNull();
    assertThat(l.owner().parentPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(l.owner().cwd()).isNotNull();

    PortReport r = inspector.inspect(port);
    assertThat(r.reachOf("127.0.0.1").acceptorPid()).isEqualTo(v4.pid());
    assertThat(r.reachOf("127.0.0.1").listener().address()).isEqualTo("127.0.0.1");
    assertThat(r.reachOf("::1").acceptorPid()).isEqualTo(v6.pid());
    assertThat(r.reachOf("::1").listener().address()).isEqualTo("::1");
  }

  @Test
  void dualStackWildcardIsProvenByTheConnectionTo127() {
    int port = TestListeners.freePort();
    Process dual = listeners.start("::", port, "--dual");

    PortReport r = inspector.inspect(port);

    assertThat(r.listeners())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.address()).isEqualTo("::");
              assertThat(l.v6Only()).isFalse();
            });
    assertThat(r.reachOf("127.0.0.1").acceptorPid()).isEqualTo(dual.pid());
    assertThat(r.reachOf("::1").acceptorPid()).isEqualTo(dual.pid());
    assertThat(r.notes()).anySatisfy(n -> assertThat(n).contains("dual-stack"));
  }

  @Test
  void ipv6OnlyWildcardIsProvenByTheRefusedConnectionTo127() {
    int port = TestListeners.freePort();
    Process v6only = listeners.start("::", port, "--v6only");

    PortReport r = inspector.inspect(port);

    assertThat(r.listeners()).singleElement().satisfies(l -> assertThat(l.v6Only()).isTrue());
    assertThat(r.reachOf("127.0.0.1").outcome()).isEqualTo(Reach.Outcome.REFUSED);
    assertThat(r.reachOf("::1").acceptorPid()).isEqualTo(v6only.pid());
  }

  @Test
  void wildcardAndSpecificBindWithReusePortInTwoProcesses() {
    int port = TestListeners.freePort();
    Process wildcard = listeners.start("0.0.0.0", port, "--reuseport");
    Process specific = listeners.start("127.0.0.1", port, "--reuseport");

    PortReport r = inspector.inspect(port);

    assertThat(r.listeners())
        .extracting(Listener::address, l -> l.owner().pid())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("0.0.0.0", wildcard.pid()),
            org.assertj.core.groups.Tuple.tuple("127.0.0.1", specific.pid()));
    // Whoever the kernel picked, the evidence names it and the listener it came through agrees.
    Reach v4 = r.reachOf("127.0.0.1");
    assertThat(v4.acceptorPid()).isIn(wildcard.pid(), specific.pid());
    assertThat(v4.listener().owner().pid()).isEqualTo(v4.acceptorPid());
  }

  @Test
  void acceptorOfNamesThisJvmForItsOwnServerSocket() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      try (Socket client = new Socket()) {
        InetSocketAddress target = (InetSocketAddress) server.getLocalSocketAddress();
        client.connect(target, 1000);
        try (Socket accepted = server.accept()) {
          Optional<ProcessInfo> who =
              owners.acceptorOf((InetSocketAddress) client.getLocalSocketAddress(), target);
          assertThat(who).map(ProcessInfo::pid).contains(ProcessHandle.current().pid());
          assertThat(accepted.isConnected()).isTrue();
        }
      }
    }
  }

  @Test
  void aServerThatDoesNotAcceptWithAShortQueueCostsNoFullConnectTimeoutPerExtraConnection()
      throws Exception {
    // Backlog 1 and no accept(): the kernel queues two connections, then drops further SYNs, so
    // the third connection would wait for the whole connect timeout (3 s here).
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      long t0 = System.nanoTime();
      PortReport r =
          new PortInspector(owners, KnownPorts.bundled(), 3000).inspect(server.getLocalPort());
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertThat(r.reachOf("127.0.0.1").outcome()).isEqualTo(Reach.Outcome.ACCEPTED);
      assertThat(r.listeners())
          .extracting(l -> l.owner().pid())
          .containsExactly(ProcessHandle.current().pid());
      // One short wait for the extra connection and up to 300 ms for an accept() that never comes.
      assertThat(millis).as("not the 3 s connect timeout").isLessThan(2500);
    }
  }

  @Test
  void aFreePortHasNoListenersAndIsNotProbed() {
    int port = TestListeners.freePort();

    PortReport r = inspector.inspect(port);

    assertThat(r.free()).isTrue();
    assertThat(r.reaches()).isEmpty();
  }
}
