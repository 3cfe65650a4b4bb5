package io.estuary.admin;

import io.estuary.media.AudioInfo;
import io.estuary.media.VideoInfo;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.estuary.stream.Kbps;
import io.estuary.stream.Source;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

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

  /**
   * The stream's tracks when it has more than one of a kind (Enhanced RTMP multitrack): type, track id and codec as
   * SRS names codecs; null for a stream with at most one audio and one video track.
   */
  static JsonArray tracks(List<Source.Track> tracks) {
    long audio = tracks.stream().filter(t -> t.type() == FlvTags.TAG_AUDIO).count();
    if (audio <= 1 && tracks.size() - audio <= 1) {
      return null;
    }
    JsonArray json = new JsonArray();
    for (Source.Track track : tracks) {
      boolean isAudio = track.type() == FlvTags.TAG_AUDIO;
      Object known = isAudio ? AudioInfo.codecOnly(track.codec()) : VideoInfo.codecOnly(track.codec());
      String codec = known instanceof AudioInfo a ? a.codec() : known instanceof VideoInfo v ? v.codec()
          : FourCc.toString(track.codec()); // a codec without an SRS name: its FourCC
      json.add(new JsonObject().put("type", isAudio ? "audio" : "video").put("track", track.id()).put("codec", codec));
    }
    return json;
  }

  static JsonObject kbps(Kbps kbps) {
    return new JsonObject().put("recv_30s", kbps.recv()).put("send_30s", kbps.send());
  }
}
