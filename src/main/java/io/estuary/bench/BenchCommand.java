package io.estuary.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code estuary bench ...}: the command line of {@link Bench}. Prints progress each second and a summary; with
 * {@code --json FILE} also writes the summary as JSON. Exit code 0 when every publisher published and (with
 * players) at least one player played, 1 otherwise, 2 for a bad command line (or a --server-pid not running).
 */
public final class BenchCommand {

  private BenchCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command; returns the process exit code. */
  public static int run(String[] args) {
    return run(args, System.out, System.err);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (BenchOptions.UsageException e) {
      err.println("estuary bench: " + e.getMessage());
      BenchOptions.usage(err);
      return 2;
    }
    if (options == null) {
      BenchOptions.usage(out);
      return 0;
    }
    BenchResult result;
    try {
      result = Bench.run(options, out);
    } catch (BenchOptions.UsageException e) { // e.g. a --server-pid that is not running
      err.println("estuary bench: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      err.println("estuary bench: " + e);
      return 1;
    }
    out.print(result.describe());
    if (options.json() != null) {
      String json = result.toJson(options.jsonPlayers()).encodePrettily();
      if (options.json().toString().equals("-")) {
        out.println(json);
      } else {
        try {
          Path parent = options.json().toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
          Files.writeString(options.json(), json + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
          err.println("estuary bench: cannot write " + options.json() + ": " + e);
          return 1;
        }
      }
    }
    return result.ok() ? 0 : 1;
  }
}
