package io.estuary.admin;

import io.estuary.media.AudioInfo;
import io.estuary.media.VideoInfo;
import io.estuary.stream.Kbps;
import io.vertx.core.json.JsonObject;

/** What the API says of a stream's codecs and rates, in SRS's field names (its parse_sps output). */
final class StreamInfo {

  private StreamInfo() {
  }

  /** The video codec, profile, level, width and height, each when known; null when the codec is unknown. */
  static JsonObject video(VideoInfo video) {
    if (video == null) {
      return null;
    }
    JsonObject json = new JsonObject().put("codec", video.codec());
    putIfKnown(json, "profile", video.profile());
    putIfKnown(json, "level", video.level());
    if (video.width() > 0 && video.height() > 0) {
      json.put("width", video.width()).put("height", video.height());
    }
    return json;
  }

  /** The audio codec, sample rate, channels and profile, each when known; null when the codec is unknown. */
  static JsonObject audio(AudioInfo audio) {
    if (audio == null) {
      return null;
    }
    JsonObject json = new JsonObject().put("codec", audio.codec());
    if (audio.sampleRate() > 0) {
      json.put("sample_rate", audio.sampleRate());
    }
    if (audio.channels() > 0) {
      json.put("channel", audio.channels());
    }
    putIfKnown(json, "profile", audio.profile());
    return json;
  }

  private static void putIfKnown(JsonObject json, String name, String value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  static JsonObject kbps(Kbps kbps) {
    return new JsonObject().put("recv_30s", kbps.recv()).put("send_30s", kbps.send());
  }
}
