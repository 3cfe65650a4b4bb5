package io.estuary.media;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.2.4.1): the body of an FLV AVC sequence header after its
 * 5-byte video tag header. Holds copies of the parameter sets (a few dozen bytes, once per stream) and the
 * parsed first SPS.
 */
public final class AvcConfig {

  /** nal_unit_type of a picture parameter set (H.264 Table 7-1). */
  public static final int NAL_TYPE_PPS = 8;

  private final int profile;
  private final int compatibility;
  private final int level;
  private final int naluLengthSize;
  private final List<byte[]> sps;
  private final List<byte[]> pps;
  private final AvcSps firstSps;

  private AvcConfig(int profile, int compatibility, int level, int naluLengthSize, List<byte[]> sps,
      List<byte[]> pps) {
    this.profile = profile;
    this.compatibility = compatibility;
    this.level = level;
    this.naluLengthSize = naluLengthSize;
    this.sps = Collections.unmodifiableList(sps);
    this.pps = Collections.unmodifiableList(pps);
    this.firstSps = AvcSps.parse(sps.get(0));
  }

  /**
   * Parses the readable bytes of {@code record} (not moving its reader index). The record must hold at least
   * one SPS, whose fields are parsed, and one PPS.
   */
  public static AvcConfig parse(ByteBuf record) {
    int i = record.readerIndex();
    int end = record.writerIndex();
    if (end - i < 7) {
      throw new MediaFormatException("AVC decoder configuration truncated: " + (end - i)
          + " bytes, at least 7 needed");
    }
    int version = record.getUnsignedByte(i);
    if (version != 1) {
      throw new MediaFormatException("AVC decoder configuration version " + version + ", expected 1");
    }
    int profile = record.getUnsignedByte(i + 1);
    int compatibility = record.getUnsignedByte(i + 2);
    int level = record.getUnsignedByte(i + 3);
    int naluLengthSize = (record.getUnsignedByte(i + 4) & 0x03) + 1;
    int spsCount = record.getUnsignedByte(i + 5) & 0x1f;
    i += 6;
    List<byte[]> sps = new ArrayList<>(spsCount);
    i = readParameterSets(record, i, end, spsCount, "SPS", sps);
    if (i >= end) {
      throw new MediaFormatException("AVC decoder configuration truncated: no PPS count after " + spsCount + " SPS");
    }
    int ppsCount = record.getUnsignedByte(i);
    List<byte[]> pps = new ArrayList<>(ppsCount);
    readParameterSets(record, i + 1, end, ppsCount, "PPS", pps);
    if (sps.isEmpty() || pps.isEmpty()) {
      throw new MediaFormatException("AVC decoder configuration with " + sps.size() + " SPS and " + pps.size()
          + " PPS, at least one of each needed");
    }
    for (byte[] p : pps) {
      if ((p[0] & 0x1f) != NAL_TYPE_PPS) {
        throw new MediaFormatException("AVC decoder configuration: PPS of nal_unit_type " + (p[0] & 0x1f));
      }
    }
    return new AvcConfig(profile, compatibility, level, naluLengthSize, sps, pps);
  }

  /** Reads {@code count} 16-bit-length-prefixed NAL units from index {@code i}; returns the index after them. */
  private static int readParameterSets(ByteBuf in, int i, int end, int count, String what, List<byte[]> into) {
    for (int n = 0; n < count; n++) {
      if (end - i < 2) {
        throw new MediaFormatException("AVC decoder configuration truncated: length of " + what + " " + n + " missing");
      }
      int length = in.getUnsignedShort(i);
      i += 2;
      if (length == 0 || length > end - i) {
        throw new MediaFormatException("AVC decoder configuration: " + what + " " + n + " of " + length
            + " bytes, " + (end - i) + " readable");
      }
      byte[] nal = new byte[length];
      in.getBytes(i, nal);
      into.add(nal);
      i += length;
    }
    return i;
  }

  /** AVCProfileIndication (profile_idc of the SPS). */
  public int profile() {
    return profile;
  }

  /** profile_compatibility (the SPS constraint flags byte). */
  public int compatibility() {
    return compatibility;
  }

  /** AVCLevelIndication (level_idc of the SPS). */
  public int level() {
    return level;
  }

  /** Bytes in the length prefix of each NAL unit in the stream's samples: 1, 2, 3 or 4. */
  public int naluLengthSize() {
    return naluLengthSize;
  }

  /** The sequence parameter set NAL units. Do not modify the arrays. */
  public List<byte[]> sps() {
    return sps;
  }

  /** The picture parameter set NAL units. Do not modify the arrays. */
  public List<byte[]> pps() {
    return pps;
  }

  /** The parsed first SPS: size, profile, level. */
  public AvcSps firstSps() {
    return firstSps;
  }

  public int width() {
    return firstSps.width();
  }

  public int height() {
    return firstSps.height();
  }

  /** The profile name as SRS reports it: "Baseline", "Main", "High", ... */
  public String profileName() {
    return AvcSps.profileName(profile);
  }

  /** The level as SRS reports it: "3", "3.1", "4", ... */
  public String levelName() {
    return AvcSps.levelName(level);
  }

  @Override
  public String toString() {
    return "AVC " + profileName() + "@" + levelName() + " " + width() + "x" + height();
  }
}
