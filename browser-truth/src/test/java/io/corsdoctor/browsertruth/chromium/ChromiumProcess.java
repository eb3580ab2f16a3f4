package io.corsdoctor.browsertruth.chromium;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A headless Chromium process with a fresh profile, reachable over the DevTools protocol. */
final class ChromiumProcess implements AutoCloseable {
  /** The flags known to work on this machine (see the module README). */
  static final List<String> BASE_FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--remote-debugging-port=0");

  private final Process process;
  private final Path profile;
  private final URI endpoint;
  private final Deque<String> lastLines;

  private ChromiumProcess(Process process, Path profile, URI endpoint, Deque<String> lastLines) {
    this.process = process;
    this.profile = profile;
    this.endpoint = endpoint;
    this.lastLines = lastLines;
  }

  static ChromiumProcess launch(Path binary, List<String> extraFlags) throws IOException {
    Path profile = Files.createTempDirectory("cors-doctor-chromium-");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(BASE_FLAGS);
    command.add("--user-data-dir=" + profile);
    command.addAll(extraFlags);
    command.add("about:blank");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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
                  int at = line.indexOf("DevTools listening on ");
                  if (at >= 0) {
                    endpoint.complete(URI.create(line.substring(at + 22).trim()));
                  }
                }
              } catch (IOException e) {
                // the process ended; its exit is noticed below
              }
              endpoint.completeExceptionally(new IOException("chromium exited"));
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ChromiumProcess(process, profile, endpoint.get(30, TimeUnit.SECONDS), lastLines);
    } catch (Exception e) {
      process.destroyForcibly();
      deleteTree(profile);
      String output;
      synchronized (lastLines) {
        output = String.join("\n", lastLines);
      }
      throw new IOException(
          "Chromium (" + binary + ") did not open its DevTools port. Its output:\n" + output, e);
    }
  }

  URI endpoint() {
    return endpoint;
  }

  String recentOutput() {
    synchronized (lastLines) {
      return String.join("\n", lastLines);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    deleteTree(profile);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp dir is harmless
    }
  }
}
