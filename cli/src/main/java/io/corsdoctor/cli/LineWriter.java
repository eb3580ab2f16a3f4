package io.corsdoctor.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes whole lines from many threads without making them wait: lines queue up unrendered and one
 * thread, waking every 20 ms, renders them straight into one batch and writes it, flushing when the
 * queue runs dry. So the proxy's request threads never format text. When the queue is full (a
 * terminal far slower than the proxy) lines are dropped and counted, never blocking the proxy; the
 * count is written once the writer catches up. A queued line may hold an exchange's headers until
 * it is rendered (the proxy's ExchangeLog#later): the bound, many times what 20 ms of a busy proxy
 * queues, keeps that to some tens of megabytes at worst.
 */
final class LineWriter implements AutoCloseable {
  private static final String NL = System.lineSeparator();
  private static final long PERIOD_MILLIS = 20;
  private final PrintWriter out;
  private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(16_384);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  LineWriter(PrintWriter out) {
    this.out = out;
    this.thread = new Thread(this::drain, "cors-doctor-log");
    thread.setDaemon(true);
    thread.start();
  }

  /** A line rendered on the writer's thread, appended to the batch it writes next. */
  @FunctionalInterface
  interface Line {
    void appendTo(StringBuilder batch);
  }

  void println(String line) {
    println(batch -> batch.append(line));
  }

  /** Queues a line rendered later, on the writer's thread. */
  void println(Line line) {
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<Line> batch = new ArrayList<>(256);
    StringBuilder text = new StringBuilder(64 * 1024);
    long reported = 0;
    try {
      while (!closing || !queue.isEmpty()) {
        if (queue.drainTo(batch, 4096) == 0) {
          // Polled, not signalled: a request thread adding a line never wakes this thread (a
          // context switch per request under load); lines wait at most this long.
          Thread.sleep(PERIOD_MILLIS);
          continue;
        }
        // One write per batch: the PrintWriter may flush on every println (picocli's does).
        text.setLength(0);
        for (Line l : batch) {
          render(l, text);
        }
        batch.clear();
        long d = dropped.get();
        if (d != reported) {
          text.append('(')
              .append(d - reported)
              .append(" log lines dropped: the output could not keep up with the proxy)")
              .append(NL);
          reported = d;
        }
        out.write(text.toString());
        if (queue.isEmpty() || text.length() > 1 << 20) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      out.flush();
    }
  }

  private static void render(Line line, StringBuilder text) {
    int mark = text.length();
    try {
      line.appendTo(text);
    } catch (RuntimeException e) {
      text.setLength(mark); // a line that cannot be rendered must not stop the log
      return;
    }
    text.append(NL);
  }

  @Override
  public void close() {
    closing = true;
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.flush();
  }
}
