package io.corsdoctor.har;

import java.util.Locale;

/** Byte counts for people: {@code 16 MB}, {@code 1.2 GB}. */
public final class HarSizes {
  private HarSizes() {}

  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v >= 10 || v == Math.floor(v))
        ? String.format(Locale.ROOT, "%.0f %s", v, units[u])
        : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
