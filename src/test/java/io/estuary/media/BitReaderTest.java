package io.estuary.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

class BitReaderTest {

  private static BitReader bits(String hex) {
    return new BitReader(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")), "test");
  }

  @Test
  void fixedWidthFieldsAreMostSignificantBitFirst() {
    BitReader r = bits("A5 0F FF FF FF FF");
    assertEquals(0b101, r.readBits(3));
    assertFalse(r.readFlag());
    assertEquals(0b0101, r.readBits(4));
    assertEquals(0x0F, r.readInt(8));
    assertEquals(0xFFFFFFFFL, r.readBits(32));
    assertEquals(0, r.bitsLeft());
  }

  /** H.264 Table 9-2: bit strings and their codeNum. */
  @Test
  void unsignedExpGolomb() {
    // 1 | 010 | 011 | 00100 | 00101 | 00110 | 00111 | 0001000 | 1 (pad) = 1010 0110 0100 0010 1001 1000 1110 0010 001
    BitReader r = bits("A6 42 98 E2 20");
    for (int expected = 0; expected <= 7; expected++) {
      assertEquals(expected, r.readUe());
    }
    assertEquals(0, r.readUe()); // the single 1 after it
  }

  /** H.264 Table 9-3: codeNum 0, 1, 2, 3, 4 are 0, 1, -1, 2, -2. */
  @Test
  void signedExpGolomb() {
    // 1 | 010 | 011 | 00100 | 00101 | 000 (pad)
    BitReader r = bits("A6 42 80");
    assertEquals(0, r.readSe());
    assertEquals(1, r.readSe());
    assertEquals(-1, r.readSe());
    assertEquals(2, r.readSe());
    assertEquals(-2, r.readSe());
  }

  @Test
  void largestExpGolombCode() {
    // 30 zeros, 1, then 30 ones: 2^31 - 2
    BitReader r = bits("00 00 00 03 FF FF FF FE");
    assertEquals(Integer.MAX_VALUE - 1, r.readUe());
    MediaFormatException e = assertThrows(MediaFormatException.class, () -> bits("00 00 00 01 FF FF FF FF").readUe());
    assertTrue(e.getMessage().contains("more than 30 leading zeros"), e.getMessage());
  }

  @Test
  void readingPastTheEndThrows() {
    BitReader r = bits("FF");
    r.skipBits(5);
    MediaFormatException e = assertThrows(MediaFormatException.class, () -> r.readBits(4));
    assertEquals("test truncated: 4 more bits needed at bit 5, 3 left", e.getMessage());
    assertThrows(MediaFormatException.class, () -> bits("00").readUe());
    assertThrows(MediaFormatException.class, () -> bits("").readFlag());
  }

  @Test
  void offsetAndLength() {
    BitReader r = new BitReader(new byte[] {0, (byte) 0x80, 0}, 1, 1, "test");
    assertTrue(r.readFlag());
    assertEquals(7, r.bitsLeft());
  }
}
