package io.corsdoctor.ports;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts real listeners in other processes (python3 running src/test/resources/ports/listen.py), so
 * that one port can be held by several processes. Close it to kill them all.
 */
public final class TestListeners implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  /** Debian's python3 first (the project's reference), then the one on PATH. */
  public static String python() {
    for (String p : new String[] {"/usr/bin/python3", "/usr/local/bin/python3"}) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, "python3"))) {
        return Path.of(dir, "python3").toString();
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("python3 is missing: install it (apt-get install python3); the port tests need it.");
    }
    assumeTrue(false, "python3 is missing; skipping (CI would fail)");
    return null;
  }

  /** A port free on 127.0.0.1, ::1 and the wildcards right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) { // binds :: dual-stack: free in both families
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a listener process and waits until it listens; returns it. */
  public Process start(String address, int port, String... options) {
    List<String> cmd = new ArrayList<>(List.of(python(), "-u", script(), address, "" + port));
    cmd.addAll(List.of(options));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      processes.add(p);
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      StringBuilder all = new StringBuilder();
                      for (String l = r.readLine(); l != null; l = r.readLine()) {
                        if (l.equals("READY")) {
                          return l;
                        }
                        all.append(l).append('\n');
                      }
                      return all.toString();
                    } catch (IOException e) {
                      return e.toString();
                    }
                  })
              .get(15, TimeUnit.SECONDS);
      if (!line.equals("READY")) {
        fail("listener " + cmd + " did not start: " + line);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("listener " + cmd + " did not start", e);
    }
  }

  private static String script() {
    try {
      return Path.of(TestListeners.class.getResource("/ports/listen.py").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
