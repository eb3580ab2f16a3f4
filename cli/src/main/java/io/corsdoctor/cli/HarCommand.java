package io.corsdoctor.cli;

import io.corsdoctor.har.HarAnalysis;
import io.corsdoctor.har.HarAnalyzer;
import io.corsdoctor.har.HarFinding;
import io.corsdoctor.har.HarFormatException;
import io.corsdoctor.har.HarLimits;
import io.corsdoctor.har.HarRedactor;
import io.corsdoctor.har.HarRequestResult;
import io.corsdoctor.report.HarReport;
import io.corsdoctor.report.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cors-doctor har FILE}: what the browser decided about each cross-origin request. */
@Command(
    name = "har",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a HAR export (Chrome, Edge, Firefox, Safari, Playwright) as a",
      "stream, pairs each preflight with its request, replays the recorded",
      "headers through the browser's CORS checks, and names causes such as a",
      "preflight answered by another server. Summary first, then details.",
      "With --redact OUT it writes a copy safe to share instead (cookies,",
      "tokens, query values and bodies replaced) and lists what it removed."
    })
public final class HarCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The HAR file (.har, JSON).")
  Path file;

  @Option(
      names = "--url",
      paramLabel = "PATTERN",
      description = "Only requests whose URL contains PATTERN (* matches anything).")
  String url;

  @Option(
      names = "--redact",
      paramLabel = "OUT",
      description = "Write a redacted copy to OUT and list what was removed; no analysis.")
  Path redact;

  @Option(names = "--all", description = "List every cross-origin request, passes too.")
  boolean all;

  @Mixin OutputOptions out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long size = size();
    if (redact != null) {
      return redact(size);
    }
    HarAnalysis analysis;
    // Unbuffered: the analysis reads its input in large chunks of its own.
    try (InputStream in = Files.newInputStream(file);
        Progress progress =
            new Progress(spec.commandLine().getErr(), size, Progress.stderrIsTerminal())) {
      analysis =
          new HarAnalyzer(HarLimits.DEFAULT, filter(url), HarAnalyzer.DEFAULT_MAX_REQUESTS)
              .analyze(in, progress);
    } catch (HarFormatException e) {
      throw unreadable(e);
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "Could not read " + file + " (" + e.getMessage() + "). Check the file and try again.",
          e);
    }
    if (out.json()) {
      try {
        HarReport.writeJson(analysis, file.toString(), spec.commandLine().getOut());
      } catch (IOException e) {
        throw new UserError(ExitCodes.INCOMPLETE, "Could not write the report (" + e + ").", e);
      }
    } else {
      spec.commandLine().getOut().print(HarReport.text(analysis, file.toString(), out.ansi(), all));
    }
    spec.commandLine().getOut().flush();
    return problem(analysis) ? ExitCodes.PROBLEM : ExitCodes.OK;
  }

  private static boolean problem(HarAnalysis a) {
    if (a.blocked() > 0 || a.networkErrors() > 0) {
      return true;
    }
    for (HarRequestResult r : a.requests()) {
      for (HarFinding f : r.findings()) {
        if (f.code().severity().equals("error")) {
          return true;
        }
      }
    }
    return false;
  }

  private int redact(long size) {
    Path target = redact.toAbsolutePath();
    try {
      if (Files.exists(target) && Files.isSameFile(target, file)) {
        throw new UserError(
            ExitCodes.USAGE,
            "--redact "
                + redact
                + " is the input file itself. Give another file name for the copy.");
      }
    } catch (IOException e) {
      // fall through: the copy below reports what is wrong
    }
    Path parent = target.getParent();
    Path tmp = null;
    HarRedactor.Report report;
    try {
      tmp = Files.createTempFile(parent, ".cors-doctor-redact", ".har");
      try (InputStream in = open(file);
          OutputStream os = Files.newOutputStream(tmp);
          Progress progress =
              new Progress(spec.commandLine().getErr(), size, Progress.stderrIsTerminal())) {
        report = new HarRedactor(HarLimits.DEFAULT).redact(in, os, progress);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
    } catch (HarFormatException e) {
      throw unreadable(e);
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "Could not write the redacted copy to " + redact + " (" + e + "). Check the directory.",
          e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
    if (out.json()) {
      spec.commandLine()
          .getOut()
          .println(Json.write(HarReport.redactionJson(report, redact.toString()), false));
    } else {
      spec.commandLine().getOut().print(HarReport.redactionText(report, redact.toString()));
    }
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** Reads in 1 MiB slices: fewer system calls than the parser's own 8 KB reads. */
  private static InputStream open(Path file) throws IOException {
    return new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20);
  }

  private long size() {
    try {
      if (Files.isDirectory(file)) {
        throw new UserError(
            ExitCodes.INCOMPLETE, file + " is a directory. Give the path of a .har file.");
      }
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE, "There is no file " + file + ". Check the path of the HAR export.");
    } catch (AccessDeniedException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE, "Permission denied reading " + file + ". Check its permissions.");
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE, "Could not read " + file + " (" + e.getMessage() + ").", e);
    }
  }

  private UserError unreadable(HarFormatException e) {
    String advice =
        switch (e.kind()) {
          case TRUNCATED ->
              " Export the HAR again (DevTools > Network > Export HAR) and wait until it is written.";
          case NOT_A_HAR -> " Export one from DevTools > Network > Export HAR.";
          case TOO_LONG, TOO_DEEP ->
              " cors-doctor refuses it rather than run out of memory; check the file.";
          default -> " Export the HAR again, or check what edited it.";
        };
    return new UserError(
        ExitCodes.INCOMPLETE, "Can't read " + file + ": " + e.getMessage() + "." + advice, e);
  }

  /** Substring match, or a glob when the pattern has {@code *}. */
  static Predicate<String> filter(String pattern) {
    if (pattern == null || pattern.isEmpty()) {
      return u -> true;
    }
    if (!pattern.contains("*")) {
      return u -> u.contains(pattern);
    }
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    Pattern p = Pattern.compile(regex.toString());
    return u -> p.matcher(u).find();
  }
}
