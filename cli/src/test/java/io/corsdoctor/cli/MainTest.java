package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsExitCodesAndExitsZero() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: cors-doctor").contains("Exit codes:");
  }

  @Test
  void versionNamesTheTool() {
    Run r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("cors-doctor ").contains("Java 17");
  }

  @Test
  void unknownOptionIsAUsageErrorWithoutStackTrace() {
    Run r = run("--bogus");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown option: '--bogus'").doesNotContain("at io.corsdoctor");
  }
}
