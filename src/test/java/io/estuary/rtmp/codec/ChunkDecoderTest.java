package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.Abort;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.WindowAckSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.estuary.rtmp.codec.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkDecoderTest {

  private static String repeat(String hexByte, int count) {
    return hexByte.repeat(count);
  }

  /**
   * Reads a Media message, checks its header fields and payload, and releases it. Payloads are slices of the
   * input, so the release that frees memory is that of the last message cut from it: tests keep a reference to
   * their input and check with {@link #assertOnlyReference} that every message let go of it.
   */
  private static void assertMedia(Object msg, int typeId, int streamId, long timestamp, String payloadHex) {
    Media media = (Media) msg;
    assertEquals(typeId, media.typeId());
    assertEquals(streamId, media.streamId());
    assertEquals(timestamp, media.timestamp());
    assertEquals(payloadHex, ByteBufUtil.hexDump(media.payload()));
    media.release();
  }

  /** Feeds bytes to the channel, keeping a reference to them for {@link #assertOnlyReference}. */
  private static ByteBuf feed(EmbeddedChannel channel, String hex) {
    ByteBuf input = hex(hex);
    channel.writeInbound(input.retain());
    return input;
  }

  /** Every message, slice and partial message cut from the input has been released. */
  private static void assertOnlyReference(ByteBuf input) {
    assertEquals(1, input.refCnt(), "references to the input left");
    assertTrue(input.release());
  }

  @Test
  void allFourHeaderFormats() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("""
        04 000064 000002 08 01000000 af01
        44 00000a 000003 08          af0102
        84 000014                    af0103
        c4                           af0104
        """));
    assertMedia(channel.readInbound(), 8, 1, 100, "af01");     // format 0: absolute timestamp, all fields
    assertMedia(channel.readInbound(), 8, 1, 110, "af0102");   // format 1: delta 10, new length, stream inherited
    assertMedia(channel.readInbound(), 8, 1, 130, "af0103");   // format 2: delta 20, length inherited
    assertMedia(channel.readInbound(), 8, 1, 150, "af0104");   // format 3: everything inherited, delta again
    assertNull(channel.readInbound());
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void format3AfterFormat0ReusesTheTimestampAsDelta() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 000028 000001 09 01000000 17  c6 27"));
    assertMedia(channel.readInbound(), 9, 1, 40, "17");
    assertMedia(channel.readInbound(), 9, 1, 80, "27"); // RTMP spec 5.3.1.2.4
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void twoAndThreeByteChunkStreamIds() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("""
        00 00   000001 000001 08 01000000 a1
        00 ff   000002 000001 08 01000000 a2
        01 00 01 000003 000001 08 01000000 a3
        01 ff ff 000004 000001 08 01000000 a4
        c1 00 01 a5
        """));
    assertMedia(channel.readInbound(), 8, 1, 1, "a1"); // csid 64
    assertMedia(channel.readInbound(), 8, 1, 2, "a2"); // csid 319
    assertMedia(channel.readInbound(), 8, 1, 3, "a3"); // csid 320
    assertMedia(channel.readInbound(), 8, 1, 4, "a4"); // csid 65599
    assertMedia(channel.readInbound(), 8, 1, 6, "a5"); // format 3 on csid 320: its state, not 65599's
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void extendedTimestampOnFormat0() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 ffffff 000002 09 01000000 81234567 1701"));
    assertMedia(channel.readInbound(), 9, 1, 0x81234567L, "1701");
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void extendedTimestampRepeatedOnContinuationChunk() {
    String first = repeat("11", 128);
    String rest = repeat("22", 72);
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 ffffff 0000c8 09 01000000 01234567" + first + "c6 01234567" + rest));
    assertMedia(channel.readInbound(), 9, 1, 0x01234567L, first + rest);
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void extendedTimestampOmittedOnContinuationChunk() {
    String first = repeat("11", 128);
    String rest = repeat("22", 72);
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 ffffff 0000c8 09 01000000 01234567" + first + "c6" + rest)); // as FFmpeg may send
    assertMedia(channel.readInbound(), 9, 1, 0x01234567L, first + rest);
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void format3StartingAMessageReadsItsExtendedDelta() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 ffffff 000001 09 01000000 01000000 17  c6 01000000 27"));
    assertMedia(channel.readInbound(), 9, 1, 0x01000000L, "17");
    assertMedia(channel.readInbound(), 9, 1, 0x02000000L, "27");
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void deltasPast2To32WrapModulo2To32() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 ffffff 000001 09 01000000 fffffff0 17  46 000020 000001 09 27  86 000028 37"));
    assertMedia(channel.readInbound(), 9, 1, 0xFFFFFFF0L, "17");
    assertMedia(channel.readInbound(), 9, 1, 0x10, "27");
    assertMedia(channel.readInbound(), 9, 1, 0x38, "37");
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void extendedDeltaOfAFormat1HeaderIsRepeatedOnItsContinuationChunk() {
    String first = repeat("11", 128);
    String rest = repeat("22", 72);
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 000100 000001 09 01000000 17"
        + "46 ffffff 0000c8 09 01000000" + first + "c6 01000000" + rest)); // as FFmpeg sends a delta of 2^24
    assertMedia(channel.readInbound(), 9, 1, 0x100, "17");
    assertMedia(channel.readInbound(), 9, 1, 0x01000100L, first + rest);
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void continuationChunkMayRepeatTheMessagesTimeRatherThanItsExtendedDelta() {
    String first = repeat("11", 128);
    String rest = repeat("22", 72);
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 000100 000001 09 01000000 17"
        + "46 ffffff 0000c8 09 01000000" + first + "c6 01000100" + rest));
    assertMedia(channel.readInbound(), 9, 1, 0x100, "17");
    assertMedia(channel.readInbound(), 9, 1, 0x01000100L, first + rest);
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void aSmallDeltaPast2To24HasNoExtendedFieldOnItsContinuationChunks() {
    String first = repeat("11", 128);
    String rest = "fffffff0" + repeat("22", 68); // the previous message's extended timestamp, as payload
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, ("06 ffffff 000001 09 01000000 fffffff0 17"
        + "46 000014 0000c8 09" + first + "c6" + rest)); // as Estuary sends its shared chunks past 2^24
    assertMedia(channel.readInbound(), 9, 1, 0xFFFFFFF0L, "17");
    assertMedia(channel.readInbound(), 9, 1, 0x04, first + rest);
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void setChunkSizeAppliesToTheNextChunk() {
    String payload = repeat("ab", 300);
    ChunkDecoder decoder = new ChunkDecoder();
    EmbeddedChannel channel = new EmbeddedChannel(decoder);
    ByteBuf input = feed(channel, ("02 000000 000004 01 00000000 00001000" + "06 000000 00012c 09 01000000" + payload));
    assertEquals(new SetChunkSize(4096), channel.readInbound());
    assertEquals(4096, decoder.chunkSize());
    assertMedia(channel.readInbound(), 9, 1, 0, payload); // 300 bytes in one chunk
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void messageOverSeveralChunksIsAssembledWithoutCopy() {
    String a = repeat("aa", 128);
    String b = repeat("bb", 128);
    String c = repeat("cc", 44); // 128 + 128 + 44 = 0x12c
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    // Interleaved with a message on another chunk stream, as audio and video are
    ByteBuf input = feed(channel, ("06 000000 00012c 09 01000000" + a + "04 000005 000001 08 01000000 af" + "c6" + b + "c6" + c));
    assertMedia(channel.readInbound(), 8, 1, 5, "af");
    Media video = channel.readInbound();
    assertTrue(video.payload() instanceof CompositeByteBuf, "slices, not a copy");
    assertMedia(video, 9, 1, 0, a + b + c);
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void truncatedChunksWaitForMoreBytes() {
    ByteBuf all = hex("04 000064 000003 08 01000000 af0102");
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    int last = all.writerIndex() - 1;
    for (int i = 0; i < last; i++) {
      assertFalse(channel.writeInbound(all.retainedSlice(i, 1)), "no message before the last byte, at " + i);
    }
    assertTrue(channel.writeInbound(all.retainedSlice(last, 1)));
    assertTrue(all.release());
    assertMedia(channel.readInbound(), 8, 1, 100, "af0102");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void closeReleasesAPartialMessage() {
    ByteBuf input = hex("06 000000 000100 09 01000000" + repeat("aa", 128));
    input.retain(); // to watch it: the partial message holds a slice of it
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    assertFalse(channel.writeInbound(input));
    assertTrue(input.refCnt() > 1, "the first chunk is kept");
    assertFalse(channel.finishAndReleaseAll());
    assertTrue(input.release(), "closing released the partial message");
  }

  @Test
  void abortDiscardsAPartialMessage() {
    ByteBuf firstChunk = hex("06 000000 000100 09 01000000" + repeat("aa", 128));
    firstChunk.retain();
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    channel.writeInbound(firstChunk);
    channel.writeInbound(hex("02 000000 000004 02 00000000 00000006" + "06 000010 000001 09 01000000 17"));
    assertEquals(new Abort(6), channel.readInbound());
    assertEquals(1, firstChunk.refCnt(), "the aborted chunks were released");
    assertTrue(firstChunk.release());
    assertMedia(channel.readInbound(), 9, 1, 16, "17");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void maximumMessageSizeIsCheckedFromTheHeaderAlone() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkDecoder.DEFAULT_MAX_MESSAGE_SIZE, 0, new ChunkEncoder()));
    RtmpException e = assertThrows(RtmpException.class, () -> channel.writeInbound(hex("06 000000 ffffff 09 01000000")));
    assertEquals("message of 16777215 bytes on csid 6 exceeds maximum 8388608", e.getMessage());
    assertFalse(channel.writeInbound(hex("c6 000000")), "nothing more is decoded from a broken stream");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void continuationWithoutAHeaderIsAnError() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    RtmpException e = assertThrows(RtmpException.class, () -> channel.writeInbound(hex("c9 00")));
    assertEquals("chunk of format 3 on chunk stream 9, which has no message header yet", e.getMessage());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void invalidChunkSizeIsAnError() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    RtmpException e = assertThrows(RtmpException.class, () -> channel.writeInbound(hex("02 000000 000004 01 00000000 80000000")));
    assertTrue(e.getMessage().startsWith("invalid chunk size -2147483648"), e.getMessage());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void shortControlMessageIsAnErrorButTheStreamStaysInSync() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    RtmpException e = assertThrows(RtmpException.class, () -> channel.writeInbound(hex("02 000000 000002 05 00000000 0001")));
    assertEquals("Window Acknowledgement Size message needs 4 bytes, got 2", e.getMessage());
    channel.writeInbound(hex("02 000000 000004 05 00000000 002625a0"));
    assertEquals(new WindowAckSize(2500000), channel.readInbound());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void malformedAmfIsAnError() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    // "connect", then a number marker with only 2 of its 8 bytes
    RtmpException e = assertThrows(RtmpException.class,
        () -> channel.writeInbound(hex("03 000000 00000d 14 00000000 02 0007 636f6e6e656374 00 3ff0")));
    assertTrue(e.getMessage().startsWith("malformed AMF in message type 20 on stream 0"), e.getMessage());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void commandInAmf3EnvelopeAndDataInAmf3Envelope() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    // type 17: format byte 00, "play", 0.0, null, "s1"; type 15: format byte 00, "onTextData"
    channel.writeInbound(hex("08 000000 000017 11 01000000 00 02 0004 706c6179 00 0000000000000000 05 02 0002 7331"
        + "08 000000 00000e 0f 01000000 00 02 000a 6f6e54657874446174 61"));
    assertEquals(new CommandMessage(1, "play", 0, null, List.of("s1")), channel.readInbound());
    assertEquals(new DataMessage(1, 0, List.of("onTextData")), channel.readInbound());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void unknownMessageTypeIsReleasedAndIgnored() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    channel.writeInbound(hex("03 000000 000003 13 00000000 010203" + "02 000000 000004 05 00000000 00000100"));
    assertEquals(new WindowAckSize(256), channel.readInbound()); // shared object (19) skipped
    assertNull(channel.readInbound());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void aggregateIsSplitWithTimestampsRebased() {
    String aggregate = ""
        + "09 000002 0003e8 00 000001 1701 0000000d"  // video at 1000 ms, back pointer 11 + 2
        + "08 000001 0003fc 00 000001 af   0000000c"  // audio at 1020 ms
        + "09 000001 000410 00 000001 27   0000000c"; // video at 1040 ms
    int length = aggregate.replace(" ", "").length() / 2;
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    ByteBuf input = feed(channel, (String.format("05 001388 %06x 16 01000000", length) + aggregate)); // aggregate at 5000 ms
    assertMedia(channel.readInbound(), 9, 1, 5000, "1701");
    assertMedia(channel.readInbound(), 8, 1, 5020, "af");
    assertMedia(channel.readInbound(), 9, 1, 5040, "27");
    assertNull(channel.readInbound());
    assertFalse(channel.finishAndReleaseAll());
    assertOnlyReference(input);
  }

  @Test
  void truncatedAggregateIsAnErrorAndLeaksNothing() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder());
    RtmpException e = assertThrows(RtmpException.class, () -> channel.writeInbound(
        hex("05 000000 00001d 16 01000000" + "09 000002 000000 00 000000 1701 0000000d" + "09 000009 000000 00 000000 17")));
    assertEquals("aggregate message on stream 1: sub-message of 9 bytes, only 1 left", e.getMessage());
    assertNull(channel.readInbound(), "the sub-messages before the error were released");
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void acknowledgesEachWindowThePeerAsksFor() {
    ChunkCodec codec = new ChunkCodec();
    EmbeddedChannel channel = new EmbeddedChannel(codec);
    channel.writeInbound(hex("02 000000 000004 05 00000000 00000040")); // window 64 bytes; 16 read
    assertEquals(new WindowAckSize(64), channel.readInbound());
    assertNull(channel.readOutbound());
    ByteBuf audio = hex("04 000000 000014 08 01000000" + repeat("af", 20)); // 32 bytes each
    channel.writeInbound(audio.retainedDuplicate());
    assertNull(channel.readOutbound(), "48 bytes: not yet");
    channel.writeInbound(audio);
    assertEquals(80, codec.bytesRead());
    assertEquals("02 000000 000004 03 00000000 00000050".replace(" ", ""), Bytes.hexAndRelease(channel.readOutbound()));
    for (Object msg; (msg = channel.readInbound()) != null; ) {
      ((Media) msg).release();
    }
    assertEquals(0, audio.refCnt());
    assertFalse(channel.finishAndReleaseAll());
  }

  @Test
  void acknowledgesTheConfiguredWindowWhenThePeerSetsNone() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkCodec(ChunkDecoder.DEFAULT_MAX_MESSAGE_SIZE, 32));
    channel.writeInbound(hex("04 000000 000014 08 01000000" + repeat("af", 20)));
    assertEquals("02 000000 000004 03 00000000 00000020".replace(" ", ""), Bytes.hexAndRelease(channel.readOutbound()));
    assertTrue(((Media) channel.readInbound()).release());
    assertFalse(channel.finishAndReleaseAll());
  }
}
