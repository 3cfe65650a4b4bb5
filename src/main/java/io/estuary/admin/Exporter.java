package io.estuary.admin;

import io.estuary.access.Clients;
import io.estuary.media.AudioInfo;
import io.estuary.media.VideoInfo;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Prometheus exporter ({@code exporter { enabled; listen; label; tag; }}): SRS's {@code srs_*} metrics, as SRS's
 * {@code /metrics} renders them, followed by the JVM and Vert.x metrics of a Micrometer registry.
 *
 * <p>SRS puts {@code label} and {@code tag} on {@code srs_build_info} only, and only when they are set; its other
 * samples carry no labels. Dashboards written for SRS join on {@code srs_build_info}, so we do the same.
 *
 * <p>Immutable and safe to call from any thread: {@link PrometheusMeterRegistry#scrape()} is thread-safe.
 */
public final class Exporter {

  /** Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final String label;
  private final String tag;
  private final PrometheusMeterRegistry registry;
  private final long pid = ProcessHandle.current().pid();

  /**
   * @param label         the {@code exporter.label} directive; null or empty leaves the label out, as SRS does
   * @param tag           the {@code exporter.tag} directive; null or empty leaves the label out
   * @param registryOrNull the registry whose scrape follows SRS's metrics, usually {@link #registry()}
   */
  public Exporter(String label, String tag, PrometheusMeterRegistry registryOrNull) {
    this.label = label == null ? "" : label;
    this.tag = tag == null ? "" : tag;
    this.registry = registryOrNull;
  }

  /** Metrics options that make Vert.x keep a Prometheus registry with JVM metrics; {@link #registry()} finds it. */
  public static MetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // No embedded server: the node serves /metrics itself, with SRS's metrics first.
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /**
   * The Prometheus registry of the running Vert.x instance built with {@link #metricsOptions()}. It lives as long as
   * that instance: closing Vert.x removes it.
   *
   * @throws IllegalStateException when no Vert.x instance with those options is running
   */
  public static PrometheusMeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    throw new IllegalStateException(registry == null
        ? "no metrics registry: create Vert.x with Exporter.metricsOptions() first"
        : "the default metrics registry is not Prometheus but " + registry.getClass().getName());
  }

  /** SRS's metrics for this snapshot in text format 0.0.4, then the registry's, if any. */
  /** What the node knows now, for {@link #render}. */
  public static ExporterSnapshot snapshot(StreamHub hub, Clients clients, NodeInfo node) {
    int streams = 0;
    SortedMap<String, Integer> video = new TreeMap<>();
    SortedMap<String, Integer> audio = new TreeMap<>();
    for (Source source : hub.sources()) {
      if (source.isPublishing()) {
        streams++;
        VideoInfo v = source.video();
        AudioInfo a = source.audio();
        if (v != null) {
          video.merge(v.codec(), 1, Integer::sum);
        }
        if (a != null) {
          audio.merge(a.codec(), 1, Integer::sum);
        }
      }
    }
    return new ExporterSnapshot(node.version(), node.cpuPercent(), node.memoryKbyte() * 1024, clients.sendBytes(),
        clients.recvBytes(), streams, clients.all().size(), clients.total(), clients.errors(), video, audio);
  }

  public String render(ExporterSnapshot s) {
    StringBuilder out = new StringBuilder(registry == null ? 1024 : 16384);

    family(out, "srs_build_info", "gauge", "Constant 1, labeled with the version of the running server.");
    out.append("srs_build_info{pid=\"").append(pid)
        .append("\",major=\"").append(escape(major(s.version())))
        .append("\",version=\"").append(escape(s.version() == null ? "" : s.version())).append('"');
    if (!label.isEmpty()) {
      out.append(",label=\"").append(escape(label)).append('"');
    }
    if (!tag.isEmpty()) {
      out.append(",tag=\"").append(escape(tag)).append('"');
    }
    out.append("} 1\n");

    metric(out, "srs_cpu_percent", "gauge", "CPU used by the server process, in percent of one core.",
        format(s.cpuPercent()));
    // SRS reports resident pages * 4, that is KiB, whatever its HELP text once said.
    metric(out, "srs_memory", "gauge", "Resident memory of the server process, in KiB.",
        Long.toString(s.memoryBytes() / 1024));
    metric(out, "srs_send_bytes_total", "counter", "Bytes sent to clients.", Long.toString(s.sendBytesTotal()));
    metric(out, "srs_receive_bytes_total", "counter", "Bytes received from clients.",
        Long.toString(s.receiveBytesTotal()));
    metric(out, "srs_streams", "gauge", "Streams live now.", Integer.toString(s.streams()));
    if (!s.videoCodecs().isEmpty() || !s.audioCodecs().isEmpty()) {
      // Not an SRS metric: rendered only once a codec is known, so an idle node's SRS metrics stay exactly SRS's.
      family(out, "srs_streams_codec", "gauge",
          "Streams live now, by the codec of their video and of their audio (a stream counts once for each).");
      codecs(out, "video", s.videoCodecs());
      codecs(out, "audio", s.audioCodecs());
    }
    metric(out, "srs_clients", "gauge", "Clients connected now.", Integer.toString(s.clients()));
    metric(out, "srs_clients_total", "counter", "Clients accepted.", Long.toString(s.clientsTotal()));
    metric(out, "srs_clients_errs_total", "counter", "Clients that ended with an error.",
        Long.toString(s.clientsErrorsTotal()));

    if (registry != null) {
      out.append(registry.scrape());
    }
    return out.toString();
  }

  private static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A family with one unlabeled sample. */
  private static void metric(StringBuilder out, String name, String type, String help, String value) {
    family(out, name, type, help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void codecs(StringBuilder out, String type, Map<String, Integer> counts) {
    counts.forEach((codec, streams) -> out.append("srs_streams_codec{type=\"").append(type).append("\",codec=\"")
        .append(escape(codec)).append("\"} ").append(streams).append('\n'));
  }

  /** The first number of a dotted version, as SRS's {@code major} label. */
  static String major(String version) {
    if (version == null) {
      return "";
    }
    int dot = version.indexOf('.');
    return dot < 0 ? version : version.substring(0, dot);
  }

  /** A label value in text format 0.0.4: backslash, double quote and line feed are escaped. */
  static String escape(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String replacement = switch (c) {
        case '\\' -> "\\\\";
        case '"' -> "\\\"";
        case '\n' -> "\\n";
        default -> null;
      };
      if (replacement != null && out == null) {
        out = new StringBuilder(value.length() + 8).append(value, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? value : out.toString();
  }

  /** A sample value in text format 0.0.4: whole numbers without a fraction, as SRS prints them. */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
