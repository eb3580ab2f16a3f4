package io.corsdoctor.browsertruth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A browser process with a throw-away profile directory: started, watched until a line of its
 * output announces the automation endpoint, ended with every child and its profile deleted. Both
 * drivers (Chromium's DevTools, Firefox's WebDriver BiDi) launch their browser through it.
 */
public final class BrowserProcess implements AutoCloseable {
  private static final int KEPT_LINES = 40;

  private final Process process;
  private final Path profile;
  private final URI endpoint;
  private final Deque<String> lastLines;

  private BrowserProcess(Process process, Path profile, URI endpoint, Deque<String> lastLines) {
    this.process = process;
    this.profile = profile;
    this.endpoint = endpoint;
    this.lastLines = lastLines;
  }

  /**
   * Starts {@code command} and waits up to {@code timeoutSeconds} for an output line containing
   * {@code marker}; the rest of that line, after the marker, becomes the endpoint through {@code
   * endpointOf}. On failure the process is ended, the profile deleted, and the exception says
   * {@code failure} followed by the browser's last output lines.
   */
  public static BrowserProcess launch(
      ProcessBuilder command,
      Path profile,
      String marker,
      Function<String, URI> endpointOf,
      int timeoutSeconds,
      String failure)
      throws IOException {
    Process process = command.redirectErrorStream(true).start();
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
                    if (lastLines.size() > KEPT_LINES) {
                      lastLines.removeFirst();
                    }
                  }
                  int at = line.indexOf(marker);
                  if (at >= 0) {
                    endpoint.complete(
                        endpointOf.apply(line.substring(at + marker.length()).trim()));
                  }
                }
              } catch (IOException e) {
                // the process ended; noticed below
              }
              endpoint.completeExceptionally(new IOException("the browser exited"));
            },
            "browser-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new BrowserProcess(
          process, profile, endpoint.get(timeoutSeconds, TimeUnit.SECONDS), lastLines);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      BrowserProcess failed = new BrowserProcess(process, profile, null, lastLines);
      String output = failed.recentOutput();
      failed.close();
      throw new IOException(failure + " Its last output:\n" + output, e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  public String recentOutput() {
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
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
