package io.corsdoctor.har;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Runs a {@link HarReader} on a thread of its own and replays what it finds, in file order, to a
 * sink on the caller's thread: parsing and analysis each get a core. What can be worked out from an
 * entry alone is, on the reader's thread ({@code prepare}). Memory stays bounded: at most {@link
 * #QUEUE} batches of {@link #BATCH} entries wait between the two threads. Errors reach the caller
 * as the reader threw them, after the entries read before them.
 */
final class ReadAhead {
  static final int BATCH = 256;
  static final int QUEUE = 8;

  private ReadAhead() {}

  /** Receives the entries, each with what {@code prepare} made of it. */
  interface Sink<T> {
    default void page(String id, String title) {}

    void entry(HarEntry entry, T prepared) throws HarFormatException;
  }

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
    return read(
        reader,
        in,
        e -> null,
        new Sink<Object>() {
          @Override
          public void page(String id, String title) {
            listener.page(id, title);
          }

          @Override
          public void entry(HarEntry entry, Object prepared) throws HarFormatException {
            listener.entry(entry);
          }
        });
  }

  /**
   * Reads {@code in} on another thread, where {@code prepare} also runs on each entry, and hands
   * every entry with its prepared value to {@code sink} on this thread, in file order.
   */
  @SuppressWarnings("unchecked")
  static <T> int read(HarReader reader, InputStream in, Function<HarEntry, T> prepare, Sink<T> sink)
      throws HarFormatException, IOException {
    BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(QUEUE);
    Thread thread = new Thread(() -> produce(reader, in, prepare, queue), "har-reader");
    thread.setDaemon(true);
    thread.start();
    try {
      while (true) {
        Object[] items = queue.take();
        for (int i = 0; i < items.length; i++) {
          Object item = items[i];
          if (item instanceof HarEntry e) {
            sink.entry(e, (T) items[++i]); // an entry's prepared value follows it
          } else if (item instanceof Page p) {
            sink.page(p.id(), p.title());
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

  private static void produce(
      HarReader reader,
      InputStream in,
      Function<HarEntry, ?> prepare,
      BlockingQueue<Object[]> queue) {
    Batcher out = new Batcher(queue, prepare);
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
    private final Function<HarEntry, ?> prepare;
    private Object[] batch = new Object[2 * BATCH];
    private int size;

    Batcher(BlockingQueue<Object[]> queue, Function<HarEntry, ?> prepare) {
      this.queue = queue;
      this.prepare = prepare;
    }

    @Override
    public void page(String id, String title) {
      add(new Page(id, title));
    }

    @Override
    public void entry(HarEntry entry) {
      Object prepared = prepare.apply(entry);
      if (size + 2 > batch.length) {
        flush();
      }
      batch[size++] = entry;
      batch[size++] = prepared;
    }

    void add(Object item) {
      if (size == batch.length) {
        flush();
      }
      batch[size++] = item;
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
      batch = new Object[2 * BATCH];
      size = 0;
    }
  }
}
