package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.ports.TestListeners;
import io.corsdoctor.report.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import picocli.CommandLine;

/** Black-box tests of {@code cors-doctor port} against real listeners. */
@EnabledOnOs(OS.LINUX)
class PortCommandTest {
  private final TestListeners listeners = new TestListeners();

  @AfterEach
  void stop() {
    listeners.close();
  }

  record Run(int code, String out, String err) {}

  static Run run(Optional<Boolean> answer, String... args) {
    CommandLine cl = Main.commandLine();
    PortCommand port = cl.getSubcommands().get("port").getCommand();
    port.confirm = q -> answer;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run run(String... args) {
    return run(Optional.empty(), args);
  }

  @Test
  void aFreePortSaysSoLastAndExitsZero() {
    int port = TestListeners.freePort();
    Run r = run("port", "" + port);
    assertThat(r.code()).isZero();
    assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow())
        .contains("FREE")
        .contains("free on all addresses");
  }

  @Test
  void aTakenPortNamesEveryOwnerAndWhomEachAddressReaches() throws Exception {
    int port = TestListeners.freePort();
    Process v4 = listeners.start("127.0.0.1", port);
    Process v6 = listeners.start("::1", port, "--v6only");

    Run text = run("port", "" + port);
    assertThat(text.code()).isEqualTo(ExitCodes.PROBLEM);
    assertThat(text.out())
        .contains("127.0.0.1:" + port)
        .contains("[::1]:" + port)
        .contains("pid " + v4.pid())
        .contains("pid " + v6.pid())
        .contains("listen.py");
    String last = text.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last)
        .startsWith("TAKEN")
        .contains("different processes")
        .contains("`localhost` resolves to");

    Run json = run("port", "" + port, "--format", "json");
    assertThat(json.code()).isEqualTo(ExitCodes.PROBLEM);
    JsonNode doc = Json.mapper().readTree(json.out());
    JsonNode p = doc.get("ports").get(0);
    assertThat(p.get("port").asInt()).isEqualTo(port);
    assertThat(p.get("listeners")).hasSize(2);
    assertThat(p.get("listeners").get(0).get("process").asText()).startsWith("python3");
    assertThat(p.get("reaches").get("127.0.0.1").asLong()).isEqualTo(v4.pid());
    assertThat(p.get("reaches").get("::1").asLong()).isEqualTo(v6.pid());
    assertThat(p.get("reaches").get("localhost").isArray()).isTrue();
    assertThat(p.get("known").isArray()).isTrue();
  }

  @Test
  void killWithoutTerminalOrYesRefusesAndLeavesTheProcessAlone() {
    int port = TestListeners.freePort();
    Process p = listeners.start("127.0.0.1", port);
    Run r = run("port", "" + port, "--kill");
    assertThat(r.code()).isEqualTo(ExitCodes.INCOMPLETE);
    assertThat(r.err()).contains("no terminal").contains("--yes");
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void killAnsweredNoEndsNothing() {
    int port = TestListeners.freePort();
    Process p = listeners.start("127.0.0.1", port);
    Run r = run(Optional.of(false), "port", "" + port, "--kill");
    assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
    assertThat(r.out()).contains("Nothing ended.");
    assertThat(p.isAlive()).isTrue();
  }

  @Test
  void killWithYesEndsTheOwnerWithSigtermAndThePortIsFree() throws Exception {
    int port = TestListeners.freePort();
    Process p = listeners.start("127.0.0.1", port);
    Run r = run("port", "" + port, "--kill", "--yes", "--no-connect");
    assertThat(r.out()).contains("Ended python3").contains("SIGTERM").contains("now free");
    assertThat(r.code()).isZero();
    assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void workStartedEarlyWhileTheArgumentsAreParsedGivesTheSameAnswer() throws Exception {
    int port = TestListeners.freePort();
    Process v4 = listeners.start("127.0.0.1", port);

    Run plain = run("port", "" + port, "--debug");
    String[] args = {"port", "" + port, "--debug"};
    PortCommand.startEarly(args); // what Main.main does when the arguments name `port`
    Run early = run(args);

    assertThat(plain.err()).contains("nothing started early");
    assertThat(early.err()).contains("census, catalogue, sockets and resolver started");
    for (Run r : new Run[] {plain, early}) {
      assertThat(r.code()).isEqualTo(ExitCodes.PROBLEM);
      assertThat(r.out())
          .contains("127.0.0.1:" + port)
          .contains("accepted by pid " + v4.pid())
          .contains("TAKEN");
    }
    assertThat(early.out()).isEqualTo(plain.out());
  }

  @Test
  void portNumbersAreTakenFromUnparsedArgumentsForTheEarlySearch() {
    assertThat(
            PortCommand.portsIn(
                new String[] {
                  "--debug", "port", "5000", "0", "65536", "7000", "--grace", "5", "x1"
                }))
        .containsExactly(5000, 7000, 5);
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    Run r = run("port", "70000");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("70000").contains("1 to 65535");
  }
}
