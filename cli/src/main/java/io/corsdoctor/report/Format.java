package io.corsdoctor.report;

/**
 * Output formats of every command. Lower-case constants so picocli shows them as users type them.
 */
public enum Format {
  text,
  json
}
