package io.corsdoctor.cli;

/**
 * A failure the user can act on: its message is one or two plain sentences (what happened, what to
 * do) and is printed without a stack trace.
 */
public final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public UserError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public UserError(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
