package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownPortsTest {
  private final KnownPorts known = KnownPorts.bundled();

  @Test
  void everyEntryHasAUniqueIdAKindAndAdvice() {
    Set<String> ids = new HashSet<>();
    for (KnownPort e : known.entries()) {
      assertThat(ids.add(e.id())).as("duplicate id %s", e.id()).isTrue();
      assertThat(e.kind()).isIn("system", "relay", "emulator", "dev-server", "service");
      assertThat(e.os()).isIn("any", "macos", "windows", "linux");
      assertThat(e.advice()).as(e.id()).isNotBlank();
      if (e.system()) {
        assertThat(e.instead()).as("system entry %s says what to do instead", e.id()).isNotBlank();
      }
    }
  }

  @Test
  void theCataloguedPortsOfTheIssueArePresent() {
    assertThat(known.matches(5000, List.of()))
        .extracting(m -> m.entry().id())
        .contains("macos-airplay-receiver", "flask", "firebase-emulator-hosting");
    assertThat(known.matches(7000, List.of()))
        .extracting(m -> m.entry().id())
        .contains("macos-airplay-receiver");
    assertThat(known.matches(53, List.of()))
        .extracting(m -> m.entry().id())
        .contains("systemd-resolved");
    assertThat(known.matches(631, List.of())).extracting(m -> m.entry().id()).contains("cups");
    for (int p : new int[] {4200, 5173, 3000, 8000, 8080, 8888, 4000, 4400, 9099, 9199}) {
      assertThat(known.matches(p, List.of())).as("port %d", p).isNotEmpty();
    }
  }

  @Test
  void controlCenterIsRecognisedOnAnyPortAndRefusedAsASystemOwner() {
    ProcessInfo cc = new ProcessInfo(512, "ControlCenter", null, "dev");
    Listener l = new Listener("::", "ipv6", 5000, null, cc, null);
    assertThat(known.matches(5000, List.of(l)).get(0))
        .satisfies(
            m -> {
              assertThat(m.entry().id()).isEqualTo("macos-airplay-receiver");
              assertThat(m.pid()).isEqualTo(512L);
            });
    Terminator t = new Terminator(known, Set.of());
    assertThat(t.refusal(l))
        .get()
        .asString()
        .contains("AirPlay Receiver")
        .contains("System Settings");
  }

  @Test
  void windowsSystemPid4AndInitAndOurAncestorsAreNeverKilled() {
    Terminator t = new Terminator(known);
    Listener httpSys =
        new Listener("0.0.0.0", "ipv4", 80, null, new ProcessInfo(4, "System", null, null), null);
    assertThat(t.refusal(httpSys)).get().asString().contains("netsh http show servicestate");
    Listener init =
        new Listener(
            "0.0.0.0", "ipv4", 111, null, new ProcessInfo(1, "systemd", null, "root"), null);
    assertThat(t.refusal(init)).get().asString().contains("init");
    long parent = ProcessHandle.current().parent().orElseThrow().pid();
    Listener shell =
        new Listener(
            "127.0.0.1", "ipv4", 9, null, new ProcessInfo(parent, "bash", null, null), null);
    assertThat(t.refusal(shell))
        .get()
        .asString()
        .contains("cors-doctor itself or one of its parents");
    Listener hidden = new Listener("0.0.0.0", "ipv4", 9, null, null, "another user's process");
    assertThat(t.refusal(hidden)).get().asString().contains("sudo");
    Listener dev =
        new Listener(
            "127.0.0.1",
            "ipv4",
            5000,
            null,
            new ProcessInfo(999999, "python3", "flask run", null),
            null);
    assertThat(t.refusal(dev)).isEmpty();
  }
}
