package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.SetPeerBandwidth;
import io.estuary.rtmp.message.UserControl;
import io.estuary.rtmp.message.WindowAckSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkEncoderTest {

  private static String encode(EmbeddedChannel channel, RtmpMessage msg) {
    assertTrue(channel.writeOutbound(msg));
    return Bytes.hexAndRelease(channel.readOutbound());
  }

  private static String h(String spaced) {
    return spaced.replaceAll("\\s", "");
  }

  private static ByteBuf payload(int length, int seed) {
    ByteBuf payload = Unpooled.buffer(length);
    for (int i = 0; i < length; i++) {
      payload.writeByte(seed + i);
    }
    return payload;
  }

  private static String hexOf(ByteBuf buf, int from, int length) {
    return ByteBufUtil.hexDump(buf, from, length);
  }

  @Test
  void protocolControlMessagesOnChunkStream2() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    assertEquals(h("02 000000 000004 05 00000000 002625a0"), encode(channel, new WindowAckSize(2500000)));
    assertEquals(h("02 000000 000005 06 00000000 002625a0 02"), encode(channel, new SetPeerBandwidth(2500000, SetPeerBandwidth.LIMIT_DYNAMIC)));
    assertEquals(h("02 000000 000006 04 00000000 0000 00000001"), encode(channel, new UserControl(UserControl.STREAM_BEGIN, 1)));
    assertEquals(h("02 000000 00000a 04 00000000 0003 00000001 00000bb8"), encode(channel, new UserControl(UserControl.SET_BUFFER_LENGTH, 1, 3000)));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void setChunkSizeAppliesToTheMessagesAfterIt() {
    ChunkEncoder encoder = new ChunkEncoder();
    EmbeddedChannel channel = new EmbeddedChannel(encoder);
    assertEquals(h("02 000000 000004 01 00000000 00001000"), encode(channel, new SetChunkSize(4096)));
    assertEquals(4096, encoder.chunkSize());
    ByteBuf payload = payload(300, 0);
    String expected = h("06 000000 00012c 09 01000000") + hexOf(payload, 0, 300);
    assertEquals(expected, encode(channel, new Media(9, 1, 0, payload)));
    assertEquals(0, payload.refCnt());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void invalidChunkSizeIsRefused() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    assertThrows(EncoderException.class, () -> channel.writeOutbound(new SetChunkSize(0)));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void mediaIsChunkedWithoutCopyingThePayload() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    ByteBuf payload = payload(200, 0);
    String body = hexOf(payload, 0, 200);
    channel.writeOutbound(new Media(9, 1, 40, payload));
    ByteBuf out = channel.readOutbound();
    assertTrue(out instanceof CompositeByteBuf, "header bytes and slices of the payload");
    assertTrue(payload.refCnt() > 0, "the encoder released the message; the output holds slices of the payload");
    assertEquals(h("06 000028 0000c8 09 01000000") + body.substring(0, 256) + "c6" + body.substring(256), Bytes.hexAndRelease(out));
    assertEquals(0, payload.refCnt());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void audioGoesOnChunkStream7() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    assertEquals(h("07 000000 000002 08 01000000 af01"), encode(channel, new Media(8, 1, 0, Bytes.hex("af01"))));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void extendedTimestampIsRepeatedOnContinuationChunks() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    ByteBuf payload = payload(200, 7);
    String body = hexOf(payload, 0, 200);
    assertEquals(h("06 ffffff 0000c8 09 01000000 01000000") + body.substring(0, 256) + "c601000000" + body.substring(256),
        encode(channel, new Media(9, 1, 0x01000000L, payload)));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void timestampsAreWrittenModulo2To32() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    assertEquals(h("06 ffffff 000001 09 01000000 80000010 17"), encode(channel, new Media(9, 1, 0x80000010L, Bytes.hex("17"))));
    assertEquals(h("06 ffffff 000001 09 01000000 ffffffff 17"), encode(channel, new Media(9, 1, 0xFFFFFFFFL, Bytes.hex("17"))));
    assertEquals(h("06 000010 000001 09 01000000 17"), encode(channel, new Media(9, 1, 0x100000010L, Bytes.hex("17"))),
        "a stream's time past 2^32 wraps as RTMP's does");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void commandsAndDataGoOnSrsChunkStreams() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    // _result(1, null, "ok"): 02 0007 "_result", 00 1.0, 05, 02 0002 "ok"
    assertEquals(h("03 000000 000019 14 00000000 02 0007 5f726573756c74 00 3ff0000000000000 05 02 0002 6f6b"),
        encode(channel, new CommandMessage(0, "_result", 1, null, "ok")));
    assertTrue(encode(channel, new CommandMessage(1, "onStatus", 0, null)).startsWith(h("05 000000 000015 14 01000000")));
    assertTrue(encode(channel, new DataMessage(1, 0, List.of("onMetaData"))).startsWith(h("05 000000 00000d 12 01000000")));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void longCommandIsSplitIntoChunks() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    String text = "x".repeat(200);
    String hex = encode(channel, new CommandMessage(0, text, 0, null));
    // 3 + 200 + 9 + 1 = 213 bytes of AMF: a format 0 chunk of 128 bytes, then c3 and 85 more
    assertEquals(h("03 000000 0000d5 14 00000000").length() + 2 * 213 + 2, hex.length());
    assertEquals("c3", hex.substring(24 + 256, 24 + 258));
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void buffersPassThroughUntouched() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    ByteBuf raw = Bytes.hex("0102");
    channel.writeOutbound(raw);
    assertSame(raw, channel.readOutbound());
    assertTrue(raw.release());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void sharedBodyPlusOwnHeaderIsWhatTheEncoderWrites() {
    for (int length : new int[] {0, 100, 128, 129, 1000, 4096}) {
      EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
      ByteBuf payload = payload(length, length);
      ByteBuf body = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, payload, 128, ChunkEncoder.CSID_VIDEO);
      ByteBuf player = Unpooled.buffer();
      ChunkEncoder.writeHeader0(player, ChunkEncoder.CSID_VIDEO, 123456, length, 9, 1);
      player.writeBytes(body, body.readerIndex(), body.readableBytes());
      body.release();
      assertEquals(1, payload.refCnt(), "the chunked body let go of the payload");

      assertEquals(Bytes.hexAndRelease(player), encode(channel, new Media(9, 1, 123456, payload)), "payload of " + length);
      assertEquals(0, payload.refCnt());
      assertFalse(channel.finishAndReleaseAll());
    }
  }

  @Test
  void sharedBodyOnWideChunkStreamIdDecodes() {
    ByteBuf payload = payload(300, 3);
    String payloadHex = hexOf(payload, 0, 300);
    CompositeByteBuf wire = Unpooled.compositeBuffer();
    ByteBuf header = Unpooled.buffer();
    ChunkEncoder.writeHeader0(header, 320, 77, 300, 8, 1);
    wire.addComponent(true, header);
    wire.addComponent(true, ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, payload, 128, 320));
    payload.release(); // the chunked body holds its own references

    EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder());
    decoder.writeInbound(wire);
    Media media = decoder.readInbound();
    assertEquals(77, media.timestamp());
    assertEquals(payloadHex, ByteBufUtil.hexDump(media.payload()));
    media.release();
    assertFalse(decoder.finishAndReleaseAll());
    assertEquals(0, payload.refCnt());
  }

  /** Everything the channel wrote since the last read, as one hex string; each buffer released. */
  private static String written(EmbeddedChannel channel) {
    StringBuilder hex = new StringBuilder();
    for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
      hex.append(Bytes.hexAndRelease(buf));
    }
    return hex.toString();
  }

  @Test
  void sharedChunksAreTheSameBytesAsTheMessageAndTheBodyIsNotCopied() {
    for (int length : new int[] {0, 100, 128, 129, 1000, 4096}) {
      EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
      ByteBuf payload = payload(length, length);
      ByteBuf chunked = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, payload, 128, ChunkEncoder.CSID_VIDEO);
      String expected = encode(channel, new Media(9, 1, 123456, payload.retainedDuplicate()));

      channel.writeAndFlush(SharedChunks.of(9, 1, 123456, payload, chunked, 128));
      ByteBuf header = channel.readOutbound();
      ByteBuf body = channel.readOutbound();
      assertEquals(expected, Bytes.hexAndRelease(header) + ByteBufUtil.hexDump(body), "payload of " + length);
      ByteBuf shared = length <= 128 ? payload : chunked;
      int held = shared.refCnt();
      body.release();
      assertEquals(held - 1, shared.refCnt(), "what was written is a duplicate of the shared body, not a copy");
      chunked.release();
      payload.release();
      assertEquals(0, payload.refCnt(), "every reference the encoder took was let go");
      assertFalse(channel.finishAndReleaseAll());
    }
  }

  @Test
  void sharedChunksOfAnotherChunkSizeOrAnExtendedTimestampAreChunkedForThisConnection() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    encode(channel, new SetChunkSize(4096));
    ByteBuf payload = payload(5000, 7);
    ByteBuf chunked = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, payload, 128, ChunkEncoder.CSID_AUDIO);

    String expected = encode(channel, new Media(8, 1, 40, payload.retainedDuplicate()));
    channel.writeAndFlush(SharedChunks.of(8, 1, 40, payload, chunked, 128));
    assertEquals(expected, written(channel), "chunked for 4096, not the shared 128");

    String extended = encode(channel, new Media(8, 1, 0x1000000, payload.retainedDuplicate()));
    channel.writeAndFlush(SharedChunks.of(8, 1, 0x1000000, payload, null, 0));
    assertEquals(extended, written(channel), "the extended timestamp repeated on each chunk");

    assertTrue(chunked.release());
    assertTrue(payload.release());
    assertFalse(channel.finishAndReleaseAll());
  }

  /** The buffer under slices and leak-detection wrappers. */
  private static ByteBuf root(ByteBuf buf) {
    while (buf.unwrap() != null) {
      buf = buf.unwrap();
    }
    return buf;
  }

  @Test
  void sharedChunksOfOneFlushShareOneHeaderBuffer() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(new UnpooledByteBufAllocator(false)));
    ByteBuf payload = payload(10, 1);
    channel.write(SharedChunks.of(9, 1, 0, payload, null, 0));
    channel.write(SharedChunks.of(9, 1, 40, payload, null, 0));
    channel.flush();
    ByteBuf first = channel.readOutbound();
    channel.<ByteBuf>readOutbound().release();
    ByteBuf second = channel.readOutbound();
    channel.<ByteBuf>readOutbound().release();
    assertSame(root(first), root(second), "two headers, one buffer");
    first.release();
    assertTrue(second.release(), "the flush let go of the header buffer; the last slice frees it");
    assertTrue(payload.release());
    assertFalse(channel.finishAndReleaseAll());
  }

  /** One shared message written through the encoder: its bytes, and whether they include the shared chunked body. */
  private record Written(String hex, boolean sharedBody) {
  }

  private static Written writeShared(EmbeddedChannel channel, int typeId, int streamId, long timestamp, ByteBuf payload,
                                     ByteBuf chunked) {
    int before = chunked.refCnt();
    channel.writeAndFlush(SharedChunks.of(typeId, streamId, timestamp, payload, chunked, 128));
    boolean shared = chunked.refCnt() > before;
    String hex = drained(channel);
    assertEquals(before, chunked.refCnt(), "what was written held the shared body; nothing else does");
    return new Written(hex, shared);
  }

  /** Everything the channel wrote, as one hex string; each buffer released, duplicates of shared ones included. */
  private static String drained(EmbeddedChannel channel) {
    StringBuilder hex = new StringBuilder();
    for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
      hex.append(ByteBufUtil.hexDump(buf));
      buf.release(); // a duplicate of a shared buffer frees nothing
    }
    return hex.toString();
  }

  @Test
  void sharedChunksPast2To24GoOutWithAFormat1DeltaBeforeTheSharedBody() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    ByteBuf payload = payload(200, 9);
    String body = hexOf(payload, 0, 200);
    ByteBuf chunked = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, payload, 128, ChunkEncoder.CSID_VIDEO);
    long nearWrap = (1L << 32) - 40;

    Written first = writeShared(channel, 9, 1, nearWrap, payload, chunked);
    assertFalse(first.sharedBody(), "the chunk stream's first message past 2^24 has no delta: chunked for itself");
    assertEquals(h("06 ffffff 0000c8 09 01000000 ffffffd8") + body.substring(0, 256) + "c6ffffffd8" + body.substring(256),
        first.hex(), "format 0, the extended timestamp repeated on the format 3 chunk");

    Written second = writeShared(channel, 9, 1, nearWrap + 20, payload, chunked);
    assertTrue(second.sharedBody());
    assertEquals(h("46 000014 0000c8 09") + body.substring(0, 256) + "c6" + body.substring(256), second.hex(),
        "format 1, delta 20, then the shared body with plain format 3 headers");

    Written third = writeShared(channel, 9, 1, (1L << 32) + 20, payload, chunked);
    assertTrue(third.sharedBody());
    assertEquals(h("06 000014 0000c8 09 01000000") + body.substring(0, 256) + "c6" + body.substring(256), third.hex(),
        "past 2^32: 20, a plain format 0 header again");

    assertTrue(chunked.release());
    assertTrue(payload.release());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void withoutASmallDeltaOnTheSameStreamSharedChunksPast2To24AreChunkedForThisConnection() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
    ByteBuf payload = payload(200, 9);
    ByteBuf chunked = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, payload, 128, ChunkEncoder.CSID_VIDEO);
    long t = 0x20000000L;
    writeShared(channel, 9, 1, t, payload, chunked);
    assertTrue(writeShared(channel, 9, 1, t + 40, payload, chunked).sharedBody());
    assertFalse(writeShared(channel, 9, 1, t + 40 + EXTENDED_MS, payload, chunked).sharedBody(), "a delta of 0xFFFFFF");
    assertFalse(writeShared(channel, 9, 1, t, payload, chunked).sharedBody(), "a step back");
    assertFalse(writeShared(channel, 9, 2, t + 40, payload, chunked).sharedBody(), "another message stream");
    assertTrue(writeShared(channel, 9, 2, t + 80, payload, chunked).sharedBody());
    encode(channel, new Media(9, 2, t + 1000, payload.retainedDuplicate()));
    assertEquals(h("46 000028 0000c8 09"), writeShared(channel, 9, 2, t + 1040, payload, chunked).hex().substring(0, 16),
        "the delta is from the last message the connection sent on the chunk stream, whatever wrote it");

    ByteBuf small = payload(100, 1);
    channel.writeAndFlush(SharedChunks.of(9, 2, 0x30000000L, small, null, 0));
    assertEquals(h("06 ffffff 000064 09 02000000 30000000") + hexOf(small, 0, 100), drained(channel),
        "one chunk: format 0 with its extended timestamp, nothing to repeat it on");

    assertTrue(small.release());
    assertTrue(chunked.release());
    assertTrue(payload.release());
    assertFalse(channel.finishAndReleaseAll());
  }

  private static final long EXTENDED_MS = 0xFFFFFF;

  @Test
  void sharedChunksAcross2To24And2To32DecodeToTheWrittenTimestamps() {
    EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder());
    EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf video = payload(300, 5);
    ByteBuf audio = payload(150, 6);
    ByteBuf videoChunks = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, video, 128, ChunkEncoder.CSID_VIDEO);
    ByteBuf audioChunks = ChunkEncoder.chunkedBody(ByteBufAllocator.DEFAULT, audio, 128, ChunkEncoder.CSID_AUDIO);
    long[] starts = {EXTENDED_MS - 100, (1L << 32) - 100};
    for (long start : starts) {
      for (long t = start; t < start + 200; t += 20) {
        encoder.write(SharedChunks.of(9, 1, t, video, videoChunks, 128));
        encoder.write(SharedChunks.of(8, 1, t + 3, audio, audioChunks, 128));
        encoder.flush();
        for (ByteBuf out; (out = encoder.readOutbound()) != null; ) {
          decoder.writeInbound(out);
        }
        Media v = decoder.readInbound();
        Media a = decoder.readInbound();
        assertEquals(t & 0xFFFFFFFFL, v.timestamp());
        assertEquals(t + 3 & 0xFFFFFFFFL, a.timestamp());
        assertEquals(ByteBufUtil.hexDump(video), ByteBufUtil.hexDump(v.payload()));
        assertEquals(ByteBufUtil.hexDump(audio), ByteBufUtil.hexDump(a.payload()));
        v.release();
        a.release();
      }
    }
    assertTrue(videoChunks.release());
    assertTrue(audioChunks.release());
    assertTrue(video.release());
    assertTrue(audio.release());
    assertFalse(encoder.finishAndReleaseAll());
    assertFalse(decoder.finishAndReleaseAll());
  }
}
