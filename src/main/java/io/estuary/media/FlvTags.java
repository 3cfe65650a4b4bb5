package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * Reads the first bytes of FLV audio and video tag bodies (the RTMP audio/video message payloads) to classify them:
 * keyframes, sequence headers, codecs. Covers legacy FLV (FLV spec v10.1, E.4.2 and E.4.3) and enhanced RTMP
 * (the ExHeader bit in the first byte, with a FourCC).
 */
public final class FlvTags {

  public static final int TAG_AUDIO = 8;
  public static final int TAG_VIDEO = 9;
  public static final int TAG_SCRIPT = 18;

  public static final int VIDEO_CODEC_AVC = 7;
  public static final int VIDEO_CODEC_HEVC = 12; // the de-facto id used before enhanced RTMP (SRS, ffmpeg forks)
  public static final int AUDIO_FORMAT_MP3 = 2;
  public static final int AUDIO_FORMAT_AAC = 10;
  public static final int AUDIO_FORMAT_EX_HEADER = 9; // enhanced RTMP audio

  /** AVCPacketType (FLV spec E.4.3.1): sequence header, NALUs, end of sequence. */
  public static final int AVC_SEQUENCE_HEADER = 0;
  public static final int AVC_NALU = 1;
  public static final int AVC_END_OF_SEQUENCE = 2;
  /** AACPacketType (FLV spec E.4.2.1). */
  public static final int AAC_SEQUENCE_HEADER = 0;
  public static final int AAC_RAW = 1;
  /** Bytes before the payload of a legacy AVC/HEVC video tag: codec byte, AVCPacketType, CompositionTime. */
  public static final int AVC_HEADER_LENGTH = 5;
  /** Bytes before the payload of an AAC audio tag: sound byte, AACPacketType. */
  public static final int AAC_HEADER_LENGTH = 2;

  private static final int VIDEO_EX_HEADER = 0x80;

  private FlvTags() {
  }

  /**
   * A video tag body whose frame type is keyframe (1) on coded frames or a sequence header, legacy or Enhanced RTMP
   * ({@link VideoTagHeader#isKeyframe}).
   */
  public static boolean isKeyframe(ByteBuf video) {
    return VideoTagHeader.classify(video).isKeyframe();
  }

  /**
   * A decoder configuration record: legacy AVC/HEVC AVCPacketType 0, or an Enhanced RTMP SequenceStart (or
   * MPEG2TSSequenceStart, the AV1 descriptor), behind any ModEx modifiers and a multitrack header.
   */
  public static boolean isVideoSequenceHeader(ByteBuf video) {
    return VideoTagHeader.classify(video).isSequenceHeader();
  }

  /** An AAC AudioSpecificConfig (AACPacketType 0), or an Enhanced RTMP audio SequenceStart. */
  public static boolean isAudioSequenceHeader(ByteBuf audio) {
    return AudioTagHeader.classify(audio).isSequenceHeader();
  }

  /** Whether a video tag body has the enhanced-RTMP ExHeader (the high bit of its first byte). */
  public static boolean isVideoExHeader(ByteBuf video) {
    return video.isReadable() && (video.getUnsignedByte(video.readerIndex()) & VIDEO_EX_HEADER) != 0;
  }

  /**
   * The codec of a video tag body as a {@link FourCc}: the FourCC of an ExHeader (after ModEx and multitrack headers),
   * else the legacy CodecID mapped (7 avc1, 12 hvc1); {@link FourCc#NONE} when unknown or unreadable.
   */
  public static int videoFourCc(ByteBuf video) {
    return VideoTagHeader.classify(video).codec();
  }

  /**
   * The codec of an audio tag body as a {@link FourCc}: the FourCC of an Enhanced RTMP audio ExHeader (SoundFormat
   * 9), else the legacy SoundFormat mapped (10 mp4a, 2 .mp3); {@link FourCc#NONE} when unknown or unreadable.
   */
  public static int audioFourCc(ByteBuf audio) {
    return AudioTagHeader.classify(audio).codec();
  }

  /** The codec of an audio (8) or video (9) tag body as a {@link FourCc}; {@link FourCc#NONE} for others. */
  public static int fourCc(int tagType, ByteBuf body) {
    return tagType == TAG_VIDEO ? videoFourCc(body) : tagType == TAG_AUDIO ? audioFourCc(body) : FourCc.NONE;
  }

  /** The legacy video codec id (low nibble), or -1 for an enhanced-RTMP tag or an empty body. */
  public static int videoCodecId(ByteBuf video) {
    if (!video.isReadable()) {
      return -1;
    }
    int b = video.getUnsignedByte(video.readerIndex());
    return (b & VIDEO_EX_HEADER) != 0 ? -1 : b & 0x0f;
  }

  /** The audio sound format (high nibble), or -1 for an empty body. */
  public static int audioFormat(ByteBuf audio) {
    return audio.isReadable() ? audio.getUnsignedByte(audio.readerIndex()) >> 4 : -1;
  }

  /** The AVCPacketType of a legacy AVC/HEVC video tag (second byte), or -1 when the body is shorter. */
  public static int avcPacketType(ByteBuf video) {
    return video.readableBytes() >= 2 ? video.getUnsignedByte(video.readerIndex() + 1) : -1;
  }

  /**
   * The CompositionTime in ms: the signed 24-bit PTS - DTS of legacy AVC/HEVC NALUs (FLV spec E.4.3.1) and of
   * Enhanced RTMP CodedFrames of avc1/hvc1; 0 for CodedFramesX, other codecs and unreadable bodies.
   */
  public static int compositionTime(ByteBuf video) {
    return VideoTagHeader.classify(video).compositionTime();
  }
}
