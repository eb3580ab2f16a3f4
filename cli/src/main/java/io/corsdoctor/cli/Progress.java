package io.corsdoctor.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * A one-line progress report on stderr for long work, only when stderr is a terminal: percentage,
 * bytes done and throughput, redrawn at most four times a second and erased at the end.
 */
final class Progress implements LongConsumer, AutoCloseable {
  private static final long EVERY_NANOS = 250_000_000L;

  private final PrintWriter err;
  private final long total;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private long next = start + EVERY_NANOS;
  private boolean drawn;

  Progress(PrintWriter err, long total, boolean enabled) {
    this.err = err;
    this.total = total;
    this.enabled = enabled;
  }

  /** Whether stderr is a terminal (Linux: /proc/self/fd/2; elsewhere: an interactive console). */
  static boolean stderrIsTerminal() {
    if (System.getenv("CORS_DOCTOR_NO_PROGRESS") != null) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    if (Files.exists(fd2)) {
      try {
        String target = Files.readSymbolicLink(fd2).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (Exception e) {
        return false;
      }
    }
    return System.console() != null;
  }

  @Override
  public void accept(long bytes) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now < next) {
      return;
    }
    next = now + EVERY_NANOS;
    double seconds = (now - start) / 1e9;
    double mb = bytes / 1e6;
    String pct = total > 0 ? String.format(Locale.ROOT, "%3d%% ", bytes * 100 / total) : "";
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s%.0f of %.0f MB, %.0f MB/s ",
            pct,
            mb,
            total / 1e6,
            seconds > 0 ? mb / seconds : 0));
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    if (drawn) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
