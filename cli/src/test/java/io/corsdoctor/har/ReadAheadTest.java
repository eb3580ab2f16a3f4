package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadTest {

  private static final HarReader READER = new HarReader(HarLimits.DEFAULT);

  /** Entries and pages in the order a listener saw them. */
  private static final class Log implements HarReader.Listener {
    final List<Object> seen = new ArrayList<>();

    @Override
    public void page(String id, String title) {
      seen.add(id + " " + title);
    }

    @Override
    public void entry(HarEntry entry) {
      seen.add(entry);
    }
  }

  private static byte[] har(int entries) {
    String json = BodySkipperTest.har(new Random(5), entries);
    json =
        json.replace(
            "\"entries\":", "\"pages\": [{\"id\": \"p\", \"title\": \"t\"}], \"entries\":");
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void replaysEveryEntryInFileOrderAcrossManyBatches() throws Exception {
    byte[] har = har(ReadAhead.BATCH * (ReadAhead.QUEUE + 3) + 7);
    Log direct = new Log();
    int n = READER.read(new ByteArrayInputStream(har), direct);
    Log ahead = new Log();
    assertThat(ReadAhead.read(READER, new ByteArrayInputStream(har), ahead)).isEqualTo(n);
    assertThat(ahead.seen).hasSize(n + 1).isEqualTo(direct.seen);
  }

  @Test
  void deliversTheEntriesBeforeAnErrorThenTheReadersError() throws Exception {
    byte[] whole = har(ReadAhead.BATCH * 2);
    byte[] cut = Arrays.copyOf(whole, whole.length * 2 / 3);
    Log direct = new Log();
    HarFormatException expected =
        catchThrowableOfType(
            HarFormatException.class, () -> READER.read(new ByteArrayInputStream(cut), direct));
    Log ahead = new Log();
    HarFormatException got =
        catchThrowableOfType(
            HarFormatException.class,
            () -> ReadAhead.read(READER, new ByteArrayInputStream(cut), ahead));
    assertThat(got.getMessage()).isEqualTo(expected.getMessage()).contains("truncated");
    assertThat(ahead.seen).isEqualTo(direct.seen).hasSizeGreaterThan(ReadAhead.BATCH);
  }

  @Test
  void aListenerThatThrowsStopsTheReaderAndScannerThreads() throws Exception {
    byte[] har = har(ReadAhead.BATCH * (ReadAhead.QUEUE + 4));
    HarReader.Listener failing =
        e -> {
          throw new HarFormatException(HarFormatException.Kind.NOT_A_HAR, "stop", 0, 0, null);
        };
    HarFormatException e =
        catchThrowableOfType(
            HarFormatException.class,
            () -> ReadAhead.read(READER, new ByteArrayInputStream(har), failing));
    assertThat(e).hasMessage("stop");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (readerThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(readerThreads()).isZero();
  }

  private static long readerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("har-") && t.isAlive()) // har-reader, har-scanner
        .count();
  }
}
