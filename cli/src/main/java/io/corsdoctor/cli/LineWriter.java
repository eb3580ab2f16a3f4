package io.corsdoctor.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Writes whole lines from many threads without making them wait: lines queue up unrendered and one
 * thread renders and writes them in batches, flushing when the queue runs dry. So the proxy's
 * request threads never format text. When the queue is full (a terminal far slower than the proxy)
 * lines are dropped and counted, never blocking the proxy; the count is written once the writer
 * catches up.
 */
final class LineWriter implements AutoCloseable {
  private final PrintWriter out;
  private final BlockingQueue<Supplier<String>> queue = new ArrayBlockingQueue<>(65_536);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean closing;

  LineWriter(PrintWriter out) {
    this.out = out;
    this.thread = new Thread(this::drain, "cors-doctor-log");
    thread.setDaemon(true);
    thread.start();
  }

  void println(String line) {
    println(() -> line);
  }

  /** Queues a line rendered later, on the writer's thread. */
  void println(Supplier<String> line) {
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<Supplier<String>> batch = new ArrayList<>(256);
    long reported = 0;
    try {
      while (!closing || !queue.isEmpty()) {
        Supplier<String> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        for (Supplier<String> l : batch) {
          write(l);
        }
        batch.clear();
        long d = dropped.get();
        if (d != reported) {
          out.println(
              "("
                  + (d - reported)
                  + " log lines dropped: the output could not keep up with the proxy)");
          reported = d;
        }
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      out.flush();
    }
  }

  private void write(Supplier<String> line) {
    String s;
    try {
      s = line.get();
    } catch (RuntimeException e) {
      return; // a line that cannot be rendered must not stop the log
    }
    out.println(s);
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
