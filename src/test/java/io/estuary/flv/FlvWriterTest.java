package io.estuary.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlvWriterTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private static String hexAndRelease(ByteBuf buf) {
    try {
      return ByteBufUtil.hexDump(buf);
    } finally {
      assertTrue(buf.release());
    }
  }

  @Test
  void headerForAudioAndVideo() {
    // FLV spec E.2: "FLV", version 1, flags 0b101, DataOffset 9; then PreviousTagSize0 = 0.
    assertEquals("464c5601050000000900000000", hexAndRelease(FlvWriter.header(ALLOC, true, true)));
  }

  @Test
  void headerFlagsForOneTrack() {
    assertEquals("464c5601040000000900000000", hexAndRelease(FlvWriter.header(ALLOC, true, false)));
    assertEquals("464c5601010000000900000000", hexAndRelease(FlvWriter.header(ALLOC, false, true)));
  }

  @Test
  void tagHeaderFields() {
    ByteBuf out = Unpooled.buffer();
    FlvWriter.writeTagHeader(out, 9, 0x123456, 0x000abc);
    // type, DataSize, Timestamp (low 24 bits), TimestampExtended, StreamID
    assertEquals("09" + "000abc" + "123456" + "00" + "000000", hexAndRelease(out));
  }

  @Test
  void tagHeaderCarriesTheTimestampsHighByteInTimestampExtended() {
    ByteBuf out = Unpooled.buffer();
    FlvWriter.writeTagHeader(out, 8, 0xAB123456L, 7); // 33 days: beyond the 24 bits (4.6 hours)
    assertEquals("08" + "000007" + "123456" + "ab" + "000000", hexAndRelease(out));
  }

  @Test
  void tagHeaderKeepsAllOf32BitTimestamps() {
    ByteBuf out = Unpooled.buffer();
    FlvWriter.writeTagHeader(out, 8, 0xFFFFFFFFL, 0);
    assertEquals("08" + "000000" + "ffffff" + "ff" + "000000", hexAndRelease(out));
  }

  @Test
  void previousTagSizeIsHeaderPlusBody() {
    ByteBuf out = Unpooled.buffer();
    FlvWriter.writePreviousTagSize(out, 300);
    assertEquals("00000137", hexAndRelease(out)); // 11 + 300 = 311
  }

  @Test
  void dataSizeMustFit24Bits() {
    ByteBuf out = Unpooled.buffer();
    assertThrows(IllegalArgumentException.class, () -> FlvWriter.writeTagHeader(out, 9, 0, 0x1000000));
    assertThrows(IllegalArgumentException.class, () -> FlvWriter.writePreviousTagSize(out, -1));
    assertEquals(0, out.writerIndex());
    assertTrue(out.release());
  }

  @Test
  void tagIsHeaderPayloadAndTrailerWithoutCopyingThePayload() {
    ByteBuf payload = Unpooled.wrappedBuffer(new byte[] {0x17, 0x01, 0x02, 0x03, 0x04});
    payload.readerIndex(1); // only the readable bytes are framed
    ByteBuf tag = FlvWriter.tag(ALLOC, 9, 0x01000002L, payload);
    assertEquals(2, payload.refCnt(), "the tag holds its own reference");
    assertEquals(1, payload.readerIndex(), "the caller's indices are untouched");
    assertEquals("09" + "000004" + "000002" + "01" + "000000" + "01020304" + "0000000f", ByteBufUtil.hexDump(tag));
    payload.setByte(2, 0x7f); // the tag sees the change: it shares the bytes
    assertEquals("09" + "000004" + "000002" + "01" + "000000" + "017f0304" + "0000000f", ByteBufUtil.hexDump(tag));
    assertTrue(tag.release());
    assertTrue(payload.release());
  }

  @Test
  void tagOfEmptyPayload() {
    ByteBuf payload = Unpooled.buffer(0);
    ByteBuf tag = FlvWriter.tag(ALLOC, 8, 40, payload);
    assertEquals("08" + "000000" + "000028" + "00" + "000000" + "0000000b", ByteBufUtil.hexDump(tag));
    assertTrue(tag.release());
    assertTrue(payload.release());
  }

  @Test
  void onMetaDataIsANameAndAnEcmaArray() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("width", 640.0);
    metadata.put("stereo", true);
    ByteBuf body = FlvWriter.onMetaData(ALLOC, metadata);
    assertEquals("02000a6f6e4d65746144617461" // "onMetaData"
        + "08" + "00000002" // ECMA array of 2
        + "0005" + "7769647468" + "00" + "4084000000000000" // width: 640.0
        + "0006" + "73746572656f" + "01" + "01" // stereo: true
        + "000009", ByteBufUtil.hexDump(body));
    ScriptData script = ScriptData.decode(body);
    assertEquals("onMetaData", script.name());
    assertEquals(metadata, script.metadata());
    assertTrue(script.values().get(0) instanceof EcmaArray);
    assertTrue(body.release());
  }
}
