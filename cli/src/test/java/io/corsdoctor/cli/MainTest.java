package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    return run(Main.commandLine(), args);
  }

  /** As the launcher builds it: only the named subcommand. */
  static Run runAsMain(String... args) {
    return run(Main.commandLine(args), args);
  }

  private static Run run(CommandLine cl, String... args) {
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

  @Test
  void aNamedSubcommandIsTheOnlyOneBuiltAndBehavesAsWithAllOfThem() {
    assertThat(Main.commandLine(new String[] {"--debug", "port", "5000"}).getSubcommands())
        .containsOnlyKeys("port");
    assertThat(Main.commandLine(new String[] {"--help"}).getSubcommands())
        .containsOnlyKeys("har", "check", "explain", "demo", "proxy", "port", "ports");
    for (String[] args :
        new String[][] {
          {"port", "--help"}, {"port", "0"}, {"ports", "--interval", "5"}, {"explain", "--bogus"}
        }) {
      Run lazy = runAsMain(args);
      Run all = run(args);
      assertThat(lazy).as(String.join(" ", args)).isEqualTo(all);
    }
  }

  @Test
  void aMistypedSubcommandStillGetsSuggestions() {
    Run r = runAsMain("prot", "5000");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Did you mean: cors-doctor");
  }
}
