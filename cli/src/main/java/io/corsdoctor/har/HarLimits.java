package io.corsdoctor.har;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;

/**
 * How much of a HAR cors-doctor is willing to hold at once. Strings cors-doctor reads (URLs, header
 * values, request bodies when redacting) may not exceed {@code maxStringChars}; strings it does not
 * need (response bodies) are skipped without being held, whatever their size. Nesting deeper than
 * {@code maxDepth} is refused. Both turn into a {@link HarFormatException} with the byte offset,
 * never an out-of-memory error.
 *
 * @param maxStringChars the longest string value kept, in chars
 * @param maxDepth the deepest nesting of objects and arrays accepted
 */
public record HarLimits(int maxStringChars, int maxDepth) {

  /**
   * 16 MiB strings (a long {@code data:} URL fits; a whole body never needs to) and 500 levels
   * (Chromium's deepest initiator stacks stay far below).
   */
  public static final HarLimits DEFAULT = new HarLimits(16 * 1024 * 1024, 500);

  /** A Jackson factory whose parsers enforce these limits. */
  public JsonFactory factory() {
    return JsonFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxStringLength(maxStringChars)
                .maxNestingDepth(maxDepth)
                .maxNameLength(64 * 1024)
                .maxNumberLength(1000)
                .build())
        .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
        .build();
  }
}
