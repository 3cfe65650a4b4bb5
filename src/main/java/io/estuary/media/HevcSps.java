package io.estuary.media;

/**
 * The fields of an H.265 sequence parameter set (ITU-T H.265 7.3.2.2.1) that a server reports: profile, tier, level,
 * chroma format and the displayed size (the decoded size less the conformance window). Parsing stops after the
 * conformance window.
 *
 * @param profileIdc      general_profile_idc (1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions, ...)
 * @param tier            general_tier_flag: 0 Main, 1 High
 * @param levelIdc        general_level_idc: 30 times the level (93 for 3.1)
 * @param chromaFormatIdc chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param width           the cropped width in luma samples
 * @param height          the cropped height in luma samples
 */
public record HevcSps(int profileIdc, int tier, int levelIdc, int chromaFormatIdc, int width, int height) {

  /** Level 6.2 allows 35,651,584 luma samples: 2^16 on a side is far beyond any level (Table A.8). */
  private static final int MAX_SIDE = 1 << 16;

  /** Parses a whole SPS NAL unit, its 2-byte header included, emulation prevention bytes still in place. */
  public static HevcSps parse(byte[] nal) {
    if (nal.length < 4) {
      throw new MediaFormatException("HEVC SPS truncated: " + nal.length + " bytes");
    }
    int type = nal[0] >> 1 & 0x3f;
    if (type != HevcConfig.NAL_SPS) {
      throw new MediaFormatException("not an HEVC SPS: nal_unit_type " + type);
    }
    BitReader r = new BitReader(AvcSps.unescape(nal, 2, nal.length - 2), "HEVC SPS");
    r.skipBits(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = r.readInt(3);
    r.skipBits(1); // sps_temporal_id_nesting_flag
    // profile_tier_level(1, sps_max_sub_layers_minus1), 7.3.3
    r.skipBits(2); // general_profile_space
    int tier = r.readInt(1);
    int profileIdc = r.readInt(5);
    r.skipBits(32); // general_profile_compatibility_flag[32]
    r.skipBits(48); // source flags, constraint flags, reserved bits
    int levelIdc = r.readInt(8);
    boolean[] profilePresent = new boolean[maxSubLayersMinus1];
    boolean[] levelPresent = new boolean[maxSubLayersMinus1];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profilePresent[i] = r.readFlag();
      levelPresent[i] = r.readFlag();
    }
    if (maxSubLayersMinus1 > 0) {
      r.skipBits(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (profilePresent[i]) {
        r.skipBits(88); // sub_layer profile space, tier, idc, compatibility and constraint flags
      }
      if (levelPresent[i]) {
        r.skipBits(8); // sub_layer_level_idc
      }
    }
    int spsId = r.readUe();
    if (spsId > 15) {
      throw new MediaFormatException("HEVC SPS: sps_seq_parameter_set_id " + spsId + " above 15");
    }
    int chromaFormatIdc = r.readUe();
    if (chromaFormatIdc > 3) {
      throw new MediaFormatException("HEVC SPS: chroma_format_idc " + chromaFormatIdc + " above 3");
    }
    boolean separateColourPlanes = chromaFormatIdc == 3 && r.readFlag();
    int width = r.readUe();
    int height = r.readUe();
    if (width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new MediaFormatException("HEVC SPS: picture of " + width + "x" + height + " luma samples");
    }
    if (r.readFlag()) { // conformance_window_flag
      // 7.4.3.2.1 and Table 6-1: offsets are in chroma sample units, SubWidthC x SubHeightC luma samples
      int chromaArrayType = separateColourPlanes ? 0 : chromaFormatIdc;
      int subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
      int subHeight = chromaArrayType == 1 ? 2 : 1;
      long cropX = ((long) r.readUe() + r.readUe()) * subWidth;
      long cropY = ((long) r.readUe() + r.readUe()) * subHeight;
      if (cropX >= width || cropY >= height) {
        throw new MediaFormatException("HEVC SPS: conformance window " + cropX + "x" + cropY + " leaves nothing of "
            + width + "x" + height);
      }
      width -= (int) cropX;
      height -= (int) cropY;
    }
    return new HevcSps(profileIdc, tier, levelIdc, chromaFormatIdc, width, height);
  }

  /** The profile as SRS names it (srs_hevc_profile2str): "Main", "Main10", ... */
  public String profileName() {
    return profileName(profileIdc);
  }

  /** The level as SRS names it: "3.1" for general_level_idc 93, "4" for 120. */
  public String levelName() {
    return levelName(levelIdc);
  }

  public static String profileName(int profileIdc) {
    return switch (profileIdc) {
      case 1 -> "Main";
      case 2 -> "Main10";
      case 3 -> "Main Still Picture";
      case 4 -> "Rext";
      default -> "Other";
    };
  }

  public static String levelName(int levelIdc) {
    int major = levelIdc / 30;
    int minor = levelIdc % 30 / 3;
    return minor == 0 ? Integer.toString(major) : major + "." + minor;
  }
}
