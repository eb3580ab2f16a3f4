package io.corsdoctor.har;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@link BodySkipper} changes nothing but speed: {@link HarReader} gives the same entries (with
 * the same byte offsets) and the same errors (same message, offset and entry) with and without it,
 * on real exports and on generated HARs whose bodies hold escapes, multi-byte UTF-8 and every kind
 * of byte the parser refuses, cut at chunk boundaries of every size.
 */
class BodySkipperTest {

  private static final String[] PIECES = {
    "const x = 1;",
    " ",
    "\\n",
    "\\\"",
    "\\\\",
    "\\/",
    "\\t",
    "\\u00e9",
    "\\uD83D\\uDE00",
    "é",
    "€",
    "😀",
    "{\\\"id\\\": 42}",
    "text",
    "\\\"text\\\":",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };

  /** Bytes Jackson refuses inside a string, spliced into bodies. */
  private static final byte[][] POISON = {
    {0x01},
    {'\n'},
    {'\\', 'x'},
    {'\\', 'u', '1', '2', 'G', '4'},
    {'\\', 'u', '1', '2'},
    {(byte) 0x80},
    {(byte) 0xC3, 'A'},
    {(byte) 0xE2, (byte) 0x82, '"'},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    {(byte) 0xF8, (byte) 0x80},
    {(byte) 0xFF},
    {'\\'},
  };

  /** What a read gives: the entries, or the error. */
  private record Outcome(List<HarEntry> entries, String error, long offset, int entry) {}

  private static Outcome read(byte[] har, int chunk) throws Exception {
    return read(har, chunk, false);
  }

  private static Outcome read(byte[] har, int chunk, boolean threaded) throws Exception {
    List<HarEntry> entries = new ArrayList<>();
    try {
      new HarReader(HarLimits.DEFAULT, chunk, threaded)
          .read(new ByteArrayInputStream(har), entries::add);
      return new Outcome(entries, null, -1, -1);
    } catch (HarFormatException e) {
      return new Outcome(
          List.of(), e.kind() + ": " + e.getMessage(), e.byteOffset(), e.entryIndex());
    }
  }

  private static String body(Random rnd) {
    StringBuilder b = new StringBuilder();
    int n = rnd.nextInt(40);
    for (int i = 0; i < n; i++) {
      b.append(PIECES[rnd.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  /** A Chrome-shaped HAR; {@code "text"} also appears as a value, a non-string and spaced out. */
  static String har(Random rnd, int entries) {
    StringBuilder s = new StringBuilder("{\"log\": {\"version\": \"1.2\", \"entries\": [\n");
    for (int i = 0; i < entries; i++) {
      if (i > 0) {
        s.append(",\n");
      }
      String colon = rnd.nextBoolean() ? ": " : " :\n\t ";
      s.append("{\"_initiator\": {\"type\": \"script\", \"stack\": {\"callFrames\": [{\"url\": \"")
          .append(body(rnd))
          .append("\"}]}}, \"startedDateTime\": \"2023-11-14T10:00:00.")
          .append(100 + i)
          .append("Z\", \"request\": {\"method\": \"POST\", \"url\": \"http://localhost:5000/")
          .append(i)
          .append(
              "?q=text\", \"headers\": [{\"name\": \"Origin\", \"value\": \"http://localhost:4200\"},")
          .append(
              " {\"name\": \"text\", \"value\": \"text\"}], \"postData\": {\"mimeType\": \"x\",")
          .append(" \"text\"")
          .append(colon)
          .append('"')
          .append(body(rnd))
          .append("\"}}, \"response\": {\"status\": 200, \"headers\": [{\"name\": \"Server\",")
          .append(" \"value\": \"")
          .append(body(rnd))
          .append("\"}], \"content\": {\"size\": 1, ");
      switch (rnd.nextInt(4)) {
        case 0 -> s.append("\"text\": 12");
        case 1 -> s.append("\"text\": {\"text\": \"").append(body(rnd)).append("\"}");
        case 2 -> s.append("\"text\": [\"").append(body(rnd)).append("\"]");
        default -> s.append("\"text\"").append(colon).append('"').append(body(rnd)).append('"');
      }
      s.append("}}, \"serverIPAddress\": \"[::1]\"}");
    }
    return s.append("\n]}}\n").toString();
  }

  private static void assertSameEitherWay(byte[] har, int chunk, String what) throws Exception {
    Outcome plain = read(har, 0);
    assertThat(read(har, chunk)).as("%s, chunk %d", what, chunk).isEqualTo(plain);
    assertThat(read(har, chunk, true)).as("%s, chunk %d, threaded", what, chunk).isEqualTo(plain);
  }

  @Test
  void realExportsGiveTheSameEntriesAndOffsets() throws Exception {
    for (String name :
        List.of(
            "real/angular-mfe-api-localhost.har",
            "real/cowboy-cards-localhost.har",
            "secrets-planted.har",
            "chromium/preflight-xhr-acah-missing.har")) {
      byte[] har;
      try (InputStream in = HarFixtures.open(name)) {
        har = in.readAllBytes();
      }
      for (int chunk : new int[] {64, 100, 1000, HarReader.CHUNK}) {
        assertSameEitherWay(har, chunk, name);
      }
      assertThat(read(har, 64).entries()).isNotEmpty();
    }
  }

  @Test
  void generatedBodiesGiveTheSameEntriesWhateverTheChunkSize() throws Exception {
    Random rnd = new Random(1);
    for (int round = 0; round < 60; round++) {
      byte[] har = har(rnd, 1 + rnd.nextInt(6)).getBytes(StandardCharsets.UTF_8);
      Outcome plain = read(har, 0);
      assertThat(plain.error()).as("round %d", round).isNull();
      assertSameEitherWay(har, 64 + rnd.nextInt(300), "round " + round);
    }
  }

  @Test
  void bytesTheParserRefusesInABodyGiveTheSameErrorAtTheSameOffset() throws Exception {
    Random rnd = new Random(2);
    int refused = 0;
    for (int round = 0; round < 300; round++) {
      byte[] har = har(rnd, 1 + rnd.nextInt(4)).getBytes(StandardCharsets.UTF_8);
      byte[] poison = POISON[round % POISON.length];
      int at = bodyPosition(har, rnd);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(har, 0, at);
      out.write(poison);
      out.write(har, at, har.length - at);
      byte[] bad = out.toByteArray();
      if (read(bad, 0).error() != null) {
        refused++; // a lone backslash before n or t makes a valid escape
      }
      assertSameEitherWay(bad, 64 + rnd.nextInt(300), "round " + round);
    }
    assertThat(refused).isGreaterThan(250);
  }

  @Test
  void aFileCutAnywhereGivesTheSameTruncationError() throws Exception {
    byte[] har = har(new Random(3), 3).getBytes(StandardCharsets.UTF_8);
    for (int len = 1; len < har.length; len += 7) {
      assertSameEitherWay(Arrays.copyOf(har, len), 64 + len % 200, "cut at " + len);
    }
  }

  @Test
  void theParserSeesEmptyBodiesAndEveryOtherByteMapsBackToItsOwn() throws Exception {
    byte[] har = har(new Random(4), 20).getBytes(StandardCharsets.UTF_8);
    BodySkipper s = new BodySkipper(new ByteArrayInputStream(har), 64);
    byte[] seen = s.readAllBytes();
    assertThat(s.dropped()).isEqualTo(har.length - seen.length).isPositive();
    for (int k = 0; k < seen.length; k++) {
      assertThat(har[(int) s.original(k)]).as("byte %d", k).isEqualTo(seen[k]);
    }
    String text = new String(seen, StandardCharsets.UTF_8);
    assertThat(text).contains("\"text\": \"\"").doesNotContainPattern("\"text\"\\s*:\\s*\"[^\"]");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void whenTooManyCutsAreRememberedBodiesPassUnchanged(boolean threaded) throws Exception {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < BodySkipper.MAX_CUTS + 10; i++) {
      s.append(i == 0 ? "" : ",").append("{\"text\": \"body\"}");
    }
    byte[] json = s.append("]").toString().getBytes(StandardCharsets.UTF_8);
    BodySkipper skipper = new BodySkipper(new ByteArrayInputStream(json), 4096, threaded);
    byte[] seen = skipper.readAllBytes();
    assertThat(skipper.dropped()).isEqualTo(4L * BodySkipper.MAX_CUTS);
    assertThat(seen.length).isEqualTo(json.length - 4 * BodySkipper.MAX_CUTS);
    for (int k = 0; k < seen.length; k++) {
      assertThat(json[(int) skipper.original(k)]).isEqualTo(seen[k]);
    }
  }

  /** A position inside a body (after the opening quote of a {@code "text"} string). */
  private static int bodyPosition(byte[] har, Random rnd) {
    String s = new String(har, StandardCharsets.ISO_8859_1);
    List<Integer> starts = new ArrayList<>();
    for (int i = s.indexOf("\"text\""); i >= 0; i = s.indexOf("\"text\"", i + 1)) {
      int q = i + 6;
      while (q < s.length() && (s.charAt(q) == ' ' || s.charAt(q) == ':' || s.charAt(q) < 0x20)) {
        q++;
      }
      if (q < s.length() && s.charAt(q) == '"' && s.charAt(i - 1) != '\\') {
        starts.add(q + 1);
      }
    }
    int start = starts.get(rnd.nextInt(starts.size()));
    int end = s.indexOf('"', start);
    while (end > 0 && s.charAt(end - 1) == '\\') {
      end = s.indexOf('"', end + 1);
    }
    int at = start + rnd.nextInt(Math.max(1, end - start));
    // not inside an escape or a UTF-8 sequence
    while (at > start && ((har[at] & 0xC0) == 0x80 || har[at - 1] == '\\')) {
      at--;
    }
    return at;
  }
}
