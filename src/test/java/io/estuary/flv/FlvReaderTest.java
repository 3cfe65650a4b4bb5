package io.estuary.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlvReaderTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  /** An FLV stream: the header, then each tag written by FlvWriter. */
  private static ByteBuf stream(Object... typeTimestampBodyHex) {
    ByteBuf out = Unpooled.buffer();
    ByteBuf header = FlvWriter.header(ALLOC, true, true);
    out.writeBytes(header);
    header.release();
    for (int i = 0; i < typeTimestampBodyHex.length; i += 3) {
      ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump((String) typeTimestampBodyHex[i + 2]));
      ByteBuf tag = FlvWriter.tag(ALLOC, (Integer) typeTimestampBodyHex[i], (Long) typeTimestampBodyHex[i + 1], body);
      out.writeBytes(tag);
      tag.release();
      body.release();
    }
    return out;
  }

  private static void assertTag(FlvTag tag, int type, long timestamp, String bodyHex) {
    assertEquals(type, tag.type());
    assertEquals(timestamp, tag.timestamp());
    assertEquals(bodyHex, ByteBufUtil.hexDump(tag.body()));
    tag.release();
  }

  /** Every tag cut from {@code input} has been released. */
  private static void assertOnlyReference(ByteBuf input) {
    assertEquals(1, input.refCnt(), "references to the input left");
    assertTrue(input.release());
  }

  @Test
  void roundTripThroughWriterAndReader() {
    ByteBuf in = stream(18, 0L, "0200036162630500", 9, 0L, "1700000000", 8, 57L, "af0112", 9, 0xAB000040L, "270100");
    FlvReader reader = new FlvReader();
    List<FlvTag> tags = reader.readAll(in);
    assertEquals(new FlvHeader(1, true, true), reader.header());
    assertEquals(4, tags.size());
    assertTag(tags.get(0), 18, 0, "0200036162630500");
    assertTag(tags.get(1), 9, 0, "1700000000");
    assertTag(tags.get(2), 8, 57, "af0112");
    assertTag(tags.get(3), 9, 0xAB000040L, "270100");
    assertFalse(in.isReadable());
    assertTrue(reader.atBoundary());
    assertEquals(in.writerIndex(), reader.offset());
    assertOnlyReference(in);
  }

  @Test
  void bodiesAreSlicesOfTheInput() {
    ByteBuf in = stream(9, 0L, "1701");
    FlvTag tag = new FlvReader().next(in);
    in.setByte(13 + 11, 0x27); // the body's first byte in the input
    assertTag(tag, 9, 0, "2701");
    assertOnlyReference(in);
  }

  @Test
  void headerDataOffsetBeyondNineIsSkipped() {
    // DataOffset 12: three bytes of a future header extension before PreviousTagSize0.
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
        "464c5601050000000c" + "aabbcc" + "00000000" + "08000001" + "00000500000000" + "af" + "0000000c"));
    FlvReader reader = new FlvReader();
    assertTag(reader.next(in), 8, 5, "af");
    assertNull(reader.next(in));
    assertOnlyReference(in);
  }

  @Test
  void unknownAndEncryptedTagsAreSkipped() {
    ByteBuf in = Unpooled.buffer();
    ByteBuf head = FlvWriter.header(ALLOC, false, true);
    in.writeBytes(head);
    head.release();
    in.writeBytes(ByteBufUtil.decodeHexDump("0f000003" + "00000000000000" + "010203" + "0000000e")); // type 15
    in.writeBytes(ByteBufUtil.decodeHexDump("29000001" + "00000000000000" + "ff" + "0000000c")); // Filter bit + 9
    in.writeBytes(ByteBufUtil.decodeHexDump("09000001" + "00000700000000" + "17" + "0000000c"));
    FlvReader reader = new FlvReader();
    assertTag(reader.next(in), 9, 7, "17");
    assertNull(reader.next(in));
    assertOnlyReference(in);
  }

  @Test
  void unknownTagsAreSkippedAsTheyArriveWithoutBuffering() {
    FlvReader reader = new FlvReader();
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(ByteBufUtil.decodeHexDump("464c5601010000000900000000" + "0f000400" + "00000000000000"));
    in.writeZero(100); // 100 of the 1024 body bytes
    assertNull(reader.next(in));
    assertFalse(in.isReadable(), "what arrived of a skipped tag is consumed");
    in.clear().writeZero(924).writeInt(11 + 1024);
    in.writeBytes(ByteBufUtil.decodeHexDump("09000001" + "00000100000000" + "17" + "0000000c"));
    assertTag(reader.next(in), 9, 1, "17");
    assertOnlyReference(in);
  }

  @Test
  void incompleteInputWaitsForMore() {
    ByteBuf whole = stream(9, 40L, "2701020304");
    FlvReader reader = new FlvReader();
    ByteBuf in = Unpooled.buffer();
    // Every prefix short of the trailer's last byte yields nothing, and leaves the tag's bytes in place.
    for (int i = 0; i < whole.readableBytes() - 1; i++) {
      in.writeByte(whole.getByte(i));
      assertNull(reader.next(in), "after " + (i + 1) + " bytes");
    }
    assertFalse(reader.atBoundary());
    in.writeByte(whole.getByte(whole.readableBytes() - 1));
    assertTag(reader.next(in), 9, 40, "2701020304");
    assertTrue(reader.atBoundary());
    assertOnlyReference(in);
    assertTrue(whole.release());
  }

  @Test
  void badSignature() {
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("464c5801050000000900000000"));
    FlvReader reader = new FlvReader();
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> reader.next(in));
    assertTrue(e.getMessage().contains("not FLV: signature 46 4c 58 at offset 0"), e.getMessage());
    assertTrue(reader.failed());
    assertThrows(FlvFormatException.class, () -> reader.next(in), "no framing after a failure");
    assertTrue(in.release());
  }

  @Test
  void httpResponseIsNotFlv() {
    ByteBuf in = Unpooled.copiedBuffer("<html><body>404</body></html>", StandardCharsets.US_ASCII);
    assertThrows(FlvFormatException.class, () -> new FlvReader().next(in));
    assertTrue(in.release());
  }

  @Test
  void badVersion() {
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("464c5602050000000900000000"));
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> new FlvReader().next(in));
    assertTrue(e.getMessage().contains("FLV version 2"), e.getMessage());
    assertTrue(in.release());
  }

  @Test
  void dataOffsetShorterThanTheHeader() {
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("464c5601050000000500000000"));
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> new FlvReader().next(in));
    assertTrue(e.getMessage().contains("DataOffset 5"), e.getMessage());
    assertTrue(in.release());
  }

  @Test
  void nonZeroPreviousTagSize0() {
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("464c5601050000000900000010"));
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> new FlvReader().next(in));
    assertTrue(e.getMessage().contains("PreviousTagSize0 16 at offset 9"), e.getMessage());
    assertTrue(in.release());
  }

  @Test
  void badPreviousTagSizeNamesItsOffsetAndNoTagIsDelivered() {
    ByteBuf in = stream(9, 0L, "1700", 8, 23L, "af01");
    // The second tag's trailer: 13 header bytes + (11 + 2 + 4) + (11 + 2) = offset 43; it says 13.
    in.setInt(43, 14);
    FlvReader reader = new FlvReader();
    assertTag(reader.next(in), 9, 0, "1700");
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> reader.next(in));
    assertEquals("PreviousTagSize 14 at offset 43 does not match the 13 expected for the tag at offset 30",
        e.getMessage());
    assertOnlyReference(in);
  }

  @Test
  void badPreviousTagSizeAfterASkippedTag() {
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
        "464c5601050000000900000000" + "0f000001" + "00000000000000" + "aa" + "0000000b"));
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> new FlvReader().next(in));
    assertTrue(e.getMessage().contains("PreviousTagSize 11 at offset 25"), e.getMessage());
    assertTrue(in.release());
  }

  @Test
  void oversizedTagIsRejectedFromItsHeaderAlone() {
    FlvReader reader = new FlvReader(1000);
    // Only the header of a tag declaring 1001 bytes: rejected before a byte of the body arrives.
    ByteBuf in = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
        "464c5601050000000900000000" + "090003e9" + "00000000000000"));
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> reader.next(in));
    assertEquals("FLV tag at offset 13 declares 1001 bytes, above the maximum 1000", e.getMessage());
    assertTrue(in.release());
  }

  @Test
  void tagOfExactlyTheMaximumIsAccepted() {
    ByteBuf in = stream(9, 0L, "17000000");
    FlvTag tag = new FlvReader(4).next(in);
    assertTag(tag, 9, 0, "17000000");
    assertOnlyReference(in);
  }

  @Test
  void decoderInAPipelineDiscardsInputAfterAFailure() {
    EmbeddedChannel channel = new EmbeddedChannel(new FlvDecoder(16));
    ByteBuf good = stream(9, 0L, "1701");
    channel.writeInbound(good.retain());
    assertEquals(new FlvHeader(1, true, true), ((FlvDecoder) channel.pipeline().first()).header());
    assertTag(channel.readInbound(), 9, 0, "1701");
    ByteBuf oversized = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("09000011" + "00000000000000"));
    assertThrows(FlvFormatException.class, () -> channel.writeInbound(oversized));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {9, 0, 0, 1}));
    assertFalse(channel.finish(), "nothing decoded after the failure");
    assertOnlyReference(good);
  }
}
