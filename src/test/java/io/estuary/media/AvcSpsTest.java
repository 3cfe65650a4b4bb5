package io.estuary.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AvcSpsTest {

  private static AvcSps parse(String hex) {
    return AvcSps.parse(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
  }

  private static String fails(byte[] nal) {
    return assertThrows(MediaFormatException.class, () -> AvcSps.parse(nal)).getMessage();
  }

  /** SPS written by libx264 (ffmpeg 5.1) with the settings in the comments; sizes as ffprobe reports them. */
  @Test
  void x264Vectors() {
    // -profile:v main 640x360: 23x... no, 40x23 macroblocks, 368 lines cropped by 8
    assertEquals(new AvcSps(77, 0x40, 30, 1, 640, 360), parse("674d401eeca05017fcb808800000030080000019078b16cb"));
    // -pix_fmt yuv422p -profile:v high422 -x264-params cqm=jvt 642x362: chroma_format_idc 2, scaling lists,
    // crop units of 2 columns and 1 line
    assertEquals(new AvcSps(122, 0, 30, 2, 642, 362),
        parse("677a001ebcd940a42fe227c044000003000400000300c83c58b658"));
    // -pix_fmt yuv444p -profile:v high444 320x180: chroma_format_idc 3, crop units of 1
    assertEquals(new AvcSps(244, 0, 12, 3, 320, 180), parse("67f4000c919b282833f1b808800000030080000019078a14cb"));
    // -profile:v high -x264-params cqm=jvt 1366x768: scaling lists, 1376 columns cropped by 10
    assertEquals(new AvcSps(100, 0, 32, 1, 1366, 768),
        parse("67640020acd94056061e6f011000000300100000030320f1831960"));
    // -pix_fmt yuv420p10le -profile:v high10 1280x720
    assertEquals(new AvcSps(110, 0, 31, 1, 1280, 720), parse("676e001fa6cd9405005bb011000003000100000300320f183196"));
    // -profile:v baseline 176x144 (constrained baseline: constraint_set0 and 1)
    assertEquals(new AvcSps(66, 0xc0, 11, 1, 176, 144), parse("6742c00bd902c4ec0440000003004000000c83c50a92"));
  }

  @Test
  void namesAsSrsReportsThem() {
    assertEquals("Baseline", AvcSps.profileName(66));
    assertEquals("Main", AvcSps.profileName(77));
    assertEquals("Extended", AvcSps.profileName(88));
    assertEquals("High", AvcSps.profileName(100));
    assertEquals("High10", AvcSps.profileName(110));
    assertEquals("High422", AvcSps.profileName(122));
    assertEquals("High444", AvcSps.profileName(244));
    assertEquals("Other", AvcSps.profileName(1));
    assertEquals("3", AvcSps.levelName(30));
    assertEquals("3.1", AvcSps.levelName(31));
    assertEquals("4", AvcSps.levelName(40));
    assertEquals("5.2", AvcSps.levelName(52));
    assertEquals("1.1", AvcSps.levelName(11));
    assertEquals("0.9", AvcSps.levelName(9));
  }

  /** Main profile, interlaced (frame_mbs_only_flag 0), cropped: crop units are 2 columns and 4 lines. */
  @Test
  void handWrittenInterlacedWithCropping() {
    byte[] nal = new SpsWriter()
        .u(8, 77).u(8, 0).u(8, 30) // profile_idc, constraint flags, level_idc
        .ue(0) // seq_parameter_set_id
        .ue(0) // log2_max_frame_num_minus4
        .ue(0).ue(2) // pic_order_cnt_type 0, log2_max_pic_order_cnt_lsb_minus4
        .ue(4).u(1, 0) // max_num_ref_frames, gaps_in_frame_num_value_allowed_flag
        .ue(44) // pic_width_in_mbs_minus1: 720 columns
        .ue(17) // pic_height_in_map_units_minus1: 18 field map units = 576 lines
        .u(1, 0).u(1, 1) // frame_mbs_only_flag 0, mb_adaptive_frame_field_flag
        .u(1, 1) // direct_8x8_inference_flag
        .u(1, 1).ue(4).ue(4).ue(2).ue(2) // frame_cropping: 8+8 columns, 8+8 lines in units of 4 lines
        .u(1, 0) // vui_parameters_present_flag
        .nal();
    AvcSps sps = AvcSps.parse(nal);
    assertEquals(new AvcSps(77, 0, 30, 1, 704, 560), sps);
  }

  /** High profile with chroma_format_idc 0 (monochrome), explicit scaling lists, and pic_order_cnt_type 1. */
  @Test
  void handWrittenHighProfileMonochromeWithScalingLists() {
    SpsWriter w = new SpsWriter()
        .u(8, 100).u(8, 0).u(8, 40)
        .ue(1) // seq_parameter_set_id
        .ue(0) // chroma_format_idc 0: monochrome
        .ue(0).ue(0) // bit_depth_luma_minus8, bit_depth_chroma_minus8
        .u(1, 0) // qpprime_y_zero_transform_bypass_flag
        .u(1, 1); // seq_scaling_matrix_present_flag
    for (int i = 0; i < 8; i++) {
      w.u(1, 1); // seq_scaling_list_present_flag[i]
      int size = i < 6 ? 16 : 64;
      if (i == 2) {
        w.se(-8); // delta to 0: useDefaultScalingMatrixFlag, the list ends at once
      } else {
        for (int j = 0; j < size; j++) {
          w.se(j % 2 == 0 ? 3 : -2);
        }
      }
    }
    byte[] nal = w
        .ue(12) // log2_max_frame_num_minus4
        .ue(1).u(1, 0).se(-1).se(3).ue(3).se(1).se(-2).se(5) // pic_order_cnt_type 1 with a cycle of 3
        .ue(1).u(1, 0)
        .ue(119).ue(67) // 1920x1088
        .u(1, 1).u(1, 1) // frame_mbs_only_flag, direct_8x8_inference_flag
        .u(1, 1).ue(0).ue(0).ue(0).ue(4) // crop bottom 4 lines (monochrome: units of 1)
        .u(1, 0)
        .nal();
    assertEquals(new AvcSps(100, 0, 40, 0, 1920, 1084), AvcSps.parse(nal));
  }

  @Test
  void emulationPreventionBytesAreRemoved() {
    assertArrayEquals(new byte[] {1, 0, 0, 3, 0, 0, 1, 0, 0}, AvcSps.unescape(
        new byte[] {1, 0, 0, 3, 3, 0, 0, 3, 1, 0, 0, 3}, 0, 12));
    assertArrayEquals(new byte[] {0, 0, 0, 0}, AvcSps.unescape(new byte[] {0, 0, 3, 0, 0, 3}, 0, 6));
    // The 1080p test media SPS: "00 00 03 00 02 00 00 03 00 64": the escaped bytes hold the VUI timing
    byte[] nal = ByteBufUtil.decodeHexDump("674d4028eca03c0113f2e022000003000200000300641e30632c");
    assertEquals(new AvcSps(77, 0x40, 40, 1, 1920, 1080), AvcSps.parse(nal));
  }

  @Test
  void malformed() {
    assertEquals("SPS truncated: 2 bytes, at least 4 needed", fails(new byte[] {0x67, 0x4d}));
    assertEquals("not an SPS: nal_unit_type 8", fails(new byte[] {0x68, 0x4d, 0x40, 0x1e, 0}));
    byte[] good = ByteBufUtil.decodeHexDump("674d401eeca05017fcb808800000030080000019078b16cb");
    // Cut before frame_cropping: the reader runs out of bits.
    String message = fails(Arrays.copyOf(good, 8));
    assertEquals(true, message.startsWith("SPS truncated: "), message);
    assertEquals("SPS: chroma_format_idc 4 above 3",
        fails(new SpsWriter().u(8, 100).u(8, 0).u(8, 30).ue(0).ue(4).nal()));
    assertEquals("SPS: seq_parameter_set_id 32 above 31", fails(new SpsWriter().u(8, 77).u(8, 0).u(8, 30).ue(32).nal()));
    assertEquals("SPS: pic_order_cnt_type 3 above 2",
        fails(new SpsWriter().u(8, 77).u(8, 0).u(8, 30).ue(0).ue(0).ue(3).nal()));
    assertEquals("SPS: frame cropping 32x0 leaves nothing of 32x16", fails(new SpsWriter()
        .u(8, 77).u(8, 0).u(8, 30).ue(0).ue(0).ue(2).ue(1).u(1, 0).ue(1).ue(0).u(1, 1).u(1, 1)
        .u(1, 1).ue(8).ue(8).ue(0).ue(0).nal()));
  }

  /** Cut short before frame cropping, the SPS fails; once past it (the VUI is not read), it parses whole. */
  @Test
  void everyTruncationThrowsTheFormatExceptionOrParsesWhatItNeeds() {
    byte[] good = ByteBufUtil.decodeHexDump("677a001ebcd940a42fe227c044000003000400000300c83c58b658");
    AvcSps whole = AvcSps.parse(good);
    int firstParsed = -1;
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      try {
        assertEquals(whole, AvcSps.parse(cut));
        firstParsed = firstParsed < 0 ? n : firstParsed;
      } catch (MediaFormatException e) {
        assertEquals(-1, firstParsed, "failed at " + n + " after parsing at " + firstParsed);
      }
    }
    assertEquals(11, firstParsed);
  }
}
