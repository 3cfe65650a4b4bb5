package io.estuary.mpegts;

import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.estuary.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * The header of an FLV audio or video tag body as the TS muxer needs it, legacy FLV or Enhanced RTMP (v1 and v2,
 * veovera enhanced-rtmp): the codec, what the packet holds, the composition time and where the codec's bytes start.
 * Enhanced RTMP ModEx prefixes are skipped (their data, e.g. a nanosecond timestamp offset, does not reach TS).
 *
 * <p>Kept private to the muxer: {@code media.FlvTags} classifies messages for the data plane; this reads just far
 * enough to mux.
 *
 * @param codec the {@link FourCc} (legacy ids mapped: 7 avc1, 12 hvc1, SoundFormat 10 mp4a, 2 .mp3), or
 *     {@link FourCc#NONE} when the legacy id has no FourCC here
 * @param kind what the packet holds
 * @param legacyId the legacy CodecID or SoundFormat, or -1 for an enhanced tag
 * @param compositionTime PTS - DTS in ms (video frames only)
 * @param dataStart the index of the record or frame bytes in the body
 */
record TagHeader(int codec, Kind kind, int legacyId, int compositionTime, int dataStart) {

  enum Kind {
    /** A decoder configuration: AVC/HEVC record, AAC AudioSpecificConfig. */
    SEQUENCE_HEADER,
    /** Coded frames: NAL units, a raw AAC frame, an MP3 frame. */
    FRAMES,
    /** Nothing to mux: end of sequence, metadata, a video command, an MP3 tag too short to hold a frame. */
    NOTHING,
    /** Enhanced RTMP multitrack: tracks are a later issue's; TS gets none of it. */
    MULTITRACK
  }

  private static final int VIDEO_EX_HEADER = 0x80;
  /** Enhanced RTMP video PacketType (low nibble of the first byte, or of the byte after a ModEx). */
  private static final int VIDEO_SEQUENCE_START = 0;
  private static final int VIDEO_CODED_FRAMES = 1;
  private static final int VIDEO_CODED_FRAMES_X = 3;
  private static final int VIDEO_METADATA = 4;
  private static final int VIDEO_MULTITRACK = 6;
  /** Enhanced RTMP audio PacketType. */
  private static final int AUDIO_SEQUENCE_START = 0;
  private static final int AUDIO_CODED_FRAMES = 1;
  private static final int AUDIO_MULTITRACK = 5;
  /** PacketType ModEx, the same for audio and video: modifier data, then the real PacketType. */
  private static final int MOD_EX = 7;
  private static final int VIDEO_FRAME_COMMAND = 5;

  static TagHeader parse(boolean video, ByteBuf body) {
    return video ? video(body) : audio(body);
  }

  static TagHeader video(ByteBuf body) {
    int start = body.readerIndex();
    int end = body.writerIndex();
    if (start == end) {
      return new TagHeader(FourCc.NONE, Kind.NOTHING, -1, 0, end);
    }
    int b = body.getUnsignedByte(start);
    if ((b & VIDEO_EX_HEADER) == 0) {
      int id = b & 0x0f;
      int codec = FourCc.ofVideoCodecId(id);
      if (codec == FourCc.NONE) {
        return new TagHeader(codec, Kind.FRAMES, id, 0, start + 1);
      }
      if (end - start < FlvTags.AVC_HEADER_LENGTH) {
        throw new MediaFormatException(name(codec) + " video tag of " + (end - start) + " bytes, at least 5 needed");
      }
      int packetType = body.getUnsignedByte(start + 1);
      Kind kind = switch (packetType) {
        case FlvTags.AVC_SEQUENCE_HEADER -> Kind.SEQUENCE_HEADER;
        case FlvTags.AVC_NALU -> Kind.FRAMES;
        case FlvTags.AVC_END_OF_SEQUENCE -> Kind.NOTHING;
        default -> throw new MediaFormatException("unknown AVCPacketType " + packetType);
      };
      return new TagHeader(codec, kind, id, body.getMedium(start + 2), start + FlvTags.AVC_HEADER_LENGTH);
    }
    int frameType = b >> 4 & 0x07;
    int i = start + 1;
    int packetType = b & 0x0f;
    if (packetType == MOD_EX) {
      i = skipModEx(body, i, end);
      packetType = body.getUnsignedByte(i - 1) & 0x0f;
    }
    if (frameType == VIDEO_FRAME_COMMAND && packetType != VIDEO_METADATA) {
      return new TagHeader(FourCc.NONE, Kind.NOTHING, -1, 0, end); // a command (e.g. seek), no FourCC, no frame
    }
    if (packetType == VIDEO_MULTITRACK) {
      return new TagHeader(FourCc.NONE, Kind.MULTITRACK, -1, 0, end);
    }
    if (end - i < 4) {
      throw new MediaFormatException("enhanced RTMP video tag of " + (end - start) + " bytes ends before its FourCC");
    }
    int codec = body.getInt(i);
    i += 4;
    return switch (packetType) {
      case VIDEO_SEQUENCE_START -> new TagHeader(codec, Kind.SEQUENCE_HEADER, -1, 0, i);
      case VIDEO_CODED_FRAMES -> {
        // SI24 composition time for AVC and HEVC only; other codecs' frames start right after the FourCC.
        if (codec != FourCc.AVC1 && codec != FourCc.HVC1) {
          yield new TagHeader(codec, Kind.FRAMES, -1, 0, i);
        }
        if (end - i < 3) {
          throw new MediaFormatException(name(codec) + " coded frames of " + (end - start) + " bytes, no composition time");
        }
        yield new TagHeader(codec, Kind.FRAMES, -1, body.getMedium(i), i + 3);
      }
      case VIDEO_CODED_FRAMES_X -> new TagHeader(codec, Kind.FRAMES, -1, 0, i);
      default -> new TagHeader(codec, Kind.NOTHING, -1, 0, end); // SequenceEnd, Metadata, MPEG2TSSequenceStart
    };
  }

  static TagHeader audio(ByteBuf body) {
    int start = body.readerIndex();
    int end = body.writerIndex();
    if (start == end) {
      return new TagHeader(FourCc.NONE, Kind.NOTHING, -1, 0, end);
    }
    int b = body.getUnsignedByte(start);
    int format = b >> 4;
    if (format != FlvTags.AUDIO_FORMAT_EX_HEADER) {
      int codec = FourCc.ofSoundFormat(format);
      if (codec == FourCc.MP4A) {
        if (end - start < FlvTags.AAC_HEADER_LENGTH) {
          throw new MediaFormatException("AAC audio tag of " + (end - start) + " bytes, at least 2 needed");
        }
        int packetType = body.getUnsignedByte(start + 1);
        Kind kind = switch (packetType) {
          case FlvTags.AAC_SEQUENCE_HEADER -> Kind.SEQUENCE_HEADER;
          case FlvTags.AAC_RAW -> Kind.FRAMES;
          default -> throw new MediaFormatException("unknown AACPacketType " + packetType);
        };
        return new TagHeader(codec, kind, format, 0, start + FlvTags.AAC_HEADER_LENGTH);
      }
      return new TagHeader(codec, Kind.FRAMES, format, 0, start + 1);
    }
    int i = start + 1;
    int packetType = b & 0x0f;
    if (packetType == MOD_EX) {
      i = skipModEx(body, i, end);
      packetType = body.getUnsignedByte(i - 1) & 0x0f;
    }
    if (packetType == AUDIO_MULTITRACK) {
      return new TagHeader(FourCc.NONE, Kind.MULTITRACK, -1, 0, end);
    }
    if (end - i < 4) {
      throw new MediaFormatException("enhanced RTMP audio tag of " + (end - start) + " bytes ends before its FourCC");
    }
    int codec = body.getInt(i);
    i += 4;
    Kind kind = switch (packetType) {
      case AUDIO_SEQUENCE_START -> Kind.SEQUENCE_HEADER;
      case AUDIO_CODED_FRAMES -> Kind.FRAMES;
      default -> Kind.NOTHING; // SequenceEnd, MultichannelConfig
    };
    return new TagHeader(codec, kind, -1, 0, kind == Kind.NOTHING ? end : i);
  }

  /**
   * Skips ModEx blocks from {@code i} (just after the first byte): each is a size (UI8 + 1, or UI16 + 1 when that
   * is 256), the data, then a byte of ModExType and PacketType, repeated while the PacketType is ModEx again. Returns
   * the index after the last such byte.
   */
  private static int skipModEx(ByteBuf body, int i, int end) {
    int packetType = MOD_EX;
    while (packetType == MOD_EX) {
      if (i >= end) {
        throw new MediaFormatException("enhanced RTMP ModEx truncated");
      }
      int size = body.getUnsignedByte(i++) + 1;
      if (size == 256) {
        if (end - i < 2) {
          throw new MediaFormatException("enhanced RTMP ModEx truncated");
        }
        size = body.getUnsignedShort(i) + 1;
        i += 2;
      }
      if (end - i < size + 1) {
        throw new MediaFormatException("enhanced RTMP ModEx of " + size + " bytes, " + (end - i) + " left in the tag");
      }
      i += size;
      packetType = body.getUnsignedByte(i++) & 0x0f;
    }
    return i;
  }

  /** The codec's name in log lines: "AVC", "HEVC", else its FourCC, or the legacy id. */
  String name() {
    if (codec == FourCc.NONE) {
      return kind == Kind.MULTITRACK ? "multitrack" : "codec id " + legacyId;
    }
    return name(codec);
  }

  static String name(int codec) {
    if (codec == FourCc.AVC1) {
      return "AVC";
    }
    if (codec == FourCc.HVC1) {
      return "HEVC";
    }
    if (codec == FourCc.MP4A) {
      return "AAC";
    }
    if (codec == FourCc.MP3) {
      return "MP3";
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      int c = codec >>> shift & 0xff;
      if (c < 0x20 || c > 0x7e) {
        return String.format("FourCC 0x%08x", codec); // not text: say so, do not log control characters
      }
    }
    return FourCc.toString(codec);
  }
}
