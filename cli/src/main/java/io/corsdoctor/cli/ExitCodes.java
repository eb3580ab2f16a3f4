package io.corsdoctor.cli;

/** The exit codes every command uses (see the README). */
public final class ExitCodes {
  private ExitCodes() {}

  /** Ran; nothing blocks (the browser allows, the port is free). */
  public static final int OK = 0;

  /** Ran; found a blocking problem (the browser blocks, the port is taken). */
  public static final int PROBLEM = 1;

  /** Usage error (picocli's ExitCode.USAGE). */
  public static final int USAGE = 2;

  /** Could not reach a verdict: unreachable, unreadable file, permission. */
  public static final int INCOMPLETE = 3;

  /** Internal bug (EX_SOFTWARE). */
  public static final int BUG = 70;
}
