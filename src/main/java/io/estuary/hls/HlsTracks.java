package io.estuary.hls;

import io.vertx.core.json.JsonObject;

/**
 * What the HLS of one publish carries: video and audio as they are seen, and the codec of a track MPEG-TS cannot
 * carry (AV1, VP9, Opus, ...), which HLS skips while the other track goes on. Immutable: the segmenter replaces it on
 * its loop when it changes (a few times per publish), the API reads it from any thread.
 *
 * @param skippedVideo the video codec skipped, or null
 * @param skippedAudio the audio codec skipped, or null
 */
public record HlsTracks(boolean video, boolean audio, String skippedVideo, String skippedAudio) {

  static final HlsTracks NONE = new HlsTracks(false, false, null, null);

  HlsTracks withVideo() {
    return new HlsTracks(true, audio, skippedVideo, skippedAudio);
  }

  HlsTracks withAudio() {
    return new HlsTracks(video, true, skippedVideo, skippedAudio);
  }

  HlsTracks skipping(boolean isVideo, String codec) {
    return isVideo ? new HlsTracks(video, audio, codec, skippedAudio) : new HlsTracks(video, audio, skippedVideo, codec);
  }

  /**
   * For the API: {@code {"video":true,"audio":true}}, and {@code "skipped":{"video":"av01"}} when a track is left
   * out of HLS.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("video", video).put("audio", audio);
    if (skippedVideo != null || skippedAudio != null) {
      JsonObject skipped = new JsonObject();
      if (skippedVideo != null) {
        skipped.put("video", skippedVideo);
      }
      if (skippedAudio != null) {
        skipped.put("audio", skippedAudio);
      }
      json.put("skipped", skipped);
    }
    return json;
  }
}
