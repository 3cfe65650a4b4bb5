package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * An AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): the body of an FLV AAC sequence header after its 2-byte
 * audio tag header. Knows how to frame raw AAC frames for MPEG-TS with an ADTS header (ISO/IEC 14496-3 1.A.2.2).
 *
 * <p>With explicit SBR/PS signalling (audioObjectType 5 or 29) the core object type and sample rate follow the
 * extension fields; {@link #objectType()} keeps the signalled type (for the profile name) and ADTS uses the core.
 */
public final class AacConfig {

  public static final int OBJECT_TYPE_MAIN = 1;
  public static final int OBJECT_TYPE_LC = 2;
  public static final int OBJECT_TYPE_SBR = 5;
  public static final int OBJECT_TYPE_PS = 29;

  /** ADTS header without CRC (protection_absent = 1). */
  public static final int ADTS_HEADER_LENGTH = 7;
  /** aac_frame_length is 13 bits and counts the header. */
  public static final int MAX_ADTS_PAYLOAD = (1 << 13) - 1 - ADTS_HEADER_LENGTH;

  /** samplingFrequencyIndex 0..12 (ISO/IEC 14496-3 Table 1.18). */
  private static final int[] SAMPLE_RATES = {
      96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
  private static final int ESCAPE_OBJECT_TYPE = 31;
  private static final int EXPLICIT_FREQUENCY = 0xf;

  private final int objectType;
  private final int coreObjectType;
  private final int sampleRate;
  private final int samplingFrequencyIndex; // of sampleRate, or -1 when not in the table
  private final int channelConfiguration;

  private AacConfig(int objectType, int coreObjectType, int sampleRate, int samplingFrequencyIndex,
      int channelConfiguration) {
    this.objectType = objectType;
    this.coreObjectType = coreObjectType;
    this.sampleRate = sampleRate;
    this.samplingFrequencyIndex = samplingFrequencyIndex;
    this.channelConfiguration = channelConfiguration;
  }

  /** Parses the readable bytes of {@code asc}, not moving its reader index. */
  public static AacConfig parse(ByteBuf asc) {
    int length = asc.readableBytes();
    if (length < 2) {
      throw new MediaFormatException("AudioSpecificConfig truncated: " + length + " bytes, at least 2 needed");
    }
    // Only the first bytes matter here; the rest (GASpecificConfig, extensions) is not read.
    byte[] bytes = new byte[Math.min(length, 16)];
    asc.getBytes(asc.readerIndex(), bytes);
    BitReader r = new BitReader(bytes, "AudioSpecificConfig");
    int objectType = readObjectType(r);
    int[] frequency = readFrequency(r);
    int channelConfiguration = r.readInt(4);
    int coreObjectType = objectType;
    if (objectType == OBJECT_TYPE_SBR || objectType == OBJECT_TYPE_PS) {
      readFrequency(r); // extensionSamplingFrequencyIndex: the SBR output rate
      coreObjectType = readObjectType(r);
    }
    if (objectType == 0 || coreObjectType == 0) {
      throw new MediaFormatException("AudioSpecificConfig: audioObjectType 0 (null object)");
    }
    if (frequency[1] == 0) {
      throw new MediaFormatException("AudioSpecificConfig: sampling frequency 0");
    }
    return new AacConfig(objectType, coreObjectType, frequency[1], frequency[0], channelConfiguration);
  }

  /** GetAudioObjectType() of ISO/IEC 14496-3 1.6.2.1.1: 5 bits, or 32 + 6 bits after the escape 31. */
  private static int readObjectType(BitReader r) {
    int type = r.readInt(5);
    return type == ESCAPE_OBJECT_TYPE ? 32 + r.readInt(6) : type;
  }

  /** {samplingFrequencyIndex or -1, frequency}: a 4-bit index, or 0xf and an explicit 24-bit frequency. */
  private static int[] readFrequency(BitReader r) {
    int index = r.readInt(4);
    if (index == EXPLICIT_FREQUENCY) {
      int frequency = r.readInt(24);
      return new int[] {indexOf(frequency), frequency};
    }
    if (index >= SAMPLE_RATES.length) {
      throw new MediaFormatException("AudioSpecificConfig: reserved samplingFrequencyIndex " + index);
    }
    return new int[] {index, SAMPLE_RATES[index]};
  }

  private static int indexOf(int frequency) {
    for (int i = 0; i < SAMPLE_RATES.length; i++) {
      if (SAMPLE_RATES[i] == frequency) {
        return i;
      }
    }
    return -1;
  }

  /** audioObjectType as signalled: 2 for AAC-LC, 5 for HE-AAC (SBR), 29 for HE-AAC v2 (PS), ... */
  public int objectType() {
    return objectType;
  }

  /** The object type of the core coder: the same as {@link #objectType()} unless SBR/PS is signalled explicitly. */
  public int coreObjectType() {
    return coreObjectType;
  }

  /** The core sample rate in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  /** channelConfiguration (ISO/IEC 14496-3 Table 1.19): 0 means the channels are given in a program config. */
  public int channelConfiguration() {
    return channelConfiguration;
  }

  /** The number of channels: 1..6 for configurations 1..6, 8 for configuration 7, 0 when not given. */
  public int channels() {
    return channelConfiguration == 7 ? 8 : channelConfiguration;
  }

  /** The profile name as SRS reports it: "Main", "LC", "HE", "HEv2", else "Other". */
  public String profileName() {
    return switch (objectType) {
      case OBJECT_TYPE_MAIN -> "Main";
      case OBJECT_TYPE_LC -> "LC";
      case OBJECT_TYPE_SBR -> "HE";
      case OBJECT_TYPE_PS -> "HEv2";
      default -> "Other";
    };
  }

  /**
   * Writes the 7-byte ADTS header (no CRC) that precedes a raw AAC frame of {@code payloadLength} bytes
   * (ISO/IEC 14496-3 1.A.2.2.1). ADTS carries object types 1 to 4 and table sample rates only.
   */
  public void adtsHeader(int payloadLength, ByteBuf out) {
    if (coreObjectType > 4) {
      throw new MediaFormatException("ADTS cannot carry audioObjectType " + coreObjectType);
    }
    if (samplingFrequencyIndex < 0) {
      throw new MediaFormatException("ADTS cannot carry the sample rate " + sampleRate + " Hz");
    }
    if (channelConfiguration > 7) {
      throw new MediaFormatException("ADTS cannot carry channelConfiguration " + channelConfiguration);
    }
    if (payloadLength < 0 || payloadLength > MAX_ADTS_PAYLOAD) {
      throw new MediaFormatException("AAC frame of " + payloadLength + " bytes, ADTS carries at most "
          + MAX_ADTS_PAYLOAD);
    }
    int frameLength = payloadLength + ADTS_HEADER_LENGTH;
    int profile = coreObjectType - 1;
    out.writeByte(0xff); // syncword 0xfff
    out.writeByte(0xf1); // syncword, ID 0 (MPEG-4), layer 00, protection_absent 1
    out.writeByte(profile << 6 | samplingFrequencyIndex << 2 | (channelConfiguration >> 2 & 1)); // private_bit 0
    // channel_configuration low bits, original_copy, home, copyright bits all 0, aac_frame_length high bits
    out.writeByte((channelConfiguration & 3) << 6 | frameLength >> 11);
    out.writeByte(frameLength >> 3 & 0xff);
    out.writeByte((frameLength & 7) << 5 | 0x1f); // adts_buffer_fullness 0x7ff: variable rate
    out.writeByte(0xfc); // buffer fullness low bits, number_of_raw_data_blocks_in_frame 0
  }

  @Override
  public String toString() {
    return "AAC " + profileName() + " " + sampleRate + " Hz " + channels() + " channels";
  }
}
