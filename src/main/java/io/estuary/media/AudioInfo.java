package io.estuary.media;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * What a stream's audio says of its codec, parsed once: the codec as SRS names it ("AAC", "MP3", "Opus", "FLAC",
 * "AC3", "EAC3"), the sample rate, the channels, and for AAC the profile. Numbers are 0 and the profile null when not
 * known.
 *
 * <p>AAC, Opus and FLAC say it in their sequence header; MP3, AC-3 and E-AC-3 have none, and say it in each frame's
 * header, so a stream's first coded frame is read for them ({@link #parse} takes either).
 */
public record AudioInfo(String codec, int sampleRate, int channels, String profile) {

  public static final String AAC = "AAC";
  public static final String MP3 = "MP3";
  public static final String OPUS = "Opus";
  public static final String FLAC = "FLAC";
  public static final String AC3 = "AC3";
  public static final String EAC3 = "EAC3";

  /** Opus always decodes at 48 kHz (RFC 7845 5.1: the header's input sample rate is informational only). */
  private static final int OPUS_RATE = 48000;
  private static final byte[] OPUS_HEAD = "OpusHead".getBytes(StandardCharsets.US_ASCII);
  private static final int FLAC_MARKER = 0x664c6143; // "fLaC"
  private static final int FLAC_STREAMINFO_LENGTH = 34;
  /** Legacy SoundRate (FLV spec E.4.2.1): 5.5, 11, 22 and 44 kHz. */
  private static final int[] LEGACY_RATES = {5512, 11025, 22050, 44100};
  /** MPEG-1 audio sampling_frequency (ISO/IEC 11172-3 2.4.2.3); MPEG-2 halves, MPEG-2.5 quarters them. */
  private static final int[] MP3_RATES = {44100, 48000, 32000};
  /** AC-3 fscod (ATSC A/52 5.4.1.3), and E-AC-3 fscod2 when fscod is 3 (Annex E 2.3.1.4). */
  private static final int[] AC3_RATES = {48000, 44100, 32000};
  private static final int[] EAC3_HALF_RATES = {24000, 22050, 16000};
  /** Full-bandwidth channels of each acmod (A/52 Table 5.8). */
  private static final int[] AC3_CHANNELS = {2, 1, 2, 3, 3, 4, 4, 5};
  private static final int AC3_SYNC = 0x0b77;
  /** bsid above this is E-AC-3 syntax (A/52 Annex E). */
  private static final int AC3_MAX_BSID = 10;

  /** The codec name as SRS writes it for an audio {@link FourCc}, or null when it is none of those. */
  public static String codecName(int fourCc) {
    if (fourCc == FourCc.MP4A) {
      return AAC;
    } else if (fourCc == FourCc.MP3) {
      return MP3;
    } else if (fourCc == FourCc.OPUS) {
      return OPUS;
    } else if (fourCc == FourCc.FLAC) {
      return FLAC;
    } else if (fourCc == FourCc.AC3) {
      return AC3;
    } else if (fourCc == FourCc.EAC3) {
      return EAC3;
    }
    return null;
  }

  /** The codec alone (a header that could not be read). */
  public static AudioInfo codecOnly(int fourCc) {
    String name = codecName(fourCc);
    return name == null ? null : new AudioInfo(name, 0, 0, null);
  }

  /**
   * From an audio tag body: a sequence header (AAC AudioSpecificConfig, OpusHead, FLAC STREAMINFO) or a coded frame
   * (MP3, AC-3, E-AC-3 frame headers; the codec alone for the others); null when the codec is not one named here.
   *
   * @throws MediaFormatException when the header or the codec data cannot be read
   */
  public static AudioInfo parse(ByteBuf body) {
    AudioTagHeader header = AudioTagHeader.parse(body);
    ByteBuf data = header.data(body);
    int codec = header.codec();
    String name = codecName(codec);
    if (name == null) {
      return null;
    }
    if (header.isSequenceHeader()) {
      if (codec == FourCc.MP4A) {
        AacConfig aac = AacConfig.parse(data);
        return new AudioInfo(AAC, aac.sampleRate(), aac.channels(), aac.profileName());
      } else if (codec == FourCc.OPUS) {
        return opus(data);
      } else if (codec == FourCc.FLAC) {
        return flac(data);
      }
    } else if (header.isCodedFrames()) {
      if (codec == FourCc.MP3) {
        return mp3(data, header.legacyFlags());
      } else if (codec == FourCc.AC3 || codec == FourCc.EAC3) {
        return ac3(data);
      }
    }
    return new AudioInfo(name, 0, 0, null);
  }

  /** The identification header (RFC 7845 5.1): "OpusHead", version, channel count, ... */
  private static AudioInfo opus(ByteBuf data) {
    int i = data.readerIndex();
    if (data.readableBytes() < OPUS_HEAD.length + 2) {
      throw new MediaFormatException("OpusHead truncated: " + data.readableBytes() + " bytes");
    }
    for (int n = 0; n < OPUS_HEAD.length; n++) {
      if (data.getByte(i + n) != OPUS_HEAD[n]) {
        throw new MediaFormatException("Opus sequence start without the OpusHead magic");
      }
    }
    int channels = data.getUnsignedByte(i + OPUS_HEAD.length + 1);
    return new AudioInfo(OPUS, OPUS_RATE, channels, null);
  }

  /**
   * STREAMINFO (FLAC format, METADATA_BLOCK_STREAMINFO): sample rate 20 bits and channels - 1 3 bits after 80 bits of
   * block and frame sizes; preceded by "fLaC" and a metadata block header, or by the block header alone, or bare.
   */
  private static AudioInfo flac(ByteBuf data) {
    int i = data.readerIndex();
    int length = data.readableBytes();
    if (length >= 4 && data.getInt(i) == FLAC_MARKER) {
      i += 4;
      length -= 4;
    }
    if (length >= 4 + FLAC_STREAMINFO_LENGTH && (data.getUnsignedByte(i) & 0x7f) == 0
        && data.getUnsignedMedium(i + 1) == FLAC_STREAMINFO_LENGTH) {
      i += 4; // METADATA_BLOCK_HEADER of a STREAMINFO block
      length -= 4;
    }
    if (length < FLAC_STREAMINFO_LENGTH) {
      throw new MediaFormatException("FLAC STREAMINFO truncated: " + length + " bytes");
    }
    long bits = data.getLong(i + 10); // sample rate (20), channels - 1 (3), bits per sample - 1 (5), samples (36)
    int sampleRate = (int) (bits >>> 44);
    int channels = (int) (bits >>> 41 & 0x07) + 1;
    return new AudioInfo(FLAC, sampleRate, channels, null);
  }

  /** An MPEG audio frame header (ISO/IEC 11172-3 2.4.1.3), else the legacy tag's SoundRate and SoundType. */
  private static AudioInfo mp3(ByteBuf data, int legacyFlags) {
    if (data.readableBytes() >= 4) {
      int h = data.getInt(data.readerIndex());
      int version = h >> 19 & 0x03; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5, 1 reserved
      int rate = h >> 10 & 0x03;
      if ((h >>> 21) == 0x7ff && version != 1 && rate != 3) {
        int sampleRate = MP3_RATES[rate] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
        int channels = (h >> 6 & 0x03) == 3 ? 1 : 2;
        return new AudioInfo(MP3, sampleRate, channels, null);
      }
    }
    if (legacyFlags < 0) {
      throw new MediaFormatException("MP3 frame without a frame header");
    }
    return new AudioInfo(MP3, LEGACY_RATES[legacyFlags >> 2], (legacyFlags & 1) + 1, null);
  }

  /** An AC-3 syncinfo and bsi (ATSC A/52 5.4.1, 5.4.2), or an E-AC-3 one (Annex E 2.3). */
  private static AudioInfo ac3(ByteBuf data) {
    byte[] bytes = new byte[Math.min(data.readableBytes(), 8)];
    data.getBytes(data.readerIndex(), bytes);
    BitReader r = new BitReader(bytes, "AC-3 frame header");
    int sync = r.readInt(16);
    if (sync != AC3_SYNC) {
      throw new MediaFormatException("AC-3 frame without syncword: 0x" + Integer.toHexString(sync));
    }
    if (bytes.length < 6) {
      throw new MediaFormatException("AC-3 frame header truncated: " + bytes.length + " bytes");
    }
    int bsid = (bytes[5] & 0xff) >> 3; // at the same place in both syntaxes
    if (bsid > AC3_MAX_BSID) {
      r.skipBits(2 + 3 + 11); // strmtyp, substreamid, frmsiz
      int fscod = r.readInt(2);
      int sampleRate;
      if (fscod == 3) {
        int fscod2 = r.readInt(2);
        if (fscod2 == 3) {
          throw new MediaFormatException("E-AC-3 frame with reserved fscod2 3");
        }
        sampleRate = EAC3_HALF_RATES[fscod2];
      } else {
        sampleRate = AC3_RATES[fscod];
        r.skipBits(2); // numblkscod
      }
      int acmod = r.readInt(3);
      int lfe = r.readInt(1);
      return new AudioInfo(EAC3, sampleRate, AC3_CHANNELS[acmod] + lfe, null);
    }
    r.skipBits(16); // crc1
    int fscod = r.readInt(2);
    if (fscod == 3) {
      throw new MediaFormatException("AC-3 frame with reserved fscod 3");
    }
    r.skipBits(6 + 5 + 3); // frmsizecod, bsid, bsmod
    int acmod = r.readInt(3);
    if ((acmod & 1) != 0 && acmod != 1) {
      r.skipBits(2); // cmixlev
    }
    if ((acmod & 4) != 0) {
      r.skipBits(2); // surmixlev
    }
    if (acmod == 2) {
      r.skipBits(2); // dsurmod
    }
    int lfe = r.readInt(1);
    return new AudioInfo(AC3, AC3_RATES[fscod], AC3_CHANNELS[acmod] + lfe, null);
  }
}
