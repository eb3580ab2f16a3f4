package io.corsdoctor.ports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an OS command and returns its standard output: the acquisition half of a backend. */
final class CommandRunner {
  private CommandRunner() {}

  /**
   * Runs {@code command}; exit codes in {@code okExits} count as success (lsof exits 1 when it
   * finds nothing).
   */
  static String run(List<String> command, Charset charset, int... okExits) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + command.get(0) + " (is it installed and on PATH?)", e);
    }
    try (InputStream in = p.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UncheckedIOException(new IOException(command.get(0) + " did not finish in 30 s"));
      }
      int code = p.exitValue();
      boolean ok = code == 0;
      for (int e : okExits) {
        ok |= code == e;
      }
      if (!ok) {
        throw new UncheckedIOException(
            new IOException(String.join(" ", command) + " failed with exit code " + code));
      }
      return out.toString(charset);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the output of " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new UncheckedIOException(
          new IOException("interrupted while running " + command.get(0)));
    }
  }
}
