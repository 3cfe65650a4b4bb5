package io.estuary.admin;

import io.estuary.media.AudioInfo;
import io.estuary.media.VideoInfo;
import io.estuary.stream.Kbps;
import io.vertx.core.json.JsonObject;

/** What the API says of a stream's codecs and rates, in SRS's field names (its parse_sps output). */
final class StreamInfo {

  private StreamInfo() {
  }

  /** The video codec, profile, level, width and height; null when unknown. */
  static JsonObject video(VideoInfo video) {
    if (video == null) {
      return null;
    }
    JsonObject json = new JsonObject().put("codec", video.codec());
    if (video.detailed()) {
      json.put("profile", video.profile()).put("level", video.level()).put("width", video.width())
          .put("height", video.height());
    }
    return json;
  }

  /** The audio codec, sample rate, channels and profile; null when unknown. */
  static JsonObject audio(AudioInfo audio) {
    if (audio == null) {
      return null;
    }
    JsonObject json = new JsonObject().put("codec", audio.codec());
    if (audio.detailed()) {
      json.put("sample_rate", audio.sampleRate()).put("channel", audio.channels()).put("profile", audio.profile());
    }
    return json;
  }

  static JsonObject kbps(Kbps kbps) {
    return new JsonObject().put("recv_30s", kbps.recv()).put("send_30s", kbps.send());
  }
}
