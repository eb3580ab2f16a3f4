package io.corsdoctor.har;

/**
 * The input is not a HAR cors-doctor can read: invalid or truncated JSON, a field of the wrong
 * type, no {@code log.entries}, a string or nesting beyond the limits. The message says what and
 * where, in one sentence.
 */
public final class HarFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, so callers can word their advice. */
  public enum Kind {
    NOT_JSON,
    TRUNCATED,
    NOT_A_HAR,
    WRONG_TYPE,
    TOO_LONG,
    TOO_DEEP
  }

  private final Kind kind;
  private final long byteOffset;
  private final int entryIndex;

  public HarFormatException(
      Kind kind, String message, long byteOffset, int entryIndex, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.byteOffset = byteOffset;
    this.entryIndex = entryIndex;
  }

  public Kind kind() {
    return kind;
  }

  /** Where in the file the problem was found, in bytes from the start; -1 if unknown. */
  public long byteOffset() {
    return byteOffset;
  }

  /** Index of the entry being read (from 0), or -1 outside {@code log.entries}. */
  public int entryIndex() {
    return entryIndex;
  }
}
