package io.estuary.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a Prometheus text exposition (format 0.0.4) line by line, as a scraper would read it. */
public final class PrometheusText {

  private PrometheusText() {
  }

  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\""
          + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\")*,?})? (\\S+)");

  /**
   * Checks text format 0.0.4 line by line: every sample has a family declared by a TYPE line before it, a counter's
   * samples end in _total (or are a histogram/summary part), and values parse. Returns each family's type.
   */
  public static Map<String, String> assertWellFormed(String text) {
    assertTrue(text.endsWith("\n"), "the exposition ends with a line feed");
    Map<String, String> types = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher comment = COMMENT.matcher(line);
      if (comment.matches()) {
        if (comment.group(1).equals("TYPE")) {
          String previous = types.put(comment.group(2), comment.group(3));
          if (previous != null) {
            problems.add("family declared twice: " + line);
          }
        }
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        problems.add("not a sample line: " + line);
        continue;
      }
      String name = sample.group(1);
      String family = familyOf(name, types);
      if (family == null) {
        problems.add("sample without a TYPE line: " + line);
      } else if (types.get(family).equals("counter") && !name.endsWith("_total")) {
        problems.add("counter not ending in _total: " + line);
      }
      String value = sample.group(3);
      if (!value.equals("NaN") && !value.equals("+Inf") && !value.equals("-Inf")) {
        try {
          Double.parseDouble(value);
        } catch (NumberFormatException e) {
          problems.add("bad value: " + line);
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    return types;
  }

  private static String familyOf(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : List.of("_total", "_count", "_sum", "_bucket", "_max")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return null;
  }
}
