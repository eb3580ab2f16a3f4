package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The OSHI backend agrees with the /proc one on real listeners, and leaves unknowns unknown. */
@EnabledOnOs(OS.LINUX)
class OshiPortOwnersTest {
  private final TestListeners listeners = new TestListeners();

  @AfterEach
  void stop() {
    listeners.close();
  }

  @Test
  void findsTheSameOwnersAsTheProcBackendAndNoV6OnlyFlag() {
    int port = TestListeners.freePort();
    Process v4 = listeners.start("127.0.0.1", port);
    Process v6 = listeners.start("::", port, "--v6only");

    List<Listener> oshi = new OshiPortOwners().listeners(port);
    List<Listener> proc = new LinuxProcPortOwners().listeners(port);

    assertThat(oshi)
        .extracting(Listener::address, l -> l.owner().pid())
        .containsExactlyInAnyOrderElementsOf(
            proc.stream()
                .map(l -> org.assertj.core.groups.Tuple.tuple(l.address(), l.owner().pid()))
                .toList());
    assertThat(oshi).extracting(l -> l.owner().pid()).contains(v4.pid(), v6.pid());
    assertThat(oshi).allSatisfy(l -> assertThat(l.v6Only()).isNull());

    PortReport r = new PortInspector(new OshiPortOwners(), KnownPorts.bundled()).inspect(port);
    assertThat(r.reachOf("127.0.0.1").acceptorPid()).isEqualTo(v4.pid());
    assertThat(r.reachOf("::1").acceptorPid()).isEqualTo(v6.pid());
  }
}
