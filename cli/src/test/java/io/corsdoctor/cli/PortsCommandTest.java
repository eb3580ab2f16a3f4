package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.ports.TestListeners;
import io.corsdoctor.report.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import picocli.CommandLine;

@EnabledOnOs(OS.LINUX)
class PortsCommandTest {
  private final TestListeners listeners = new TestListeners();

  @AfterEach
  void stop() {
    listeners.close();
  }

  static PortCommandTest.Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new PortCommandTest.Run(code, out.toString(), err.toString());
  }

  @Test
  void listsEveryListenerWithTheDevServerPortsFirst() throws Exception {
    int port = TestListeners.freePort();
    Process p = listeners.start("127.0.0.1", port);

    PortCommandTest.Run r = run("ports", "--format", "json");

    assertThat(r.code()).isZero();
    JsonNode ports = Json.mapper().readTree(r.out()).get("ports");
    JsonNode mine = null;
    for (JsonNode n : ports) {
      if (n.get("port").asInt() == port) {
        mine = n;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.get("listeners").get(0).get("pid").asLong()).isEqualTo(p.pid());
    PortCommandTest.Run text = run("ports");
    assertThat(text.out()).contains("pid " + p.pid()).contains("listener");
    assertThat(text.out().strip().lines().reduce((a, b) -> b).orElseThrow())
        .contains("listeners on");
  }

  @Test
  void aListenerOnADevServerPortComesBeforeOthers() {
    java.util.List<io.corsdoctor.ports.Listener> all =
        java.util.List.of(
            new io.corsdoctor.ports.Listener("0.0.0.0", "ipv4", 22, null, null, "hidden"),
            new io.corsdoctor.ports.Listener("127.0.0.1", "ipv4", 5173, null, null, "hidden"));
    var reports =
        PortsCommand.byPort(
            all, io.corsdoctor.ports.KnownPorts.bundled(), new io.corsdoctor.check.NoPortOwners());
    assertThat(reports).extracting(io.corsdoctor.ports.PortReport::port).containsExactly(5173, 22);
  }

  @Test
  void watchPrintsAListenerThatAppearsAndDisappears() throws Exception {
    int port = TestListeners.freePort();
    CompletableFuture<PortCommandTest.Run> watching =
        CompletableFuture.supplyAsync(
            () -> run("ports", "--watch", "--interval", "100", "--for", "6", "--format", "json"));
    Thread.sleep(1000);
    Process p = listeners.start("127.0.0.1", port);
    Thread.sleep(2000);
    listeners.close();
    p.waitFor();

    PortCommandTest.Run r = watching.get();

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("\"event\":\"appeared\"")
        .contains("\"event\":\"disappeared\"")
        .contains("\"pid\":" + p.pid());
  }

  @Test
  void anIntervalOutOfBoundsIsAUsageError() {
    PortCommandTest.Run r = run("ports", "--watch", "--interval", "5");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("100 to 60000");
  }
}
