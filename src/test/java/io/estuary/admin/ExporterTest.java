package io.estuary.admin;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExporterTest {

  private static final long PID = ProcessHandle.current().pid();
  private static final ExporterSnapshot SNAPSHOT =
      new ExporterSnapshot("6.0.157", 12.5, 64L * 1024 * 1024, 1_000_000_000_000L, 42, 1, 3, 17, 2);

  @Test
  void rendersSrsMetricsAsSrsDoes() {
    String expected = ""
        + "# HELP srs_build_info Constant 1, labeled with the version of the running server.\n"
        + "# TYPE srs_build_info gauge\n"
        + "srs_build_info{pid=\"" + PID + "\",major=\"6\",version=\"6.0.157\",label=\"l\",tag=\"t\"} 1\n"
        + "# HELP srs_cpu_percent CPU used by the server process, in percent of one core.\n"
        + "# TYPE srs_cpu_percent gauge\n"
        + "srs_cpu_percent 12.5\n"
        + "# HELP srs_memory Resident memory of the server process, in KiB.\n"
        + "# TYPE srs_memory gauge\n"
        + "srs_memory 65536\n"
        + "# HELP srs_send_bytes_total Bytes sent to clients.\n"
        + "# TYPE srs_send_bytes_total counter\n"
        + "srs_send_bytes_total 1000000000000\n"
        + "# HELP srs_receive_bytes_total Bytes received from clients.\n"
        + "# TYPE srs_receive_bytes_total counter\n"
        + "srs_receive_bytes_total 42\n"
        + "# HELP srs_streams Streams live now.\n"
        + "# TYPE srs_streams gauge\n"
        + "srs_streams 1\n"
        + "# HELP srs_clients Clients connected now.\n"
        + "# TYPE srs_clients gauge\n"
        + "srs_clients 3\n"
        + "# HELP srs_clients_total Clients accepted.\n"
        + "# TYPE srs_clients_total counter\n"
        + "srs_clients_total 17\n"
        + "# HELP srs_clients_errs_total Clients that ended with an error.\n"
        + "# TYPE srs_clients_errs_total counter\n"
        + "srs_clients_errs_total 2\n";
    assertEquals(expected, new Exporter("l", "t", null).render(SNAPSHOT));
  }

  @Test
  void labelAndTagAreLeftOutWhenNotConfigured() {
    String unset = new Exporter(null, "", null).render(SNAPSHOT);
    assertTrue(unset.contains("srs_build_info{pid=\"" + PID + "\",major=\"6\",version=\"6.0.157\"} 1\n"), unset);
    assertFalse(unset.contains("label="), unset);
    assertFalse(unset.contains("tag="), unset);

    String tagOnly = new Exporter("", "cn-edge", null).render(SNAPSHOT);
    assertTrue(tagOnly.contains(",version=\"6.0.157\",tag=\"cn-edge\"} 1\n"), tagOnly);
  }

  @Test
  void labelValuesAreEscaped() {
    String text = new Exporter("a\"b\\c\nd", "cn-edge", null)
        .render(new ExporterSnapshot("1.2\"x", 0, 0, 0, 0, 0, 0, 0, 0));
    assertTrue(text.contains(",major=\"1\",version=\"1.2\\\"x\",label=\"a\\\"b\\\\c\\nd\",tag=\"cn-edge\"} 1\n"), text);
    assertWellFormed(text);
  }

  @Test
  void samplesAreTypedAndCountersEndInTotal() {
    Map<String, String> types = assertWellFormed(new Exporter("l", "t", null).render(SNAPSHOT));
    assertEquals(Map.of(
        "srs_build_info", "gauge",
        "srs_cpu_percent", "gauge",
        "srs_memory", "gauge",
        "srs_send_bytes_total", "counter",
        "srs_receive_bytes_total", "counter",
        "srs_streams", "gauge",
        "srs_clients", "gauge",
        "srs_clients_total", "counter",
        "srs_clients_errs_total", "counter"), types);
  }

  @Test
  void numbersArePrintedAsPrometheusReadsThem() {
    assertEquals("0", Exporter.format(0));
    assertEquals("100", Exporter.format(100.0));
    assertEquals("0.25", Exporter.format(0.25));
    assertEquals("NaN", Exporter.format(Double.NaN));
    assertEquals("+Inf", Exporter.format(Double.POSITIVE_INFINITY));
    String idle = new Exporter("", "", null).render(new ExporterSnapshot("0.1.0", 0, 1023, 0, 0, 0, 0, 0, 0));
    assertTrue(idle.contains("\nsrs_cpu_percent 0\n"), idle);
    assertTrue(idle.contains("\nsrs_memory 0\n"), idle);
    assertTrue(idle.contains(",major=\"0\",version=\"0.1.0\"} 1\n"), idle);
  }

  private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\""
          + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\")*,?})? (\\S+)");

  /**
   * Checks text format 0.0.4 line by line: every sample has a family declared by a TYPE line before it, a counter's
   * samples end in _total (or are a histogram/summary part), and values parse. Returns each family's type.
   */
  static Map<String, String> assertWellFormed(String text) {
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
