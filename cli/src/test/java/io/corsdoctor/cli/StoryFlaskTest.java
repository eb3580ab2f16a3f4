package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The story with real Flask and flask-cors on 127.0.0.1:P, and a second process squatting [::1]:P
 * the way macOS's AirPlay Receiver does. Needs Debian's python3-flask and python3-flask-cors.
 */
class StoryFlaskTest {
  static final String PYTHON = "/usr/bin/python3";
  final List<Process> processes = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  static void requireFlask() throws Exception {
    boolean present = false;
    if (new File(PYTHON).canExecute()) {
      Process p = new ProcessBuilder(PYTHON, "-c", "import flask, flask_cors").start();
      present = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    String why =
        "the story test needs "
            + PYTHON
            + " with Flask and flask-cors (Debian packages python3-flask python3-flask-cors; run"
            + " scripts/install-test-deps.sh)";
    if (!present && "true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.assumeTrue(present, why);
  }

  Process python(String resource, int port) throws IOException {
    Path script = dir.resolve(resource);
    try (InputStream in = getClass().getResourceAsStream("/flask/" + resource)) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Process p =
        new ProcessBuilder(PYTHON, script.toString(), String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(resource + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  static void awaitListening(String host, int port, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        fail("the test server on " + host + ":" + port + " exited early");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    fail("nothing listened on " + host + ":" + port + " within 20 s");
  }

  @Test
  void flaskOn127AndASquatterOnV6AreDiagnosedWithTheirPids() throws Exception {
    requireFlask();
    int port = Loopback.freeOnBoth();
    Process flask = python("story_app.py", port);
    Process squatter = python("airtunes_squatter.py", port);
    awaitListening("127.0.0.1", port, flask);
    awaitListening("::1", port, squatter);

    MainTest.Run r =
        MainTest.run(
            "check",
            "http://localhost:" + port + "/sample",
            "--origin",
            "http://localhost:4200",
            "-X",
            "POST",
            "-H",
            "Content-Type: application/json",
            "--data",
            "{\"name\": \"sample\"}",
            "--format",
            "json");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.PROBLEM);
    JsonNode root = Loopback.json(r.out());
    assertThat(root.get("verdict").asText()).isEqualTo("blocked");
    assertThat(root.get("chrome").get("corsError").asText()).startsWith("Preflight");
    assertThat(root.get("addresses").get("chrome").asText()).isEqualTo("::1");
    assertThat(root.get("firefox").get("verdict").asText()).isEqualTo("blocked");
    assertThat(root.get("firefox").get("reason").asText())
        .isEqualTo("CORSMultipleAllowOriginNotAllowed");
    assertThat(Loopback.codes(root))
        .contains(
            "ADDRESSES_DISAGREE",
            "PREFLIGHT_ANSWERED_BY_OTHER_PROCESS",
            "PORT_SHARED_BY_TWO_PROCESSES",
            "KNOWN_SQUATTER_AIRPLAY_RECEIVER",
            "DUPLICATE_ALLOW_ORIGIN");
    JsonNode v6 = Loopback.probes(root, "::1").get(0);
    assertThat(v6.get("server").asText()).contains("AirTunes");
    assertThat(v6.get("answeredBy").get("pid").asLong()).isEqualTo(squatter.pid());
    List<JsonNode> v4 = Loopback.probes(root, "127.0.0.1");
    assertThat(v4).hasSize(2);
    assertThat(v4.get(0).get("server").asText()).contains("Werkzeug");
    assertThat(v4.get(0).get("answeredBy").get("pid").asLong()).isEqualTo(flask.pid());
    assertThat(v4.get(1).get("answeredBy").get("pid").asLong()).isEqualTo(flask.pid());
    assertThat(v4.get(1).get("headers").toString())
        .containsIgnoringCase(
            "[\"Access-Control-Allow-Origin\",\"http://localhost:4200\"],[\"Vary\",\"Origin\"],[\"Access-Control-Allow-Origin\",\"*\"]");
    List<Long> listenerPids = new ArrayList<>();
    root.get("listeners").forEach(l -> listenerPids.add(l.get("pid").asLong()));
    assertThat(listenerPids).contains(flask.pid(), squatter.pid());
  }
}
