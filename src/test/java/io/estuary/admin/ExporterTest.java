package io.estuary.admin;

import io.estuary.testing.PrometheusText;
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
    PrometheusText.assertWellFormed(text);
  }

  @Test
  void samplesAreTypedAndCountersEndInTotal() {
    Map<String, String> types = PrometheusText.assertWellFormed(new Exporter("l", "t", null).render(SNAPSHOT));
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

  @Test
  void streamsAreCountedByCodecOnceACodecIsKnown() {
    java.util.TreeMap<String, Integer> video = new java.util.TreeMap<>(Map.of("HEVC", 2, "AV1", 1));
    java.util.TreeMap<String, Integer> audio = new java.util.TreeMap<>(Map.of("AAC", 3));
    String text = new Exporter("", "", null).render(
        new ExporterSnapshot("0.1.0", 0, 0, 0, 0, 3, 3, 3, 0, video, audio));
    assertTrue(text.contains("# TYPE srs_streams_codec gauge\n"
        + "srs_streams_codec{type=\"video\",codec=\"AV1\"} 1\n"
        + "srs_streams_codec{type=\"video\",codec=\"HEVC\"} 2\n"
        + "srs_streams_codec{type=\"audio\",codec=\"AAC\"} 3\n"), text);
    assertFalse(new Exporter("", "", null).render(SNAPSHOT).contains("srs_streams_codec"),
        "no codec known: SRS's metrics alone");
  }
}
