package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * What a stream's video sequence header says of its codec, parsed once (SRS's parse_sps): the codec ("H264",
 * "H265", "AV1"), and for AVC the profile, level and picture size. {@code profile} and {@code level} are null and the size 0
 * when they could not be read.
 */
public record VideoInfo(String codec, String profile, String level, int width, int height) {

  /**
   * From a video sequence header body and its codec ({@link FourCc}, as {@link FlvTags#videoFourCc} classified it
   * once on receipt, legacy FLV or Enhanced RTMP); null when the codec is none of AVC, HEVC and AV1.
   */
  public static VideoInfo parse(int codec, ByteBuf body) {
    if (codec == FourCc.HVC1) {
      return new VideoInfo("H265", null, null, 0, 0);
    }
    if (codec == FourCc.AV01) {
      return new VideoInfo("AV1", null, null, 0, 0);
    }
    // The AVC record follows the legacy 5-byte header (an enhanced avc1 SequenceStart is not parsed here yet).
    if (codec != FourCc.AVC1 || FlvTags.isVideoExHeader(body) || body.readableBytes() <= FlvTags.AVC_HEADER_LENGTH) {
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
