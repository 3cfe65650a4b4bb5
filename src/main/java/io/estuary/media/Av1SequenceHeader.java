package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * The fields of an AV1 sequence header OBU (AV1 spec 5.5.1) that a server reports: profile, the first operating
 * point's level and tier, and the maximum frame size. Parsing stops after max_frame_height_minus_1.
 *
 * @param profile seq_profile: 0 Main, 1 High, 2 Professional
 * @param level   seq_level_idx[0]: 0 for level 2.0, 1 for 2.1, ... 31 for no level restriction
 * @param tier    seq_tier[0]
 * @param width   max_frame_width_minus_1 + 1
 * @param height  max_frame_height_minus_1 + 1
 */
public record Av1SequenceHeader(int profile, int level, int tier, int width, int height) {

  /** obu_type of a sequence header (AV1 spec 6.2.2, Table). */
  public static final int OBU_SEQUENCE_HEADER = 1;

  /** The longest sequence header read: a few dozen bytes in practice, operating points included. */
  private static final int MAX_LENGTH = 1024;

  /**
   * Finds the first sequence header OBU among the OBUs of {@code obus} (low overhead bitstream format, AV1 spec 5.2:
   * each OBU has its size unless it is the last) and parses it; null when there is none.
   */
  public static Av1SequenceHeader find(ByteBuf obus) {
    int i = obus.readerIndex();
    int end = obus.writerIndex();
    while (i < end) {
      int header = obus.getUnsignedByte(i++);
      if ((header & 0x80) != 0) {
        throw new MediaFormatException("AV1 OBU with obu_forbidden_bit set");
      }
      int type = header >> 3 & 0x0f;
      if ((header & 0x04) != 0) { // obu_extension_flag
        if (i >= end) {
          throw new MediaFormatException("AV1 OBU truncated in its extension header");
        }
        i++;
      }
      long size;
      if ((header & 0x02) != 0) { // obu_has_size_field: leb128()
        size = 0;
        for (int n = 0; ; n++) {
          if (i >= end || n == 8) {
            throw new MediaFormatException("AV1 OBU truncated in its size field");
          }
          int b = obus.getUnsignedByte(i++);
          size |= (long) (b & 0x7f) << (7 * n);
          if ((b & 0x80) == 0) {
            break;
          }
        }
      } else {
        size = end - i;
      }
      if (size > end - i) {
        throw new MediaFormatException("AV1 OBU of type " + type + " and " + size + " bytes, " + (end - i)
            + " left");
      }
      if (type == OBU_SEQUENCE_HEADER) {
        byte[] payload = new byte[(int) Math.min(size, MAX_LENGTH)];
        obus.getBytes(i, payload);
        return parse(payload);
      }
      i += (int) size;
    }
    return null;
  }

  /** Parses the payload of a sequence header OBU (after its header and size). */
  public static Av1SequenceHeader parse(byte[] payload) {
    BitReader r = new BitReader(payload, "AV1 sequence header");
    int profile = r.readInt(3);
    r.skipBits(1); // still_picture
    boolean reducedStillPictureHeader = r.readFlag();
    int level;
    int tier = 0;
    if (reducedStillPictureHeader) {
      level = r.readInt(5);
    } else {
      boolean decoderModelInfoPresent = false;
      int bufferDelayLength = 0;
      if (r.readFlag()) { // timing_info_present_flag: timing_info()
        r.skipBits(64); // num_units_in_display_tick, time_scale
        if (r.readFlag()) { // equal_picture_interval
          skipUvlc(r); // num_ticks_per_picture_minus_1
        }
        decoderModelInfoPresent = r.readFlag();
        if (decoderModelInfoPresent) { // decoder_model_info()
          bufferDelayLength = r.readInt(5) + 1;
          r.skipBits(32 + 5 + 5); // num_units_in_decoding_tick, buffer_removal_time_length, frame_presentation_time_length
        }
      }
      boolean initialDisplayDelayPresent = r.readFlag();
      int operatingPoints = r.readInt(5) + 1;
      level = -1;
      for (int i = 0; i < operatingPoints; i++) {
        r.skipBits(12); // operating_point_idc
        int seqLevelIdx = r.readInt(5);
        int seqTier = seqLevelIdx > 7 ? r.readInt(1) : 0;
        if (i == 0) {
          level = seqLevelIdx;
          tier = seqTier;
        }
        if (decoderModelInfoPresent && r.readFlag()) { // operating_parameters_info()
          r.skipBits(2L * bufferDelayLength + 1);
        }
        if (initialDisplayDelayPresent && r.readFlag()) {
          r.skipBits(4); // initial_display_delay_minus_1
        }
      }
    }
    int widthBits = r.readInt(4) + 1;
    int heightBits = r.readInt(4) + 1;
    int width = r.readInt(widthBits) + 1; // at most 16 bits each
    int height = r.readInt(heightBits) + 1;
    return new Av1SequenceHeader(profile, level, tier, width, height);
  }

  private static void skipUvlc(BitReader r) {
    int leadingZeros = 0;
    while (!r.readFlag()) {
      leadingZeros++;
    }
    if (leadingZeros < 32) {
      r.skipBits(leadingZeros);
    }
  }

  /** The profile named as the AV1 spec names it (Annex A.2). */
  public String profileName() {
    return profileName(profile);
  }

  /** The level as "X.Y" (AV1 spec Annex A.3: seq_level_idx = 4 * (X - 2) + Y), null for 31 (no restriction). */
  public String levelName() {
    return levelName(level);
  }

  public static String profileName(int profile) {
    return switch (profile) {
      case 0 -> "Main";
      case 1 -> "High";
      case 2 -> "Professional";
      default -> "Other";
    };
  }

  public static String levelName(int level) {
    return level < 0 || level >= 31 ? null : (2 + (level >> 2)) + "." + (level & 3);
  }
}
