package io.estuary.stream;

import io.estuary.media.AacConfig;
import io.estuary.media.AvcConfig;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonObject;

/**
 * What the API says of a stream's codecs, parsed once from its sequence headers (SRS's parse_sps): video codec,
 * profile, level, width, height; audio codec, sample rate, channels, profile.
 */
final class StreamInfo {

  private StreamInfo() {
  }

  /** From a video sequence header; null when it cannot be parsed. */
  static JsonObject video(StreamMessage message) {
    int codec = message.codec();
    if (codec == FourCc.HVC1) {
      return new JsonObject().put("codec", "H265");
    }
    if (codec == FourCc.AV01) {
      return new JsonObject().put("codec", "AV1");
    }
    ByteBuf body = message.payload();
    // The AVC record follows the legacy 5-byte header (an enhanced avc1 SequenceStart is not parsed here yet).
    if (codec != FourCc.AVC1 || FlvTags.isVideoExHeader(body) || body.readableBytes() <= FlvTags.AVC_HEADER_LENGTH) {
      return null;
    }
    try {
      AvcConfig avc = AvcConfig.parse(body.slice(body.readerIndex() + FlvTags.AVC_HEADER_LENGTH,
          body.readableBytes() - FlvTags.AVC_HEADER_LENGTH));
      return new JsonObject().put("codec", "H264").put("profile", avc.profileName()).put("level", avc.levelName())
          .put("width", avc.width()).put("height", avc.height());
    } catch (IllegalArgumentException e) {
      return new JsonObject().put("codec", "H264");
    }
  }

  /** From an audio sequence header; null when it is not legacy AAC. */
  static JsonObject audio(StreamMessage message) {
    ByteBuf body = message.payload();
    if (FlvTags.audioFormat(body) != FlvTags.AUDIO_FORMAT_AAC || body.readableBytes() <= FlvTags.AAC_HEADER_LENGTH) {
      return null;
    }
    try {
      AacConfig aac = AacConfig.parse(body.slice(body.readerIndex() + FlvTags.AAC_HEADER_LENGTH,
          body.readableBytes() - FlvTags.AAC_HEADER_LENGTH));
      return new JsonObject().put("codec", "AAC").put("sample_rate", aac.sampleRate()).put("channel", aac.channels())
          .put("profile", aac.profileName());
    } catch (IllegalArgumentException e) {
      return new JsonObject().put("codec", "AAC");
    }
  }
}
