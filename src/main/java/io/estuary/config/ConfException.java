package io.estuary.config;

/**
 * A configuration that cannot be used: a syntax error, a value of the wrong type, a missing include.
 * The message names where the problem is, {@code <file>:<line>: <reason>}, or for an environment
 * override {@code env <VARIABLE>: <reason>}.
 */
public final class ConfException extends RuntimeException {

  /** The pseudo file name of values that come from environment variables. */
  public static final String ENV = "<env>";

  private final String file;
  private final int line;
  private final String reason;

  public ConfException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  private ConfException(String variable, String reason) {
    super("env " + variable + ": " + reason);
    this.file = ENV;
    this.line = 0;
    this.reason = reason;
  }

  /** An invalid value of the environment variable {@code variable}. */
  public static ConfException env(String variable, String reason) {
    return new ConfException(variable, reason);
  }

  /** The file the problem is in, {@link #ENV} for an environment variable. */
  public String file() {
    return file;
  }

  /** The 1-based line of the problem, 0 for an environment variable. */
  public int line() {
    return line;
  }

  /** What is wrong, without the location. */
  public String reason() {
    return reason;
  }
}
