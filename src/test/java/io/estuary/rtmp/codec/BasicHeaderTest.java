package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BasicHeaderTest {

  /** RTMP spec 5.3.1.1 test vectors: format, chunk stream id, header bytes. */
  @ParameterizedTest
  @CsvSource({
      "0, 2,     02",
      "0, 3,     03",
      "3, 6,     c6",
      "1, 63,    7f",
      "0, 64,    0000",
      "2, 65,    8001",
      "0, 319,   00ff",
      "0, 320,   010001",
      "3, 321,   c10101",
      "0, 65599, 01ffff",
  })
  void writesAndReadsEachWidth(int fmt, int csid, String hex) {
    ByteBuf out = Unpooled.buffer();
    BasicHeader.write(out, fmt, csid);
    assertEquals(hex.length() / 2, BasicHeader.lengthOf(csid));
    assertEquals(BasicHeader.lengthOf(csid), BasicHeader.length(out.getUnsignedByte(0)));
    assertEquals(fmt, out.getUnsignedByte(0) >>> 6);
    assertEquals(csid, BasicHeader.chunkStreamId(out, 0));
    assertEquals(hex, Bytes.hexAndRelease(out));
  }

  @Test
  void rejectsIdsOutsideTheRange() {
    ByteBuf out = Unpooled.buffer();
    assertThrows(IllegalArgumentException.class, () -> BasicHeader.write(out, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> BasicHeader.write(out, 0, 65600));
    out.release();
  }
}
