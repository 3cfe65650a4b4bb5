package io.estuary.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The final summary of a bench run: who played, failed and stalled (over the whole run), then what was received —
 * totals, per-player kbps spread, publish-to-play latency — twice: over the whole run ({@code total}) and over the
 * measurement window after the warm-up ({@code window}); with {@code --server-pid}, the server's CPU for both; and
 * each player's and publisher's own figures.
 */
public record BenchResult(String url, int playersRequested, int publishersRequested, double warmup, int connected,
                          int failed, int stalled, Figures total, Figures window, ServerCpuResult serverCpu,
                          Map<String, Integer> failures, List<PlayerResult> players,
                          List<PublisherResult> publishers) {

  /**
   * What the players received over a span: {@code seconds} long, bytes and frames, per-player kbps (players that
   * played at least 0.5 s of it), the aggregate rate and the latency samples taken in it.
   */
  public record Figures(double seconds, long bytes, long mediaBytes, long videoFrames, long audioFrames,
                        double kbpsMin, double kbpsMedian, double kbpsMean, double aggregateMbps, Latency latency) {

    public double gigabytes() {
      return bytes / 1e9;
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("seconds", round(seconds))
          .put("bytes", bytes)
          .put("gb", Math.round(gigabytes() * 1e6) / 1e6)
          .put("media_bytes", mediaBytes)
          .put("frames", new JsonObject().put("video", videoFrames).put("audio", audioFrames))
          .put("kbps", new JsonObject().put("min", round(kbpsMin)).put("median", round(kbpsMedian))
              .put("mean", round(kbpsMean)))
          .put("aggregate_mbps", round(aggregateMbps))
          .put("latency_ms", latency.toJson());
    }

    void describe(StringBuilder s, String indent) {
      s.append(String.format("%sreceived  %d bytes = %.3f GB (%.2f Mbps aggregate), %d video + %d audio frames%n",
          indent, bytes, gigabytes(), aggregateMbps, videoFrames, audioFrames));
      s.append(String.format("%sper player kbps  min %.0f  median %.0f  mean %.0f%n", indent, kbpsMin, kbpsMedian,
          kbpsMean));
      if (latency.samples() > 0) {
        s.append(String.format("%slatency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%d samples)%n", indent,
            latency.p50(), latency.p90(), latency.p99(), latency.max(), latency.samples()));
      } else {
        s.append(indent).append("latency  no samples (needs this bench's publishers and H.264/H.265 video)\n");
      }
    }
  }

  /** Publish-to-play latency percentiles in milliseconds; all 0 without samples. */
  public record Latency(long samples, double p50, double p90, double p99, double max) {

    static Latency of(LatencyHistogram h) {
      return new Latency(h.count(), h.percentileMicros(50) / 1000.0, h.percentileMicros(90) / 1000.0,
          h.percentileMicros(99) / 1000.0, h.maxMicros() / 1000.0);
    }

    JsonObject toJson() {
      return new JsonObject().put("samples", samples).put("p50", round(p50)).put("p90", round(p90))
          .put("p99", round(p99)).put("max", round(max));
    }
  }

  /**
   * The server's CPU seconds ({@code --server-pid}): from the bench's start ({@code total}) and from the window's
   * start ({@code window}) to the end; null when a process could not be read at one of those moments ({@code errors}
   * says which and when).
   */
  public record ServerCpuResult(List<Long> pids, long ticksPerSecond, Double total, Double window,
                                List<String> errors) {

    JsonObject toJson(Figures totalFigures, Figures windowFigures) {
      return new JsonObject().put("pids", new JsonArray(List.copyOf(pids))).put("ticks_per_second", ticksPerSecond)
          .put("total", span(total, totalFigures)).put("window", span(window, windowFigures))
          .put("errors", new JsonArray(List.copyOf(errors)));
    }

    private static JsonObject span(Double cpu, Figures figures) {
      Double perGb = perGigabyte(cpu, figures);
      return new JsonObject().put("cpu_seconds", cpu == null ? null : round(cpu))
          .put("cpu_seconds_per_gb", perGb == null ? null : round(perGb));
    }

    /** CPU seconds per GB delivered, or null when either is missing. */
    static Double perGigabyte(Double cpu, Figures figures) {
      return cpu == null || figures.bytes() == 0 ? null : cpu / figures.gigabytes();
    }
  }

  /**
   * One player: what it received while it played ({@code playSeconds}, from its play request to its end) and in the
   * window ({@code windowSeconds}, from the later of the window's start and its play request, to its end).
   */
  public record PlayerResult(int index, String url, String state, String failure, boolean stalled, long bytes,
                             long mediaBytes, long videoFrames, long audioFrames, double playSeconds, double kbps,
                             long windowBytes, double windowSeconds, double windowKbps) {
    JsonObject toJson() {
      return new JsonObject().put("index", index).put("url", url).put("state", state).put("failure", failure)
          .put("stalled", stalled).put("bytes", bytes).put("media_bytes", mediaBytes)
          .put("video_frames", videoFrames).put("audio_frames", audioFrames)
          .put("play_seconds", round(playSeconds)).put("kbps", round(kbps))
          .put("window_bytes", windowBytes).put("window_seconds", round(windowSeconds))
          .put("window_kbps", round(windowKbps));
    }
  }

  /** One publisher: the frames and bytes it sent. */
  public record PublisherResult(int index, String url, String state, String failure, long videoFrames, long bytes) {
    JsonObject toJson() {
      return new JsonObject().put("index", index).put("url", url).put("state", state).put("failure", failure)
          .put("video_frames", videoFrames).put("bytes", bytes);
    }
  }

  /** True when every publisher published and, if players were asked for, at least one played. */
  public boolean ok() {
    boolean publishersOk = publishers.stream().allMatch(p -> !p.state().equals("FAILED"));
    return publishersOk && (playersRequested == 0 || connected > 0);
  }

  /**
   * The summary as JSON (snake_case, as SRS's API); per-player entries only when asked for. The top-level figures
   * (bytes, frames, kbps, latency_ms, ...) are the whole run's, as before {@code --warmup} existed; {@code window}
   * holds the same fields for the measurement window.
   */
  public JsonObject toJson(boolean withPlayers) {
    JsonObject json = new JsonObject()
        .put("url", url)
        .put("players", playersRequested)
        .put("publishers", publishersRequested)
        .put("warmup_seconds", round(warmup))
        .put("connected", connected)
        .put("failed", failed)
        .put("stalled", stalled)
        .mergeIn(total.toJson())
        .put("window", window.toJson());
    if (serverCpu != null) {
      json.put("server_cpu", serverCpu.toJson(total, window));
    }
    json.put("failures", new JsonObject(new java.util.LinkedHashMap<String, Object>(failures)));
    JsonArray pubs = new JsonArray();
    publishers.forEach(p -> pubs.add(p.toJson()));
    json.put("publisher_details", pubs);
    if (withPlayers) {
      JsonArray list = new JsonArray();
      players.forEach(p -> list.add(p.toJson()));
      json.put("player_details", list);
    }
    return json;
  }

  /** Human-readable lines for the end of a run. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    s.append(String.format("summary: %s, %.1f s%n", url, total.seconds()));
    s.append(String.format("  players   %d requested, %d played, %d failed, %d stalled%n", playersRequested,
        connected, failed, stalled));
    if (warmup > 0) {
      s.append(String.format("  window (steady state: the last %.1f s, after %.1f s of warm-up)%n", window.seconds(),
          warmup));
      window.describe(s, "    ");
      s.append(String.format("  whole run (%.1f s, ramp-up and warm-up included)%n", total.seconds()));
      total.describe(s, "    ");
    } else {
      total.describe(s, "  ");
    }
    if (serverCpu != null) {
      s.append(String.format("  server CPU  window %s | whole run %s  (pids %s, %d ticks/s)%n",
          cpu(serverCpu.window(), window), cpu(serverCpu.total(), total),
          serverCpu.pids().stream().map(String::valueOf).collect(Collectors.joining(",")),
          serverCpu.ticksPerSecond()));
      serverCpu.errors().forEach(e -> s.append("  server CPU  ").append(e).append('\n'));
    }
    for (PublisherResult p : publishers) {
      s.append(String.format("  publisher %d %s: %s, %d video frames, %d bytes sent%s%n", p.index(), p.url(),
          p.state(), p.videoFrames(), p.bytes(), p.failure() == null ? "" : " (" + p.failure() + ")"));
    }
    failures.forEach((reason, n) -> s.append(String.format("  failure x%d: %s%n", n, reason)));
    return s.toString();
  }

  private static String cpu(Double seconds, Figures figures) {
    if (seconds == null) {
      return "n/a (see below)";
    }
    Double perGb = ServerCpuResult.perGigabyte(seconds, figures);
    return String.format("%.2f CPU-s, %s CPU-s/GB", seconds, perGb == null ? "n/a" : String.format("%.2f", perGb));
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
