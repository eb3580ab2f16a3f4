package io.corsdoctor.cors;

import java.util.Locale;
import java.util.Objects;

/**
 * One header line as it was written or received: the name keeps its case, the value its bytes
 * (decoded as ISO-8859-1, so every byte maps to one char).
 */
public record Header(String name, String value) {
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** Header names compare case-insensitively (Fetch: "byte-case-insensitive"). */
  public boolean is(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }

  public String lowerName() {
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return name + ": " + value;
  }
}
