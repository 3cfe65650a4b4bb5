package io.estuary.media;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * The header of an FLV audio tag body (an RTMP audio message), legacy or Enhanced RTMP, read once.
 *
 * <p>Legacy (FLV spec v10.1 E.4.2.1): SoundFormat UB[4], SoundRate UB[2], SoundSize UB[1], SoundType UB[1]; AAC (10)
 * follows with AACPacketType UI8, mapped here to SequenceStart (0) and CodedFrames (1).
 *
 * <p>Enhanced RTMP (veovera enhanced-rtmp v2, "Enhanced Audio"): SoundFormat 9 (ExHeader), AudioPacketType UB[4]; while
 * it is ModEx, a modifier is skipped (size UI8+1, or UI16+1 after 256; data; ModExType UB[4]; the next AudioPacketType
 * UB[4]); Multitrack has its type UB[4] and the tracks' AudioPacketType UB[4], the FourCC (unless each track has its
 * own), then per track its FourCC (ManyTracksManyCodecs), TrackId UI8 and size UI24 (not for OneTrack); else the
 * FourCC UI32. As for video, {@link #parse} reads a multitrack body's first track, {@link #parseTracks} every track.
 *
 * @param packetType     one of the {@code PACKET_*} values (legacy AAC mapped; other legacy formats CodedFrames)
 * @param codec          a {@link FourCc}; legacy formats mapped ({@link FourCc#ofSoundFormat}); NONE when unknown
 * @param legacyFlags    the low nibble of a legacy header (SoundRate, SoundSize, SoundType), or -1 for Enhanced RTMP
 * @param dataOffset     where the codec data starts, from the body's reader index
 * @param dataLength     bytes of codec data (of the first track for multitrack)
 * @param track          the track id: 0 unless multitrack
 * @param multitrackType AvMultitrackType, or -1 when not multitrack
 */
public record AudioTagHeader(int packetType, int codec, int legacyFlags, int dataOffset, int dataLength, int track,
    int multitrackType) {

  /** Enhanced RTMP AudioPacketType (3 and 6 are reserved). */
  public static final int PACKET_SEQUENCE_START = 0;
  public static final int PACKET_CODED_FRAMES = 1;
  public static final int PACKET_SEQUENCE_END = 2;
  public static final int PACKET_MULTICHANNEL_CONFIG = 4;
  public static final int PACKET_MULTITRACK = 5;
  public static final int PACKET_MOD_EX = 7;

  /** SoundRate 3 (44 kHz), SoundSize 1 (16-bit), SoundType 1 (stereo): what an AAC tag always says (FLV spec E.4.2.1). */
  private static final int LEGACY_AAC_FLAGS = 0x0f;

  /** What an empty or malformed body is classified as. */
  public static final AudioTagHeader UNKNOWN = new AudioTagHeader(PACKET_CODED_FRAMES, FourCc.NONE, -1, 0, 0, 0, -1);

  /**
   * Reads the header of {@code body} (its readable bytes, not moving the reader index).
   *
   * @throws MediaFormatException when the body is empty, truncated or uses a reserved packet type
   */
  public static AudioTagHeader parse(ByteBuf body) {
    return read(body, null);
  }

  /**
   * Every track of a multitrack body, in order (one header for any other body, as {@link #parse} reads it): each
   * track's codec, id and data; the packet type is the message's.
   *
   * @throws MediaFormatException when the body or any of its tracks is truncated, or a type is reserved
   */
  public static List<AudioTagHeader> parseTracks(ByteBuf body) {
    List<AudioTagHeader> tracks = new ArrayList<>(2);
    AudioTagHeader first = read(body, tracks);
    if (tracks.isEmpty()) {
      tracks.add(first);
    }
    return tracks;
  }

  /** The header, and with {@code tracks} not null every track of a multitrack body added to it. */
  private static AudioTagHeader read(ByteBuf body, List<AudioTagHeader> tracks) {
    VideoTagHeader.Cursor in = new VideoTagHeader.Cursor(body, "audio tag");
    int b = in.u8();
    int format = b >> 4;
    if (format != FlvTags.AUDIO_FORMAT_EX_HEADER) {
      int packetType = PACKET_CODED_FRAMES;
      if (format == FlvTags.AUDIO_FORMAT_AAC) {
        int aacPacketType = in.u8();
        packetType = switch (aacPacketType) {
          case FlvTags.AAC_SEQUENCE_HEADER -> PACKET_SEQUENCE_START;
          case FlvTags.AAC_RAW -> PACKET_CODED_FRAMES;
          default -> throw new MediaFormatException("audio tag: AACPacketType " + aacPacketType);
        };
      }
      return new AudioTagHeader(packetType, FourCc.ofSoundFormat(format), b & 0x0f, in.at, in.left(), 0, -1);
    }
    int packetType = b & 0x0f;
    while (packetType == PACKET_MOD_EX) {
      in.skipModEx();
      packetType = in.u8() & 0x0f; // the high nibble is the AudioPacketModExType (0: TimestampOffsetNano)
    }
    if (packetType == PACKET_MULTITRACK) {
      return multitrack(in, tracks);
    }
    checkPacketType(packetType);
    return new AudioTagHeader(packetType, in.u32(), -1, in.at, in.left(), 0, -1);
  }

  /**
   * A multitrack body after its packet type (enhanced-rtmp v2, ExAudioTagBody): AvMultitrackType UB[4] and the tracks'
   * AudioPacketType UB[4], the shared FourCC unless ManyTracksManyCodecs, then per track [FourCC] TrackId UI8
   * [SizeOfTrack UI24, not for OneTrack] and its data. With {@code into} null, the first track only; else every track,
   * added.
   */
  private static AudioTagHeader multitrack(VideoTagHeader.Cursor in, List<AudioTagHeader> into) {
    int m = in.u8();
    int multitrackType = m >> 4;
    int packetType = m & 0x0f;
    if (packetType == PACKET_MULTITRACK || multitrackType > VideoTagHeader.MULTITRACK_MANY_TRACKS_MANY_CODECS) {
      throw new MediaFormatException("audio tag: multitrack type " + multitrackType + " with packet type "
          + packetType);
    }
    checkPacketType(packetType);
    boolean manyCodecs = multitrackType == VideoTagHeader.MULTITRACK_MANY_TRACKS_MANY_CODECS;
    boolean oneTrack = multitrackType == VideoTagHeader.MULTITRACK_ONE_TRACK;
    int codec = manyCodecs ? FourCc.NONE : in.u32();
    AudioTagHeader first = null;
    do {
      if (manyCodecs) {
        codec = in.u32();
      }
      int track = in.u8();
      int length = in.left();
      if (!oneTrack) {
        length = in.u24();
        if (length > in.left()) {
          throw new MediaFormatException("audio tag: track " + track + " of " + length + " bytes, " + in.left()
              + " left");
        }
      }
      AudioTagHeader header = new AudioTagHeader(packetType, codec, -1, in.at, length, track, multitrackType);
      if (into == null) {
        return header;
      }
      into.add(header);
      first = first == null ? header : first;
      in.at += length;
    } while (!oneTrack && in.left() > 0);
    return first;
  }

  private static void checkPacketType(int packetType) {
    if (packetType == 3 || packetType > PACKET_MULTITRACK) {
      throw new MediaFormatException("audio tag: reserved packet type " + packetType);
    }
  }

  /** As {@link #parse}, but {@link #UNKNOWN} for a body that cannot be read: classifying must not fail a stream. */
  public static AudioTagHeader classify(ByteBuf body) {
    try {
      return parse(body);
    } catch (MediaFormatException e) {
      return UNKNOWN;
    }
  }

  /** A decoder configuration: the AAC AudioSpecificConfig, the Opus or FLAC header. */
  public boolean isSequenceHeader() {
    return packetType == PACKET_SEQUENCE_START;
  }

  public boolean isCodedFrames() {
    return packetType == PACKET_CODED_FRAMES;
  }

  /** The body has more than the track read here. */
  public boolean hasMoreTracks() {
    return multitrackType > VideoTagHeader.MULTITRACK_ONE_TRACK;
  }

  /** The codec data of the (first) track, a slice of {@code body} sharing its bytes, not retained. */
  public ByteBuf data(ByteBuf body) {
    return body.slice(body.readerIndex() + dataOffset, dataLength);
  }

  /**
   * Writes this track of {@code body} (read by {@link #parseTracks}) to {@code out} as a single-track body, the default
   * track's rendition for a player that did not announce multitrack: mp4a in the legacy AAC form (0xAF: AAC, and the
   * 44 kHz, 16-bit, stereo flags the FLV spec fixes for AAC; AACPacketType), which every FLV player reads; any other
   * codec (or an mp4a packet legacy AAC cannot say) in the Enhanced RTMP form without multitrack (SoundFormat 9,
   * AudioPacketType, FourCC). The message's ModEx modifiers are not carried over.
   */
  public void writeSingleTrack(ByteBuf body, ByteBuf out) {
    if (codec == FourCc.MP4A && (packetType == PACKET_SEQUENCE_START || packetType == PACKET_CODED_FRAMES)) {
      out.writeByte(FlvTags.AUDIO_FORMAT_AAC << 4 | LEGACY_AAC_FLAGS);
      out.writeByte(packetType == PACKET_SEQUENCE_START ? FlvTags.AAC_SEQUENCE_HEADER : FlvTags.AAC_RAW);
    } else {
      out.writeByte(FlvTags.AUDIO_FORMAT_EX_HEADER << 4 | packetType);
      out.writeInt(codec);
    }
    out.writeBytes(body, body.readerIndex() + dataOffset, dataLength);
  }

  /** The size {@link #writeSingleTrack} writes, at most. */
  public int singleTrackSize() {
    return dataLength + 5;
  }
}
