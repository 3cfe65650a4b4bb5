package io.estuary.media;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of an FLV video tag body (an RTMP video message), legacy or Enhanced RTMP, read once: what the body is
 * (sequence start, coded frames, ...), its codec, whether it is a keyframe, its composition time, and where the codec
 * data starts.
 *
 * <p>Legacy (FLV spec v10.1 E.4.3.1): FrameType UB[4], CodecID UB[4]; AVC (7) and the de-facto HEVC id (12) follow it
 * with AVCPacketType UI8 and CompositionTime SI24, mapped here to the Enhanced RTMP packet types.
 *
 * <p>Enhanced RTMP (veovera enhanced-rtmp v2, "Enhanced Video"): IsExHeader UB[1], FrameType UB[3], PacketType UB[4];
 * while PacketType is ModEx, a modifier (size UI8+1, or UI16+1 after 256; data; ModExType UB[4]; the next PacketType
 * UB[4]) is skipped; a Command frame (FrameType 5, PacketType not Metadata) carries no FourCC; Multitrack has its
 * type UB[4] and the tracks' PacketType UB[4], then the FourCC (unless each track has its own), then per track its
 * FourCC (ManyTracksManyCodecs), TrackId UI8 and size UI24 (not for OneTrack); else the FourCC UI32. CodedFrames of
 * avc1 and hvc1 start with a CompositionTime SI24; CodedFramesX implies 0.
 *
 * <p>Multitrack: {@link #parse} reads the <em>first</em> track (its codec, id and data), {@link #parseTracks} every
 * track; the packet and frame types apply to every track of the message.
 *
 * @param frameType       FrameType: 1 key, 2 inter, 3 disposable inter, 4 generated key, 5 command
 * @param packetType      one of the {@code PACKET_*} values; legacy AVCPacketType mapped (0 SequenceStart, 1 CodedFrames,
 *                        2 SequenceEnd), other legacy codecs {@link #PACKET_CODED_FRAMES}; -1 for a command frame
 * @param codec           a {@link FourCc}; legacy codec ids mapped ({@link FourCc#ofVideoCodecId}); NONE when unknown
 * @param compositionTime PTS - DTS in ms (CodedFrames of avc1/hvc1, legacy AVC/HEVC NALUs), else 0
 * @param dataOffset      where the codec data starts, from the body's reader index
 * @param dataLength      bytes of codec data (of the first track for multitrack)
 * @param track           the track id: 0 unless multitrack
 * @param multitrackType  AvMultitrackType (0 OneTrack, 1 ManyTracks, 2 ManyTracksManyCodecs), or -1 when not multitrack
 */
public record VideoTagHeader(int frameType, int packetType, int codec, int compositionTime, int dataOffset,
    int dataLength, int track, int multitrackType) {

  /** Enhanced RTMP VideoPacketType. */
  public static final int PACKET_SEQUENCE_START = 0;
  public static final int PACKET_CODED_FRAMES = 1;
  public static final int PACKET_SEQUENCE_END = 2;
  public static final int PACKET_CODED_FRAMES_X = 3;
  public static final int PACKET_METADATA = 4;
  public static final int PACKET_MPEG2TS_SEQUENCE_START = 5;
  public static final int PACKET_MULTITRACK = 6;
  public static final int PACKET_MOD_EX = 7;
  /** Not a packet type on the wire: a command frame (FrameType 5), which carries a UI8 command and no media. */
  public static final int PACKET_COMMAND = -1;

  /** VideoFrameType. */
  public static final int FRAME_KEY = 1;
  public static final int FRAME_INTER = 2;
  public static final int FRAME_COMMAND = 5;

  /** AvMultitrackType. */
  public static final int MULTITRACK_ONE_TRACK = 0;
  public static final int MULTITRACK_MANY_TRACKS = 1;
  public static final int MULTITRACK_MANY_TRACKS_MANY_CODECS = 2;

  /** What an empty or malformed body is classified as: nothing known, not a keyframe, not a sequence header. */
  public static final VideoTagHeader UNKNOWN = new VideoTagHeader(0, PACKET_CODED_FRAMES, FourCc.NONE, 0, 0, 0, 0, -1);

  private static final int EX_HEADER = 0x80;

  /**
   * Reads the header of {@code body} (its readable bytes, not moving the reader index).
   *
   * @throws MediaFormatException when the body is empty, truncated or uses a reserved packet type
   */
  public static VideoTagHeader parse(ByteBuf body) {
    return read(body, null);
  }

  /**
   * Every track of a multitrack body, in order (one header for any other body, as {@link #parse} reads it): each
   * track's codec, id, composition time and data; the packet and frame types are the message's.
   *
   * @throws MediaFormatException when the body or any of its tracks is truncated, or a type is reserved
   */
  public static List<VideoTagHeader> parseTracks(ByteBuf body) {
    List<VideoTagHeader> tracks = new ArrayList<>(2);
    VideoTagHeader first = read(body, tracks);
    if (tracks.isEmpty()) {
      tracks.add(first);
    }
    return tracks;
  }

  /** The header, and with {@code tracks} not null every track of a multitrack body added to it. */
  private static VideoTagHeader read(ByteBuf body, List<VideoTagHeader> tracks) {
    Cursor in = new Cursor(body, "video tag");
    int b = in.u8();
    if ((b & EX_HEADER) == 0) {
      return legacy(in, b >> 4, b & 0x0f);
    }
    int frameType = b >> 4 & 0x07;
    int packetType = b & 0x0f;
    while (packetType == PACKET_MOD_EX) {
      in.skipModEx();
      packetType = in.u8() & 0x0f; // the high nibble is the VideoPacketModExType (0: TimestampOffsetNano)
    }
    if (frameType == FRAME_COMMAND && packetType != PACKET_METADATA) {
      in.u8(); // VideoCommand; the body has no media and no FourCC
      return new VideoTagHeader(frameType, PACKET_COMMAND, FourCc.NONE, 0, in.at, in.left(), 0, -1);
    }
    if (packetType == PACKET_MULTITRACK) {
      return multitrack(in, frameType, tracks);
    }
    if (packetType > PACKET_MPEG2TS_SEQUENCE_START) {
      throw new MediaFormatException("video tag: reserved packet type " + packetType);
    }
    return track(in, frameType, packetType, in.u32(), 0, in.left(), -1);
  }

  /**
   * A multitrack body after its packet type (enhanced-rtmp v2, ExVideoTagBody): AvMultitrackType UB[4] and the tracks'
   * PacketType UB[4], the shared FourCC unless ManyTracksManyCodecs, then per track [FourCC] TrackId UI8 [SizeOfTrack
   * UI24, not for OneTrack] and its data. With {@code into} null, the first track only; else every track, added.
   */
  private static VideoTagHeader multitrack(Cursor in, int frameType, List<VideoTagHeader> into) {
    int m = in.u8();
    int multitrackType = m >> 4;
    int packetType = m & 0x0f;
    if (packetType == PACKET_MULTITRACK || multitrackType > MULTITRACK_MANY_TRACKS_MANY_CODECS) {
      throw new MediaFormatException("video tag: multitrack type " + multitrackType + " with packet type "
          + packetType);
    }
    if (packetType > PACKET_MPEG2TS_SEQUENCE_START) {
      throw new MediaFormatException("video tag: reserved packet type " + packetType);
    }
    int codec = multitrackType == MULTITRACK_MANY_TRACKS_MANY_CODECS ? FourCc.NONE : in.u32();
    VideoTagHeader first = null;
    do {
      if (multitrackType == MULTITRACK_MANY_TRACKS_MANY_CODECS) {
        codec = in.u32();
      }
      int track = in.u8();
      int length = in.left();
      if (multitrackType != MULTITRACK_ONE_TRACK) {
        length = in.u24();
        if (length > in.left()) {
          throw new MediaFormatException("video tag: track " + track + " of " + length + " bytes, " + in.left()
              + " left");
        }
      }
      int end = in.at + length;
      VideoTagHeader header = track(in, frameType, packetType, codec, track, length, multitrackType);
      if (into == null) {
        return header;
      }
      into.add(header);
      first = first == null ? header : first;
      in.at = end;
    } while (multitrackType != MULTITRACK_ONE_TRACK && in.left() > 0);
    return first;
  }

  /** One track's header from its data on: the composition time of avc1/hvc1 CodedFrames, then {@code length} bytes. */
  private static VideoTagHeader track(Cursor in, int frameType, int packetType, int codec, int track, int length,
                                      int multitrackType) {
    int compositionTime = 0;
    if (packetType == PACKET_CODED_FRAMES && (codec == FourCc.AVC1 || codec == FourCc.HVC1)) {
      compositionTime = in.s24();
      length -= 3;
      if (length < 0) {
        throw new MediaFormatException("video tag: track " + track + " shorter than its composition time");
      }
    }
    return new VideoTagHeader(frameType, packetType, codec, compositionTime, in.at, length, track, multitrackType);
  }

  /**
   * Writes this track of {@code body} (read by {@link #parseTracks}) to {@code out} as a single-track body, the default
   * track's rendition for a player that did not announce multitrack: avc1 in the legacy AVC form (FrameType, CodecID 7,
   * AVCPacketType, CompositionTime SI24), which every FLV player reads; any other codec (or an avc1 packet legacy AVC
   * cannot say) in the Enhanced RTMP form without multitrack (ExHeader, FrameType, PacketType, FourCC, [CompositionTime]).
   * The message's ModEx modifiers are not carried over.
   */
  public void writeSingleTrack(ByteBuf body, ByteBuf out) {
    if (codec == FourCc.AVC1 && (isCodedFrames() || packetType == PACKET_SEQUENCE_START
        || packetType == PACKET_SEQUENCE_END)) {
      out.writeByte(frameType << 4 | FlvTags.VIDEO_CODEC_AVC);
      out.writeByte(packetType == PACKET_SEQUENCE_START ? FlvTags.AVC_SEQUENCE_HEADER
          : packetType == PACKET_SEQUENCE_END ? FlvTags.AVC_END_OF_SEQUENCE : FlvTags.AVC_NALU);
      out.writeMedium(compositionTime);
    } else {
      out.writeByte(EX_HEADER | frameType << 4 | packetType);
      out.writeInt(codec);
      if (packetType == PACKET_CODED_FRAMES && (codec == FourCc.AVC1 || codec == FourCc.HVC1)) {
        out.writeMedium(compositionTime);
      }
    }
    out.writeBytes(body, body.readerIndex() + dataOffset, dataLength);
  }

  /** The size {@link #writeSingleTrack} writes. */
  public int singleTrackSize() {
    return dataLength + 8;
  }

  /** As {@link #parse}, but {@link #UNKNOWN} for a body that cannot be read: classifying must not fail a stream. */
  public static VideoTagHeader classify(ByteBuf body) {
    try {
      return parse(body);
    } catch (MediaFormatException e) {
      return UNKNOWN;
    }
  }

  private static VideoTagHeader legacy(Cursor in, int frameType, int codecId) {
    int codec = FourCc.ofVideoCodecId(codecId);
    if (frameType == FRAME_COMMAND) {
      return new VideoTagHeader(frameType, PACKET_COMMAND, codec, 0, in.at, in.left(), 0, -1);
    }
    if (codecId != FlvTags.VIDEO_CODEC_AVC && codecId != FlvTags.VIDEO_CODEC_HEVC) {
      return new VideoTagHeader(frameType, PACKET_CODED_FRAMES, codec, 0, in.at, in.left(), 0, -1);
    }
    int avcPacketType = in.u8();
    int compositionTime = in.s24();
    int packetType = switch (avcPacketType) {
      case FlvTags.AVC_SEQUENCE_HEADER -> PACKET_SEQUENCE_START;
      case FlvTags.AVC_NALU -> PACKET_CODED_FRAMES;
      case FlvTags.AVC_END_OF_SEQUENCE -> PACKET_SEQUENCE_END;
      default -> throw new MediaFormatException("video tag: AVCPacketType " + avcPacketType);
    };
    return new VideoTagHeader(frameType, packetType, codec, packetType == PACKET_CODED_FRAMES ? compositionTime : 0,
        in.at, in.left(), 0, -1);
  }

  /** A decoder configuration (SequenceStart, or the MPEG2TSSequenceStart some AV1 encoders send). */
  public boolean isSequenceHeader() {
    return packetType == PACKET_SEQUENCE_START || packetType == PACKET_MPEG2TS_SEQUENCE_START;
  }

  /** Coded pictures (CodedFrames or CodedFramesX): what a player decodes and a frame counter counts. */
  public boolean isCodedFrames() {
    return packetType == PACKET_CODED_FRAMES || packetType == PACKET_CODED_FRAMES_X;
  }

  /**
   * FrameType 1 on coded frames or a sequence header (the legacy AVC sequence header is a keyframe too): where a
   * decoder can start. Never metadata, a sequence end or a command.
   */
  public boolean isKeyframe() {
    return frameType == FRAME_KEY && (isCodedFrames() || isSequenceHeader());
  }

  /** The body has more than the track read here (multitrack with ManyTracks or ManyTracksManyCodecs). */
  public boolean hasMoreTracks() {
    return multitrackType > MULTITRACK_ONE_TRACK;
  }

  /** The codec data of the (first) track, a slice of {@code body} sharing its bytes, not retained. */
  public ByteBuf data(ByteBuf body) {
    return body.slice(body.readerIndex() + dataOffset, dataLength);
  }

  /** Reads a body's bytes by absolute index, with a clear error when they run out. */
  static final class Cursor {

    private final ByteBuf buf;
    private final int start;
    private final int end;
    private final String what;
    int at; // from start

    Cursor(ByteBuf buf, String what) {
      this.buf = buf;
      this.start = buf.readerIndex();
      this.end = buf.writerIndex();
      this.what = what;
    }

    int left() {
      return end - start - at;
    }

    private int take(int n) {
      if (left() < n) {
        throw new MediaFormatException(what + " truncated: " + n + " more bytes needed at byte " + at + ", "
            + left() + " left");
      }
      int i = start + at;
      at += n;
      return i;
    }

    int u8() {
      return buf.getUnsignedByte(take(1));
    }

    int u24() {
      return buf.getUnsignedMedium(take(3));
    }

    int s24() {
      return buf.getMedium(take(3));
    }

    int u32() {
      return buf.getInt(take(4));
    }

    /** A ModEx modifier's size and data (enhanced-rtmp v2: UI8 + 1, or UI16 + 1 when that is 256). */
    void skipModEx() {
      int size = u8() + 1;
      if (size == 256) {
        size = buf.getUnsignedShort(take(2)) + 1;
      }
      take(size);
    }
  }
}
