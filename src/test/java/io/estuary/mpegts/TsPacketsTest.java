package io.estuary.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TsPacketsTest {

  private static String hex(Consumer<ByteBuf> writer) {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.accept(out);
      return ByteBufUtil.hexDump(out);
    } finally {
      assertTrue(out.release());
    }
  }

  @Test
  void crc32Mpeg2CheckValue() {
    ByteBuf buf = Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
    try {
      assertEquals(0x0376E6E7, Crc32.compute(buf, 0, 9)); // CRC-32/MPEG-2 check value
      assertEquals(0xFFFFFFFF, Crc32.compute(buf, 0, 0));
    } finally {
      assertTrue(buf.release());
    }
  }

  /** ffmpeg's PAT (PMT on PID 0x1000) ends in 2a b1 04 b2; a section with its CRC checks to 0. */
  @Test
  void crc32OfFfmpegPat() {
    ByteBuf pat = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("00b00d0001c100000001f0002ab104b2"));
    try {
      assertEquals(0x2ab104b2, Crc32.compute(pat, 0, 12));
      assertEquals(0, Crc32.compute(pat, 0, 16));
    } finally {
      assertTrue(pat.release());
    }
  }

  /** 2.4.3.7: '0011' PTS, then '0001' DTS, each 33 bits split 3/15/15 around marker bits. */
  @Test
  void pesHeaderWithPtsAndDts() {
    // dts 1000 ms = 90000 = 0x15f90, pts 1080 ms = 97200 = 0x17bb0
    assertEquals("000001e0 0000 80 c0 0a 310005f761 110005bf21",
        spaced(hex(out -> TsPackets.writePesHeader(out, 0xe0, 97200, 90000, 0)), 8, 12, 14, 16, 18, 28));
    assertEquals(19, TsPackets.pesHeaderLength(true));
  }

  @Test
  void pesHeaderWithPtsOnly() {
    assertEquals("000001c0 0175 80 80 05 210005bf21",
        spaced(hex(out -> TsPackets.writePesHeader(out, 0xc0, 90000, 90000, 373)), 8, 12, 14, 16, 18));
    assertEquals(14, TsPackets.pesHeaderLength(false));
  }

  @Test
  void timestampsWrapAt33Bits() {
    assertEquals("3fffffffff", hex(out -> TsPackets.writeTimestamp(out, 0b0011, (1L << 33) - 1)));
    assertEquals("2100010001", hex(out -> TsPackets.writeTimestamp(out, 0b0010, 1L << 33)));
    assertEquals("2100010003", hex(out -> TsPackets.writeTimestamp(out, 0b0010, 1)));
  }

  /** 2.4.3.5: base / 2 in 32 bits, the base's low bit, 6 reserved ones, a 9-bit extension of 0. */
  @Test
  void pcrEncoding() {
    assertEquals("0000afc87e00", hex(out -> TsPackets.writePcr(out, 90000)));
    assertEquals("00000000fe00", hex(out -> TsPackets.writePcr(out, 1)));
    assertEquals("fffffffffe00", hex(out -> TsPackets.writePcr(out, (1L << 33) - 1)));
  }

  @Test
  void adaptationFields() {
    assertEquals("00", hex(out -> TsPackets.writeAdaptation(out, 0, -1, false)));
    assertEquals("0100", hex(out -> TsPackets.writeAdaptation(out, 1, -1, false)));
    assertEquals("0340ffff", hex(out -> TsPackets.writeAdaptation(out, 3, -1, true)));
    assertEquals("07500000afc87e00", hex(out -> TsPackets.writeAdaptation(out, 7, 90000, true)));
    assertEquals("08100000afc87e00ff", hex(out -> TsPackets.writeAdaptation(out, 8, 90000, false)));
  }

  private static String spaced(String hex, int... cuts) {
    StringBuilder b = new StringBuilder(hex);
    for (int i = cuts.length - 1; i >= 0; i--) {
      if (cuts[i] < b.length()) {
        b.insert(cuts[i], ' ');
      }
    }
    return b.toString();
  }
}
