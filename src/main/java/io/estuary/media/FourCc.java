package io.estuary.media;

/**
 * A codec named as Enhanced RTMP (v1/v2) and ISO BMFF name it: four ASCII characters packed big-endian into an
 * int, as they appear on the wire after an ExHeader. Legacy FLV codec ids map to the same values, so a consumer asks
 * one question whatever the publisher sent.
 */
public final class FourCc {

  /** Not known: an empty body, a script tag, a legacy codec id with no FourCC here. */
  public static final int NONE = 0;
  public static final int AVC1 = of("avc1");
  public static final int HVC1 = of("hvc1");
  public static final int AV01 = of("av01");
  public static final int VP09 = of("vp09");
  public static final int VP08 = of("vp08");
  public static final int MP4A = of("mp4a");
  public static final int MP3 = of(".mp3");
  public static final int OPUS = of("Opus");
  public static final int FLAC = of("fLaC");
  public static final int AC3 = of("ac-3");
  public static final int EAC3 = of("ec-3");

  private FourCc() {
  }

  /** The int of four ASCII characters. */
  public static int of(String name) {
    if (name.length() != 4) {
      throw new IllegalArgumentException("a FourCC has four characters: " + name);
    }
    return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
  }

  /** The four characters, or {@code "none"}. */
  public static String toString(int fourCc) {
    if (fourCc == NONE) {
      return "none";
    }
    return new String(new char[] {(char) (fourCc >>> 24), (char) (fourCc >> 16 & 0xff), (char) (fourCc >> 8 & 0xff),
        (char) (fourCc & 0xff)});
  }

  /** A legacy FLV video CodecID (FLV spec E.4.3.1; 12 is the de-facto HEVC id), or {@link #NONE}. */
  public static int ofVideoCodecId(int codecId) {
    return switch (codecId) {
      case FlvTags.VIDEO_CODEC_AVC -> AVC1;
      case FlvTags.VIDEO_CODEC_HEVC -> HVC1;
      default -> NONE;
    };
  }

  /** A legacy FLV SoundFormat (FLV spec E.4.2.1), or {@link #NONE}. */
  public static int ofSoundFormat(int soundFormat) {
    return switch (soundFormat) {
      case FlvTags.AUDIO_FORMAT_AAC -> MP4A;
      case FlvTags.AUDIO_FORMAT_MP3 -> MP3;
      default -> NONE;
    };
  }
}
