package io.estuary.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * The CRC of MPEG-2 PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial value 0xFFFFFFFF,
 * most significant bit first, no final XOR. A decoder computing it over a section including its CRC gets 0.
 */
final class Crc32 {

  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc = i << 24;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x80000000) != 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc32() {
  }

  static int compute(ByteBuf buf, int index, int length) {
    int crc = 0xFFFFFFFF;
    for (int i = index; i < index + length; i++) {
      crc = crc << 8 ^ TABLE[(crc >>> 24 ^ buf.getByte(i)) & 0xff];
    }
    return crc;
  }
}
