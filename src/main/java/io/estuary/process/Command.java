package io.estuary.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child's command line and where its output goes. SRS's {@code 1 > FILE} and {@code 2 > FILE} (also written
 * {@code 1>FILE}) send stdout or stderr to a file, appended; without them stdout is discarded and stderr logged.
 * No shell is involved: the words are the program's arguments.
 */
record Command(List<String> argv, Path stdout, Path stderr) {

  Command {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  /** {@code words} with SRS's redirections taken out (a word holding {@code >} is split around it first). */
  static Command parse(List<String> words) {
    List<String> split = new ArrayList<>();
    for (String w : words) {
      int gt = w.indexOf('>');
      if (gt < 0 || w.equals(">")) {
        split.add(w);
        continue;
      }
      if (gt > 0) {
        split.add(w.substring(0, gt));
      }
      split.add(">");
      if (gt + 1 < w.length()) {
        split.add(w.substring(gt + 1));
      }
    }
    List<String> argv = new ArrayList<>();
    Path stdout = null;
    Path stderr = null;
    for (int i = 0; i < split.size(); i++) {
      String w = split.get(i);
      boolean redirect = i + 2 < split.size() && split.get(i + 1).equals(">");
      if (redirect && w.equals("1")) {
        stdout = Path.of(split.get(i + 2));
        i += 2;
      } else if (redirect && w.equals("2")) {
        stderr = Path.of(split.get(i + 2));
        i += 2;
      } else {
        argv.add(w);
      }
    }
    return new Command(argv, stdout, stderr);
  }

  /** The command line as one string, for logs and the API. */
  String line() {
    return String.join(" ", argv) + (stdout == null ? "" : " 1>" + stdout) + (stderr == null ? "" : " 2>" + stderr);
  }
}
