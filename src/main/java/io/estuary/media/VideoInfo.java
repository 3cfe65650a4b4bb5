package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * What a stream's video sequence header says of its codec, parsed once (SRS's parse_sps): the codec as SRS names it
 * ("H264", "HEVC", "AV1", "VP9"), the profile, the level and the picture size. {@code profile} and {@code level} are
 * null and the size 0 when they are not known.
 *
 * <p>Where the sequence header has no size (VP9's VPCodecConfigurationRecord; an AV1 configuration record without
 * configOBUs, or the MPEG2TSSequenceStart descriptor), {@code awaitsKeyframe} is true and the stream's next keyframe
 * supplies it, once: {@link #withKeyframe}.
 *
 * @param awaitsKeyframe the size is to be read from the stream's next keyframe
 */
public record VideoInfo(String codec, String profile, String level, int width, int height, boolean awaitsKeyframe) {

  public static final String H264 = "H264";
  public static final String HEVC = "HEVC";
  public static final String AV1 = "AV1";
  public static final String VP9 = "VP9";
  public static final String VP8 = "VP8";

  /** AV1CodecConfigurationRecord: marker 1, version 1 (AV1 ISOBMFF binding 2.3.3). */
  private static final int AV1C_MARKER_VERSION = 0x81;
  private static final int AV1C_HEADER_LENGTH = 4;
  /** The AV1 video descriptor's tag in an MPEG2TSSequenceStart (AV1 in MPEG-2 TS, 2.2). */
  private static final int AV1_DESCRIPTOR_TAG = 0x80;
  /** A VPCodecConfigurationRecord is a FullBox body: version UI8, flags UI24, then profile UI8, level UI8, ... */
  private static final int VPCC_PROFILE_OFFSET = 4;

  /** The codec name as SRS writes it for a video {@link FourCc}, or null when it is none of those. */
  public static String codecName(int fourCc) {
    if (fourCc == FourCc.AVC1) {
      return H264;
    } else if (fourCc == FourCc.HVC1) {
      return HEVC;
    } else if (fourCc == FourCc.AV01) {
      return AV1;
    } else if (fourCc == FourCc.VP09) {
      return VP9;
    } else if (fourCc == FourCc.VP08) {
      return VP8;
    }
    return null;
  }

  /** The codec alone, nothing else known (a sequence header that could not be read). */
  public static VideoInfo codecOnly(int fourCc) {
    String name = codecName(fourCc);
    return name == null ? null : new VideoInfo(name, null, null, 0, 0, false);
  }

  /**
   * From a video sequence header body (legacy AVC/HEVC or Enhanced RTMP SequenceStart / MPEG2TSSequenceStart); null
   * when the codec is not one named here.
   *
   * @throws MediaFormatException when the header or the decoder configuration cannot be read
   */
  public static VideoInfo parse(ByteBuf body) {
    VideoTagHeader header = VideoTagHeader.parse(body);
    if (!header.isSequenceHeader()) {
      throw new MediaFormatException("not a video sequence header: packet type " + header.packetType());
    }
    ByteBuf data = header.data(body);
    int codec = header.codec();
    if (codec == FourCc.AVC1) {
      AvcConfig avc = AvcConfig.parse(data);
      return new VideoInfo(H264, avc.profileName(), avc.levelName(), avc.width(), avc.height(), false);
    }
    if (codec == FourCc.HVC1) {
      HevcSps sps = HevcSps.parse(HevcConfig.parse(data).sps().get(0));
      return new VideoInfo(HEVC, sps.profileName(), sps.levelName(), sps.width(), sps.height(), false);
    }
    if (codec == FourCc.AV01) {
      return av1(data, header.packetType() == VideoTagHeader.PACKET_MPEG2TS_SEQUENCE_START);
    }
    if (codec == FourCc.VP09 || codec == FourCc.VP08) {
      if (data.readableBytes() < VPCC_PROFILE_OFFSET + 2) {
        throw new MediaFormatException("VP codec configuration truncated: " + data.readableBytes() + " bytes");
      }
      int profile = data.getUnsignedByte(data.readerIndex() + VPCC_PROFILE_OFFSET);
      int level = data.getUnsignedByte(data.readerIndex() + VPCC_PROFILE_OFFSET + 1);
      // VP9 levels are written as ten times the level (31 for 3.1), 0 when not given (VP9 codec ISOBMFF binding).
      return new VideoInfo(codecName(codec), "Profile" + profile, level == 0 ? null : AvcSps.levelName(level), 0, 0,
          codec == FourCc.VP09);
    }
    return null;
  }

  /** The AV1CodecConfigurationRecord (or the MPEG2TSSequenceStart's AV1 video descriptor, which starts alike). */
  private static VideoInfo av1(ByteBuf data, boolean descriptor) {
    int i = data.readerIndex();
    int end = data.writerIndex();
    if (descriptor) {
      if (end - i < 2 || data.getUnsignedByte(i) != AV1_DESCRIPTOR_TAG) {
        throw new MediaFormatException("AV1 video descriptor: no descriptor tag 0x80");
      }
      i += 2; // descriptor_tag, descriptor_length
    }
    if (end - i < AV1C_HEADER_LENGTH) {
      throw new MediaFormatException("AV1 codec configuration truncated: " + (end - i) + " bytes");
    }
    int markerVersion = data.getUnsignedByte(i);
    if (markerVersion != AV1C_MARKER_VERSION) {
      throw new MediaFormatException("AV1 codec configuration: marker and version 0x"
          + Integer.toHexString(markerVersion) + ", expected 0x81");
    }
    int profile = data.getUnsignedByte(i + 1) >> 5;
    int level = data.getUnsignedByte(i + 1) & 0x1f;
    Av1SequenceHeader sequence = descriptor ? null
        : Av1SequenceHeader.find(data.slice(i + AV1C_HEADER_LENGTH, end - i - AV1C_HEADER_LENGTH));
    if (sequence == null) {
      return new VideoInfo(AV1, Av1SequenceHeader.profileName(profile), Av1SequenceHeader.levelName(level), 0, 0,
          true);
    }
    return new VideoInfo(AV1, sequence.profileName(), sequence.levelName(), sequence.width(), sequence.height(),
        false);
  }

  /**
   * With the size read from a keyframe body when {@link #awaitsKeyframe()}: VP9's uncompressed header, or an AV1
   * temporal unit's sequence header OBU. Called once per stream, on its first keyframe after the sequence header.
   *
   * @throws MediaFormatException when the keyframe does not say; {@link #sizeUnknown()} then stops waiting
   */
  public VideoInfo withKeyframe(ByteBuf body) {
    if (!awaitsKeyframe) {
      return this;
    }
    VideoTagHeader header = VideoTagHeader.parse(body);
    ByteBuf data = header.data(body);
    if (VP9.equals(codec)) {
      Vp9FrameHeader frame = Vp9FrameHeader.parse(data);
      return new VideoInfo(codec, profile, level, frame.width(), frame.height(), false);
    }
    if (AV1.equals(codec)) {
      Av1SequenceHeader sequence = Av1SequenceHeader.find(data);
      if (sequence == null) {
        throw new MediaFormatException("AV1 keyframe without a sequence header OBU");
      }
      return new VideoInfo(codec, sequence.profileName(), sequence.levelName(), sequence.width(), sequence.height(),
          false);
    }
    return sizeUnknown();
  }

  /** This, no longer waiting for a keyframe: the size stays unknown. */
  public VideoInfo sizeUnknown() {
    return new VideoInfo(codec, profile, level, width, height, false);
  }
}
