package io.estuary.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.testing.TestMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AvcConfigTest {

  private static byte[] hex(String hex) {
    return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", ""));
  }

  /** Parses the record after the 5-byte FLV video tag header, as a server does with a sequence header. */
  private static AvcConfig parseFlvBody(byte[] body) {
    ByteBuf buf = Unpooled.wrappedBuffer(body);
    try {
      buf.skipBytes(FlvTags.AVC_HEADER_LENGTH);
      int before = buf.readerIndex();
      AvcConfig config = AvcConfig.parse(buf);
      assertEquals(before, buf.readerIndex(), "parse must not move the reader index");
      return config;
    } finally {
      assertTrue(buf.release());
    }
  }

  private static MediaFormatException fails(String recordHex) {
    ByteBuf buf = Unpooled.wrappedBuffer(hex(recordHex));
    try {
      return assertThrows(MediaFormatException.class, () -> AvcConfig.parse(buf));
    } finally {
      assertTrue(buf.release());
    }
  }

  @Test
  void sequenceHeaderOf360pTestMedia() throws Exception {
    byte[] body = TestMedia.sequenceHeader("h264-aac-640x360.flv", FlvTags.TAG_VIDEO);
    AvcConfig config = parseFlvBody(body);
    assertEquals(77, config.profile());
    assertEquals("Main", config.profileName());
    assertEquals(30, config.level());
    assertEquals("3", config.levelName());
    assertEquals(4, config.naluLengthSize());
    assertEquals(640, config.width());
    assertEquals(360, config.height());
    assertEquals(1, config.sps().size());
    assertArrayEquals(hex("674d401eeca05017fcb808800000030080000019078b16cb"), config.sps().get(0));
    assertEquals(1, config.pps().size());
    assertArrayEquals(hex("68efbc80"), config.pps().get(0));
    assertEquals("AVC Main@3 640x360", config.toString());
  }

  /** 1080 is not a multiple of 16: the SPS codes 1088 lines and crops 8 (frame_crop_bottom_offset 4). */
  @Test
  void sequenceHeaderOf1080pTestMediaIsCropped() throws Exception {
    AvcConfig config = parseFlvBody(TestMedia.sequenceHeader("h264-aac-1080p.flv", FlvTags.TAG_VIDEO));
    assertEquals("Main", config.profileName());
    assertEquals("4", config.levelName());
    assertEquals(1920, config.width());
    assertEquals(1080, config.height());
  }

  @Test
  void goldenRecordBytes() {
    AvcConfig config = parseFlvBody(hex("17 00 00 00 00 01 4d 40 1e ff e1 00 18"
        + "674d401eeca05017fcb808800000030080000019078b16cb 01 0004 68efbc80"));
    assertEquals(640, config.width());
    assertEquals(0x40, config.compatibility());
  }

  @Test
  void naluLengthSizeComesFromTheLowBits() {
    AvcConfig config = parseFlvBody(hex("17 00 00 00 00 01 4d 40 1e fd e1 00 18"
        + "674d401eeca05017fcb808800000030080000019078b16cb 01 0004 68efbc80"));
    assertEquals(2, config.naluLengthSize());
  }

  @Test
  void truncatedAndMalformedRecords() {
    String sps = "0018 674d401eeca05017fcb808800000030080000019078b16cb";
    assertEquals("AVC decoder configuration truncated: 3 bytes, at least 7 needed", fails("01 4d 40").getMessage());
    assertEquals("AVC decoder configuration version 0, expected 1", fails("00 4d 40 1e ff e1 00").getMessage());
    assertEquals("AVC decoder configuration: SPS 0 of 24 bytes, 4 readable",
        fails("01 4d 40 1e ff e1 0018 674d401e").getMessage());
    assertEquals("AVC decoder configuration truncated: no PPS count after 1 SPS",
        fails("01 4d 40 1e ff e1" + sps).getMessage());
    assertEquals("AVC decoder configuration: PPS 0 of 4 bytes, 2 readable",
        fails("01 4d 40 1e ff e1" + sps + "01 0004 68ef").getMessage());
    assertEquals("AVC decoder configuration with 1 SPS and 0 PPS, at least one of each needed",
        fails("01 4d 40 1e ff e1" + sps + "00").getMessage());
    assertEquals("AVC decoder configuration with 0 SPS and 1 PPS, at least one of each needed",
        fails("01 4d 40 1e ff e0 01 0004 68efbc80").getMessage());
    assertEquals("AVC decoder configuration: SPS 0 of 0 bytes, 4 readable",
        fails("01 4d 40 1e ff e1 0000 01 0001 68").getMessage());
    assertEquals("not an SPS: nal_unit_type 8", fails("01 4d 40 1e ff e1 0004 68efbc80 01 0004 68efbc80").getMessage());
    assertEquals("AVC decoder configuration: PPS of nal_unit_type 7",
        fails("01 4d 40 1e ff e1" + sps + "01 0004 67efbc80").getMessage());
  }

  @Test
  void garbageNeverReadsPastTheBuffer() {
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      if (bytes.length > 0) {
        bytes[0] = 1;
      }
      ByteBuf buf = Unpooled.wrappedBuffer(bytes);
      try {
        AvcConfig.parse(buf);
      } catch (MediaFormatException expected) {
        // the only failure allowed
      } finally {
        buf.release();
      }
    }
    // A valid record with every possible truncation.
    byte[] good = hex("01 4d 40 1e ff e1 0018 674d401eeca05017fcb808800000030080000019078b16cb 01 0004 68efbc80");
    for (int n = 0; n < good.length; n++) {
      ByteBuf buf = Unpooled.wrappedBuffer(Arrays.copyOf(good, n));
      try {
        assertThrows(MediaFormatException.class, () -> AvcConfig.parse(buf), "truncated to " + n);
      } finally {
        buf.release();
      }
    }
  }
}
