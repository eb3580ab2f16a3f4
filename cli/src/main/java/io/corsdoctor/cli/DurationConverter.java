package io.corsdoctor.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 2s}, {@code 500ms}, {@code 1.5s} or a bare number of seconds. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      String n = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
      Duration d = Duration.ofMillis(Math.round(Double.parseDouble(n.trim()) * 1000));
      if (d.isNegative() || d.isZero()) {
        throw new TypeConversionException(
            "'" + value + "' must be more than zero, e.g. 2s or 500ms");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration; write e.g. 2s or 500ms");
    }
  }
}
