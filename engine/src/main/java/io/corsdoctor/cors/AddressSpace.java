package io.corsdoctor.cors;

import java.util.Locale;

/**
 * IP address spaces of Local Network Access (https://wicg.github.io/local-network-access/), from
 * the most private to the least. Chromium prints them in its console with {@link #word()}.
 */
public enum AddressSpace {
  LOOPBACK("loopback", 2),
  LOCAL("local", 1),
  PUBLIC("public", 0),
  UNKNOWN("unknown", 0);

  private final String word;
  private final int privacy;

  AddressSpace(String word, int privacy) {
    this.word = word;
    this.privacy = privacy;
  }

  /** Chromium's word ({@code loopback}, {@code local}, {@code public}, {@code unknown}). */
  public String word() {
    return word;
  }

  /** Whether this space is more private than {@code other} (loopback &gt; local &gt; public). */
  public boolean isMorePrivateThan(AddressSpace other) {
    return privacy > other.privacy;
  }

  public static AddressSpace fromWord(String word) {
    for (AddressSpace s : values()) {
      if (s.word.equals(word.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    if (word.equalsIgnoreCase("private")) {
      return LOCAL;
    }
    throw new IllegalArgumentException("unknown address space: " + word);
  }

  /**
   * The space of a host as written in a URL: {@code localhost} and loopback literals are LOOPBACK,
   * RFC 1918 / unique-local / link-local literals are LOCAL, other IP literals are PUBLIC, and
   * names (which need DNS) are UNKNOWN.
   */
  static boolean isDigits(String s, int maxLength) {
    if (s.isEmpty() || s.length() > maxLength) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  public static AddressSpace ofHost(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return LOOPBACK;
    }
    if (h.startsWith("[")) {
      String v6 = h.substring(1, h.length() - 1);
      if (v6.equals("::1") || v6.equals("0:0:0:0:0:0:0:1")) {
        return LOOPBACK;
      }
      if (v6.startsWith("fc")
          || v6.startsWith("fd")
          || v6.startsWith("fe8")
          || v6.startsWith("fe9")
          || v6.startsWith("fea")
          || v6.startsWith("feb")) {
        return LOCAL;
      }
      return PUBLIC;
    }
    String[] parts = h.split("\\.");
    if (parts.length != 4) {
      return UNKNOWN;
    }
    int[] b = new int[4];
    for (int i = 0; i < 4; i++) {
      if (!isDigits(parts[i], 3)) {
        return UNKNOWN;
      }
      b[i] = Integer.parseInt(parts[i]);
    }
    if (b[0] == 127) {
      return LOOPBACK;
    }
    if (b[0] == 10
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
        || (b[0] == 192 && b[1] == 168)
        || (b[0] == 169 && b[1] == 254)
        || b[0] == 0) {
      return LOCAL;
    }
    return PUBLIC;
  }
}
