package io.estuary.media;

import java.util.Arrays;

/**
 * The fields of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1) that a server reports: profile, level,
 * chroma format and the displayed size (after frame cropping). Parsing stops before the VUI.
 *
 * @param profileIdc profile_idc (66 Baseline, 77 Main, 100 High, ...)
 * @param constraintFlags the byte holding constraint_set0_flag..constraint_set5_flag
 * @param levelIdc level_idc (30 for level 3, 31 for 3.1, ...)
 * @param chromaFormatIdc chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when absent)
 * @param width the cropped width in luma samples
 * @param height the cropped height in luma samples
 */
public record AvcSps(int profileIdc, int constraintFlags, int levelIdc, int chromaFormatIdc, int width, int height) {

  /** nal_unit_type of a sequence parameter set (H.264 Table 7-1). */
  public static final int NAL_TYPE_SPS = 7;

  /** 2^16 macroblocks wide or high is far beyond any level (Table A-1 caps a frame at 139264 macroblocks). */
  private static final int MAX_MBS = 1 << 16;

  /** Parses a whole SPS NAL unit, header byte included, emulation prevention bytes still in place. */
  public static AvcSps parse(byte[] nal) {
    if (nal.length < 4) {
      throw new MediaFormatException("SPS truncated: " + nal.length + " bytes, at least 4 needed");
    }
    int type = nal[0] & 0x1f;
    if (type != NAL_TYPE_SPS) {
      throw new MediaFormatException("not an SPS: nal_unit_type " + type);
    }
    byte[] rbsp = unescape(nal, 1, nal.length - 1);
    BitReader r = new BitReader(rbsp, "SPS");
    int profileIdc = r.readInt(8);
    int constraintFlags = r.readInt(8);
    int levelIdc = r.readInt(8);
    int spsId = r.readUe();
    if (spsId > 31) {
      throw new MediaFormatException("SPS: seq_parameter_set_id " + spsId + " above 31");
    }
    int chromaFormatIdc = 1;
    boolean separateColourPlane = false;
    if (hasChromaInfo(profileIdc)) {
      chromaFormatIdc = r.readUe();
      if (chromaFormatIdc > 3) {
        throw new MediaFormatException("SPS: chroma_format_idc " + chromaFormatIdc + " above 3");
      }
      if (chromaFormatIdc == 3) {
        separateColourPlane = r.readFlag();
      }
      int bitDepthLuma = r.readUe() + 8;
      int bitDepthChroma = r.readUe() + 8;
      if (bitDepthLuma > 14 || bitDepthChroma > 14) {
        throw new MediaFormatException("SPS: bit depth " + Math.max(bitDepthLuma, bitDepthChroma) + " above 14");
      }
      r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
      if (r.readFlag()) { // seq_scaling_matrix_present_flag
        int lists = chromaFormatIdc != 3 ? 8 : 12;
        for (int i = 0; i < lists; i++) {
          if (r.readFlag()) { // seq_scaling_list_present_flag[i]
            skipScalingList(r, i < 6 ? 16 : 64);
          }
        }
      }
    }
    int log2MaxFrameNum = r.readUe() + 4;
    if (log2MaxFrameNum > 16) {
      throw new MediaFormatException("SPS: log2_max_frame_num " + log2MaxFrameNum + " above 16");
    }
    int picOrderCntType = r.readUe();
    if (picOrderCntType == 0) {
      int log2MaxPocLsb = r.readUe() + 4;
      if (log2MaxPocLsb > 16) {
        throw new MediaFormatException("SPS: log2_max_pic_order_cnt_lsb " + log2MaxPocLsb + " above 16");
      }
    } else if (picOrderCntType == 1) {
      r.skipBits(1); // delta_pic_order_always_zero_flag
      r.readSe(); // offset_for_non_ref_pic
      r.readSe(); // offset_for_top_to_bottom_field
      int cycle = r.readUe();
      if (cycle > 255) {
        throw new MediaFormatException("SPS: num_ref_frames_in_pic_order_cnt_cycle " + cycle + " above 255");
      }
      for (int i = 0; i < cycle; i++) {
        r.readSe(); // offset_for_ref_frame[i]
      }
    } else if (picOrderCntType != 2) {
      throw new MediaFormatException("SPS: pic_order_cnt_type " + picOrderCntType + " above 2");
    }
    r.readUe(); // max_num_ref_frames
    r.skipBits(1); // gaps_in_frame_num_value_allowed_flag
    int widthMbs = r.readUe() + 1;
    int heightMapUnits = r.readUe() + 1;
    if (widthMbs > MAX_MBS || heightMapUnits > MAX_MBS) {
      throw new MediaFormatException("SPS: picture of " + widthMbs + "x" + heightMapUnits + " macroblocks");
    }
    boolean frameMbsOnly = r.readFlag();
    if (!frameMbsOnly) {
      r.skipBits(1); // mb_adaptive_frame_field_flag
    }
    r.skipBits(1); // direct_8x8_inference_flag
    int width = widthMbs * 16;
    int height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
    if (r.readFlag()) { // frame_cropping_flag
      // 7.4.2.1.1: crop units depend on ChromaArrayType, which is 0 with separate colour planes
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      int cropUnitX = chromaArrayType == 0 || chromaArrayType == 3 ? 1 : 2;
      int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
      long left = r.readUe();
      long right = r.readUe();
      long top = r.readUe();
      long bottom = r.readUe();
      long cropX = (left + right) * cropUnitX;
      long cropY = (top + bottom) * cropUnitY;
      if (cropX >= width || cropY >= height) {
        throw new MediaFormatException("SPS: frame cropping " + cropX + "x" + cropY + " leaves nothing of "
            + width + "x" + height);
      }
      width -= (int) cropX;
      height -= (int) cropY;
    }
    return new AvcSps(profileIdc, constraintFlags, levelIdc, chromaFormatIdc, width, height);
  }

  /** The profile name as SRS reports it (srs_avc_profile2str). */
  public String profileName() {
    return profileName(profileIdc);
  }

  /** The level as SRS reports it: "3", "3.1", "4" (level_idc / 10). */
  public String levelName() {
    return levelName(levelIdc);
  }

  public static String profileName(int profileIdc) {
    return switch (profileIdc) {
      case 66 -> "Baseline";
      case 77 -> "Main";
      case 88 -> "Extended";
      case 100 -> "High";
      case 110 -> "High10";
      case 122 -> "High422";
      case 244 -> "High444";
      default -> "Other";
    };
  }

  public static String levelName(int levelIdc) {
    return levelIdc % 10 == 0 ? Integer.toString(levelIdc / 10) : levelIdc / 10 + "." + levelIdc % 10;
  }

  /** The profiles whose SPS carries chroma_format_idc and bit depths (H.264 7.3.2.1.1). */
  private static boolean hasChromaInfo(int profileIdc) {
    return switch (profileIdc) {
      case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
      default -> false;
    };
  }

  /** scaling_list() of H.264 7.3.2.1.1.1, read only to skip it. */
  private static void skipScalingList(BitReader r, int size) {
    int lastScale = 8;
    int nextScale = 8;
    for (int j = 0; j < size && nextScale != 0; j++) {
      int delta = r.readSe();
      if (delta < -128 || delta > 127) {
        throw new MediaFormatException("SPS: delta_scale " + delta + " outside -128..127");
      }
      nextScale = (lastScale + delta + 256) % 256;
      lastScale = nextScale == 0 ? lastScale : nextScale;
    }
  }

  /**
   * The RBSP of a NAL unit: its payload with every emulation_prevention_three_byte (the 03 of 00 00 03)
   * removed (H.264 7.3.1, 7.4.1).
   */
  public static byte[] unescape(byte[] nal, int offset, int length) {
    byte[] out = new byte[length];
    int n = 0;
    int zeros = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = nal[i];
      if (zeros >= 2 && b == 3) {
        zeros = 0;
        continue;
      }
      zeros = b == 0 ? zeros + 1 : 0;
      out[n++] = b;
    }
    return n == length ? out : Arrays.copyOf(out, n);
  }
}
