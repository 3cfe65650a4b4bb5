package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * What a stream's video sequence header says of its codec, parsed once (SRS's parse_sps): the codec ("H264",
 * "H265"), and for AVC the profile, level and picture size. {@code profile} and {@code level} are null and the size 0
 * when they could not be read.
 */
public record VideoInfo(String codec, String profile, String level, int width, int height) {

  /** From an FLV video sequence header body; null when it is neither AVC nor HEVC. */
  public static VideoInfo parse(ByteBuf body) {
    int codec = FlvTags.videoCodecId(body);
    if (codec == FlvTags.VIDEO_CODEC_HEVC) {
      return new VideoInfo("H265", null, null, 0, 0);
    }
    if (codec != FlvTags.VIDEO_CODEC_AVC || body.readableBytes() <= FlvTags.AVC_HEADER_LENGTH) {
      return null;
    }
    try {
      AvcConfig avc = AvcConfig.parse(body.slice(body.readerIndex() + FlvTags.AVC_HEADER_LENGTH,
          body.readableBytes() - FlvTags.AVC_HEADER_LENGTH));
      return new VideoInfo("H264", avc.profileName(), avc.levelName(), avc.width(), avc.height());
    } catch (IllegalArgumentException e) {
      return new VideoInfo("H264", null, null, 0, 0);
    }
  }

  /** Whether the profile, level and size were read. */
  public boolean detailed() {
    return profile != null;
  }
}
