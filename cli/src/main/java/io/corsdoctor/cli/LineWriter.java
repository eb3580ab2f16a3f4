package io.corsdoctor.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes whole lines from many threads without making them wait: lines queue up and one thread
 * writes them in batches, flushing when the queue runs dry. When the queue is full (a terminal far
 * slower than the proxy) lines are dropped and counted, never blocking the proxy.
 */
final class LineWriter implements AutoCloseable {
  private final PrintWriter out;
  private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(65_536);
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
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<String> batch = new ArrayList<>(256);
    try {
      while (!closing || !queue.isEmpty()) {
        String first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 4096);
        for (String l : batch) {
          out.println(l);
        }
        batch.clear();
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
