package io.estuary.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class HevcConfigTest {

  /** general_profile_idc 1 (Main), level 93 (3.1), lengthSizeMinusOne 3, then VPS, SPS, PPS and an SEI array. */
  private static final String RECORD = "01 01 60000000 000000000000 5d f000 fc fd f8 f8 0000 0f 04"
      + "a0 0001 0003 400c01"
      + "a1 0001 0004 42010101"
      + "a2 0001 0002 4401"
      + "27 0001 0002 4e01";

  private static HevcConfig parse(String hex) {
    ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
    try {
      return HevcConfig.parse(buf);
    } finally {
      assertTrue(buf.release());
    }
  }

  private static String fails(String hex) {
    return assertThrows(MediaFormatException.class, () -> parse(hex)).getMessage();
  }

  @Test
  void record() {
    HevcConfig config = parse(RECORD);
    assertEquals(1, config.profile());
    assertEquals(93, config.level());
    assertEquals(4, config.naluLengthSize());
    assertArrayEquals(ByteBufUtil.decodeHexDump("400c01"), config.vps().get(0));
    assertArrayEquals(ByteBufUtil.decodeHexDump("42010101"), config.sps().get(0));
    assertArrayEquals(ByteBufUtil.decodeHexDump("4401"), config.pps().get(0));
  }

  @Test
  void malformed() {
    String compact = RECORD.replaceAll("\\s", "");
    assertEquals("HEVC decoder configuration truncated: 3 bytes, at least 23 needed", fails("01 01 60"));
    assertEquals("HEVC decoder configuration version 2, expected 1", fails("02" + compact.substring(2)));
    assertEquals("HEVC decoder configuration: NAL unit of type 32 of 3 bytes, 2 readable",
        fails(compact.substring(0, 46 + 14)));
    assertEquals("HEVC decoder configuration truncated: array 3 of 4", fails(compact.substring(0, compact.length() - 14)));
    assertEquals("HEVC decoder configuration with 1 VPS, 1 SPS and 0 PPS, at least one of each needed",
        fails(compact.substring(0, 44) + "03" + compact.substring(46).replace("a20001", "a20000").replace("00024401", "")
            .replace("270001", "270000").replace("00024e01", "")));
    for (int n = 1; n < compact.length() / 2; n++) {
      String cut = compact.substring(0, 2 * n);
      assertThrows(MediaFormatException.class, () -> parse(cut), "truncated to " + n);
    }
  }
}
