package io.corsdoctor.browsertruth.firefox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A headless Firefox process with a fresh profile holding only the harness's {@code user.js}
 * (background services, telemetry, updates and the HTTP cache off), reachable over its built-in
 * WebDriver BiDi agent. It prints {@code WebDriver BiDi listening on ws://127.0.0.1:PORT} once
 * ready; BiDi sessions are opened at {@code /session} of that address.
 */
final class FirefoxProcess implements AutoCloseable {
  private final Process process;
  private final Path profile;
  private final URI endpoint;
  private final Deque<String> lastLines;

  private FirefoxProcess(Process process, Path profile, URI endpoint, Deque<String> lastLines) {
    this.process = process;
    this.profile = profile;
    this.endpoint = endpoint;
    this.lastLines = lastLines;
  }

  static FirefoxProcess launch(Path binary, String userJs) throws IOException {
    Path profile = Files.createTempDirectory("cors-doctor-firefox-");
    Files.writeString(profile.resolve("user.js"), userJs, StandardCharsets.UTF_8);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--headless");
    command.add("--no-remote");
    command.add("--remote-debugging-port=" + port);
    command.add("--profile");
    command.add(profile.toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
    Process process = pb.start();
    Deque<String> lastLines = new ArrayDeque<>();
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 40) {
                      lastLines.removeFirst();
                    }
                  }
                  int at = line.indexOf("WebDriver BiDi listening on ");
                  if (at >= 0) {
                    endpoint.complete(
                        URI.create(
                            line.substring(at + 28).trim().replaceAll("/+$", "") + "/session"));
                  }
                }
              } catch (IOException e) {
                // the process ended; noticed below
              }
              endpoint.completeExceptionally(new IOException("firefox exited"));
            },
            "firefox-output");
    reader.setDaemon(true);
    reader.start();
    try {
      URI uri = endpoint.get(60, TimeUnit.SECONDS);
      return new FirefoxProcess(process, profile, uri, lastLines);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      FirefoxProcess failed = new FirefoxProcess(process, profile, null, lastLines);
      String output = failed.lastOutput();
      failed.close();
      throw new IOException(
          "firefox-esr did not start its WebDriver BiDi agent within 60 s. Last output:\n" + output,
          e);
    }
  }

  URI endpoint() {
    return endpoint;
  }

  String lastOutput() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
