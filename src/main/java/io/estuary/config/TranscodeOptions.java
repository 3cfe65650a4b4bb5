package io.estuary.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code transcode [SCOPE] { }} of a vhost: for each publish in its scope (the whole vhost when {@code scope} is
 * empty, else an app, or an {@code app/stream}), one ffmpeg per enabled engine reads the stream back from this node
 * and publishes what the engine makes of it.
 */
public record TranscodeOptions(String scope, boolean enabled, String ffmpeg, List<FfmpegEngine> engines) {

  public TranscodeOptions {
    engines = List.copyOf(engines);
  }

  /** Whether a publish of {@code app}/{@code stream} is in this block's scope (SRS: vhost, then app, then app/stream). */
  public boolean covers(String app, String stream) {
    return scope.isEmpty() || scope.equals(app) || scope.equals(app + "/" + stream);
  }

  /** The engines that run: all of them when the block is on and names its ffmpeg, else none (SRS ignores it). */
  public List<FfmpegEngine> activeEngines() {
    if (!enabled || ffmpeg.isEmpty()) {
      return List.of();
    }
    return engines.stream().filter(FfmpegEngine::enabled).toList();
  }

  /** Every {@code transcode} block of a vhost. */
  public static List<TranscodeOptions> listFromJson(Object transcode) {
    List<TranscodeOptions> list = new ArrayList<>();
    for (JsonObject block : IngestOptions.blocks(transcode, "transcode")) {
      list.add(fromJson(block));
    }
    return List.copyOf(list);
  }

  public static TranscodeOptions fromJson(JsonObject transcode) {
    String scope = FfmpegEngine.firstArg(transcode);
    try {
      List<FfmpegEngine> engines = new ArrayList<>();
      for (JsonObject engine : IngestOptions.blocks(transcode.getValue("engine"), "engine")) {
        engines.add(FfmpegEngine.fromJson(engine));
      }
      return new TranscodeOptions(scope, FfmpegEngine.bool(transcode.getValue("enabled"), false),
          FfmpegEngine.text(transcode.getValue("ffmpeg"), ""), engines);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("transcode" + (scope.isEmpty() ? "" : " " + scope) + ": " + e.getMessage(), e);
    }
  }
}
