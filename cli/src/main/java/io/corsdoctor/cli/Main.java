package io.corsdoctor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

/** The {@code cors-doctor} command: wiring, help, version, exit codes. */
@Command(
    name = "cors-doctor",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Tells you why the browser blocks a cross-origin request, and what to do:",
      "who really answers on the port, what the browser sends and receives,",
      "and what it will decide."
    },
    exitCodeOnInvalidInput = ExitCodes.USAGE,
    exitCodeOnExecutionException = ExitCodes.BUG,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:Ran; nothing blocks (the browser allows, the port is free).",
      "1:Ran; found a blocking problem (the browser blocks, the port is taken).",
      "2:Usage error.",
      "3:Could not reach a verdict (unreachable, unreadable file, permission).",
      "70:Internal error (a bug: please report it with --debug output)."
    })
public final class Main implements Runnable {

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces and internal details on errors.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The subcommands, in the order the help lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          HarCommand.class,
          CheckCommand.class,
          ExplainCommand.class,
          DemoCommand.class,
          ProxyCommand.class,
          PortCommand.class,
          PortsCommand.class);

  /** A configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS);
  }

  /**
   * The command line for these arguments. picocli builds a model of every option of every
   * subcommand it is given, which was the largest part of each run's start-up (tens of ms): when
   * the arguments name a subcommand, only that one is built; for anything else (help, a typo that
   * wants "did you mean") all of them are.
   */
  static CommandLine commandLine(String[] args) {
    return commandLine(subcommand(args));
  }

  /** The command line with only {@code named} (null: every subcommand). */
  private static CommandLine commandLine(Class<?> named) {
    return commandLine(named != null ? List.of(named) : SUBCOMMANDS);
  }

  /** Starts what the named command can do before its arguments are parsed (only {@code port}). */
  static void startEarly(Class<?> named, String[] args) {
    if (named == PortCommand.class) {
      PortCommand.startEarly(args);
    }
  }

  /** The subcommand the arguments name (after an optional --debug), or null. */
  static Class<?> subcommand(String[] args) {
    for (String a : args) {
      if (a.equals("--debug")) {
        continue;
      }
      for (Class<?> c : SUBCOMMANDS) {
        if (c.getAnnotation(Command.class).name().equals(a)) {
          return c;
        }
      }
      break;
    }
    return null;
  }

  private static CommandLine commandLine(List<Class<?>> subcommands) {
    CommandLine cl = new CommandLine(new Main());
    for (Class<?> c : subcommands) {
      cl.addSubcommand(c);
    }
    cl.setExecutionExceptionHandler(Main::handleExecutionException);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  public static void main(String[] args) {
    Class<?> named = subcommand(args);
    startEarly(named, args);
    int code = commandLine(named).execute(args);
    System.exit(code);
  }

  private static int handleExecutionException(
      Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    boolean debug = isDebug(parseResult);
    if (ex instanceof UserError ue) {
      err.println(ue.getMessage());
      if (debug && ue.getCause() != null) {
        ue.getCause().printStackTrace(err);
      }
      err.flush();
      return ue.exitCode();
    }
    err.println(
        "cors-doctor hit an internal error ("
            + ex.getClass().getSimpleName()
            + "). Run with --debug for details, and please report it.");
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.BUG;
  }

  private static boolean isDebug(CommandLine.ParseResult parseResult) {
    for (CommandLine.ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** Reads the version Maven filtered into the jar. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/cors-doctor-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "cors-doctor " + p.getProperty("version", "unknown"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
