package io.estuary.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The final summary of a bench run: totals, per-player kbps spread, publish-to-play latency, and each player's
 * and publisher's own figures.
 */
public record BenchResult(String url, int playersRequested, int publishersRequested, double seconds, int connected,
                          int failed, int stalled, long bytes, long mediaBytes, long videoFrames, long audioFrames,
                          double kbpsMin, double kbpsMedian, double kbpsMean, double aggregateMbps,
                          long latencySamples, double latencyP50, double latencyP90, double latencyP99,
                          double latencyMax, Map<String, Integer> failures, List<PlayerResult> players,
                          List<PublisherResult> publishers) {

  /** One player: what it received while it played ({@code playSeconds}, from its play request to its end). */
  public record PlayerResult(int index, String url, String state, String failure, boolean stalled, long bytes,
                             long mediaBytes, long videoFrames, long audioFrames, double playSeconds, double kbps) {
    JsonObject toJson() {
      return new JsonObject().put("index", index).put("url", url).put("state", state).put("failure", failure)
          .put("stalled", stalled).put("bytes", bytes).put("media_bytes", mediaBytes)
          .put("video_frames", videoFrames).put("audio_frames", audioFrames)
          .put("play_seconds", round(playSeconds)).put("kbps", round(kbps));
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

  /** The summary as JSON (snake_case, as SRS's API); per-player entries only when asked for. */
  public JsonObject toJson(boolean withPlayers) {
    JsonObject json = new JsonObject()
        .put("url", url)
        .put("players", playersRequested)
        .put("publishers", publishersRequested)
        .put("seconds", round(seconds))
        .put("connected", connected)
        .put("failed", failed)
        .put("stalled", stalled)
        .put("bytes", bytes)
        .put("media_bytes", mediaBytes)
        .put("frames", new JsonObject().put("video", videoFrames).put("audio", audioFrames))
        .put("kbps", new JsonObject().put("min", round(kbpsMin)).put("median", round(kbpsMedian))
            .put("mean", round(kbpsMean)))
        .put("aggregate_mbps", round(aggregateMbps))
        .put("latency_ms", new JsonObject().put("samples", latencySamples).put("p50", round(latencyP50))
            .put("p90", round(latencyP90)).put("p99", round(latencyP99)).put("max", round(latencyMax)))
        .put("failures", new JsonObject(new java.util.LinkedHashMap<String, Object>(failures)));
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
    s.append(String.format("summary: %s, %.1f s%n", url, seconds));
    s.append(String.format("  players   %d requested, %d played, %d failed, %d stalled%n", playersRequested,
        connected, failed, stalled));
    s.append(String.format("  received  %d bytes (%.2f Mbps aggregate), %d video + %d audio frames%n", bytes,
        aggregateMbps, videoFrames, audioFrames));
    s.append(String.format("  per player kbps  min %.0f  median %.0f  mean %.0f%n", kbpsMin, kbpsMedian, kbpsMean));
    if (latencySamples > 0) {
      s.append(String.format("  latency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (%d samples)%n", latencyP50,
          latencyP90, latencyP99, latencyMax, latencySamples));
    } else {
      s.append("  latency  no samples (needs this bench's publishers and H.264/H.265 video)\n");
    }
    for (PublisherResult p : publishers) {
      s.append(String.format("  publisher %d %s: %s, %d video frames, %d bytes sent%s%n", p.index(), p.url(),
          p.state(), p.videoFrames(), p.bytes(), p.failure() == null ? "" : " (" + p.failure() + ")"));
    }
    failures.forEach((reason, n) -> s.append(String.format("  failure x%d: %s%n", n, reason)));
    return s.toString();
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
