package io.corsdoctor.cli;

import io.corsdoctor.report.Format;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

/** Options every command shares: {@code --format text|json} and {@code --no-color}. */
public final class OutputOptions {

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  public Format format = Format.text;

  @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set).")
  public boolean noColor;

  /** Colours only on a terminal, never with --no-color or NO_COLOR (picocli's AUTO honours it). */
  public Ansi ansi() {
    return noColor || format == Format.json ? Ansi.OFF : Ansi.AUTO;
  }

  public boolean json() {
    return format == Format.json;
  }
}
