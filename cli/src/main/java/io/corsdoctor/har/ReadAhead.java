package io.corsdoctor.har;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a {@link HarReader} on a thread of its own and replays what it finds, in file order, to a
 * listener on the caller's thread: parsing and analysis each get a core. Memory stays bounded: at
 * most {@link #QUEUE} batches of {@link #BATCH} entries wait between the two threads. Errors reach
 * the caller as the reader threw them, after the entries read before them.
 */
final class ReadAhead {
  static final int BATCH = 256;
  static final int QUEUE = 8;

  private ReadAhead() {}

  private record Page(String id, String title) {}

  /** The last item: the number of entries, or what stopped the reader. */
  private record End(int entries, Throwable failure) {}

  /** Unwinds the reader thread when the caller stopped listening. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super(null, null, false, false);
    }
  }

  /** Like {@link HarReader#read}, with the parsing on another thread. */
  static int read(HarReader reader, InputStream in, HarReader.Listener listener)
      throws HarFormatException, IOException {
    BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(QUEUE);
    Thread thread = new Thread(() -> produce(reader, in, queue), "har-reader");
    thread.setDaemon(true);
    thread.start();
    try {
      while (true) {
        for (Object item : queue.take()) {
          if (item instanceof HarEntry e) {
            listener.entry(e);
          } else if (item instanceof Page p) {
            listener.page(p.id(), p.title());
          } else if (item instanceof End end) {
            if (end.failure() != null) {
              throw rethrow(end.failure());
            }
            return end.entries();
          } else {
            break; // the rest of a batch the end of the file cut short
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the HAR");
    } finally {
      thread.interrupt(); // stops the reader if the listener threw
    }
  }

  private static void produce(HarReader reader, InputStream in, BlockingQueue<Object[]> queue) {
    Batcher out = new Batcher(queue);
    try {
      int entries = reader.read(in, out);
      out.add(new End(entries, null));
    } catch (Stopped stopped) {
      return;
    } catch (Throwable t) { // handed to the caller's thread, which throws it
      try {
        out.add(new End(-1, t));
      } catch (Stopped stopped) {
        return;
      }
    }
    try {
      out.flush();
    } catch (Stopped stopped) {
      // the caller is gone
    }
  }

  private static HarFormatException rethrow(Throwable t) throws IOException {
    if (t instanceof HarFormatException e) {
      return e;
    }
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IOException(t);
  }

  private static final class Batcher implements HarReader.Listener {
    private final BlockingQueue<Object[]> queue;
    private Object[] batch = new Object[BATCH];
    private int size;

    Batcher(BlockingQueue<Object[]> queue) {
      this.queue = queue;
    }

    @Override
    public void page(String id, String title) {
      add(new Page(id, title));
    }

    @Override
    public void entry(HarEntry entry) {
      add(entry);
    }

    void add(Object item) {
      batch[size++] = item;
      if (size == BATCH) {
        flush();
      }
    }

    void flush() {
      if (size == 0) {
        return;
      }
      try {
        queue.put(batch);
      } catch (InterruptedException e) {
        throw new Stopped();
      }
      batch = new Object[BATCH];
      size = 0;
    }
  }
}
