package io.estuary.media;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1): the body of an FLV HEVC sequence header after
 * its 5-byte video tag header. Holds copies of the VPS, SPS and PPS NAL units; the SPS is not parsed.
 */
public final class HevcConfig {

  /** nal_unit_type values (ITU-T H.265 Table 7-1). */
  public static final int NAL_VPS = 32;
  public static final int NAL_SPS = 33;
  public static final int NAL_PPS = 34;

  private static final int FIXED_LENGTH = 23; // up to and including numOfArrays

  private final int profile;
  private final int level;
  private final int naluLengthSize;
  private final List<byte[]> vps;
  private final List<byte[]> sps;
  private final List<byte[]> pps;

  private HevcConfig(int profile, int level, int naluLengthSize, List<byte[]> vps, List<byte[]> sps,
      List<byte[]> pps) {
    this.profile = profile;
    this.level = level;
    this.naluLengthSize = naluLengthSize;
    this.vps = Collections.unmodifiableList(vps);
    this.sps = Collections.unmodifiableList(sps);
    this.pps = Collections.unmodifiableList(pps);
  }

  /** Parses the readable bytes of {@code record}, not moving its reader index. It must hold a VPS, SPS and PPS. */
  public static HevcConfig parse(ByteBuf record) {
    int i = record.readerIndex();
    int end = record.writerIndex();
    if (end - i < FIXED_LENGTH) {
      throw new MediaFormatException("HEVC decoder configuration truncated: " + (end - i) + " bytes, at least "
          + FIXED_LENGTH + " needed");
    }
    int version = record.getUnsignedByte(i);
    if (version != 1) {
      throw new MediaFormatException("HEVC decoder configuration version " + version + ", expected 1");
    }
    int profile = record.getUnsignedByte(i + 1) & 0x1f; // general_profile_idc
    int level = record.getUnsignedByte(i + 12); // general_level_idc
    int naluLengthSize = (record.getUnsignedByte(i + 21) & 0x03) + 1;
    int arrays = record.getUnsignedByte(i + 22);
    List<byte[]> vps = new ArrayList<>(1);
    List<byte[]> sps = new ArrayList<>(1);
    List<byte[]> pps = new ArrayList<>(1);
    i += FIXED_LENGTH;
    for (int a = 0; a < arrays; a++) {
      if (end - i < 3) {
        throw new MediaFormatException("HEVC decoder configuration truncated: array " + a + " of " + arrays);
      }
      int type = record.getUnsignedByte(i) & 0x3f;
      int count = record.getUnsignedShort(i + 1);
      i += 3;
      for (int n = 0; n < count; n++) {
        if (end - i < 2) {
          throw new MediaFormatException("HEVC decoder configuration truncated: length of NAL unit " + n
              + " of type " + type);
        }
        int length = record.getUnsignedShort(i);
        i += 2;
        if (length == 0 || length > end - i) {
          throw new MediaFormatException("HEVC decoder configuration: NAL unit of type " + type + " of " + length
              + " bytes, " + (end - i) + " readable");
        }
        byte[] nal = new byte[length];
        record.getBytes(i, nal);
        i += length;
        switch (type) {
          case NAL_VPS -> vps.add(nal);
          case NAL_SPS -> sps.add(nal);
          case NAL_PPS -> pps.add(nal);
          default -> {
            // SEI arrays and others are not needed to decode
          }
        }
      }
    }
    if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
      throw new MediaFormatException("HEVC decoder configuration with " + vps.size() + " VPS, " + sps.size()
          + " SPS and " + pps.size() + " PPS, at least one of each needed");
    }
    return new HevcConfig(profile, level, naluLengthSize, vps, sps, pps);
  }

  /** general_profile_idc: 1 Main, 2 Main 10, ... */
  public int profile() {
    return profile;
  }

  /** general_level_idc: 30 times the level (93 for level 3.1). */
  public int level() {
    return level;
  }

  /** Bytes in the length prefix of each NAL unit in the stream's samples. */
  public int naluLengthSize() {
    return naluLengthSize;
  }

  /** Do not modify the arrays. */
  public List<byte[]> vps() {
    return vps;
  }

  public List<byte[]> sps() {
    return sps;
  }

  public List<byte[]> pps() {
    return pps;
  }
}
