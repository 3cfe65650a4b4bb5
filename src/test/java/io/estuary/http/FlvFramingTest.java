package io.estuary.http;

import io.estuary.flv.FlvWriter;
import io.estuary.media.FlvTags;
import io.estuary.stream.OwnBytes;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FLV framing of merged writes: the same bytes as whole tags, in two pieces per message. */
class FlvFramingTest {

  private static StreamMessage audio(long timestamp, int size) {
    ByteBuf payload = StreamMessage.STORE.directBuffer(size);
    payload.writeByte(0xAF).writeByte(1); // AAC raw
    while (payload.writableBytes() > 0) {
      payload.writeByte(payload.writerIndex());
    }
    return StreamMessage.of(FlvTags.TAG_AUDIO, timestamp, payload);
  }

  private static String wholeTags(StreamMessage... messages) {
    StringBuilder hex = new StringBuilder();
    for (StreamMessage m : messages) {
      ByteBuf tag = FlvWriter.tag(Unpooled.buffer().alloc(), m.type(), m.timestamp(), m.payload());
      hex.append(ByteBufUtil.hexDump(tag));
      tag.release();
    }
    return hex.toString();
  }

  @Test
  void mergedWritesCarryWholeTagsInTwoPiecesPerMessagePlusTheLastTrailer() {
    Framing.Flv flv = new Framing.Flv(true, true, true, true);
    OwnBytes own = new OwnBytes();
    StreamMessage a = audio(40, 30);
    StreamMessage b = audio(63, 7);
    StreamMessage c = audio(86, 300);

    CompositeByteBuf first = MergedWrite.composite(StreamMessage.STORE, 64);
    flv.append(first, a, 40, own);
    flv.append(first, b, 63, own);
    flv.finish(first, own);
    own.release();
    assertEquals(2 * 2 + 1, first.numComponents());
    assertEquals(wholeTags(a, b), ByteBufUtil.hexDump(first));

    CompositeByteBuf second = MergedWrite.composite(StreamMessage.STORE, 64); // the next merged write starts afresh
    flv.append(second, c, 86, own);
    flv.finish(second, own);
    flv.finish(second, own); // nothing owed any more
    own.release();
    assertEquals(wholeTags(c), ByteBufUtil.hexDump(second));

    assertTrue(first.release());
    assertTrue(second.release());
    assertTrue(a.release());
    assertTrue(b.release());
    assertTrue(c.release());
  }

  @Test
  void ownBytesRunningOutBetweenATagAndTheNextStillGiveWholeTags() {
    Framing.Flv flv = new Framing.Flv(true, true, true, true);
    OwnBytes own = new OwnBytes(16); // room for one header and one trailer at a time: a new buffer every message
    StreamMessage[] messages = new StreamMessage[5];
    CompositeByteBuf out = MergedWrite.composite(StreamMessage.STORE, 64);
    for (int i = 0; i < messages.length; i++) {
      messages[i] = audio(i * 23L, 10 + i);
      flv.append(out, messages[i], i * 23L, own);
    }
    flv.finish(out, own);
    own.release();
    assertEquals(wholeTags(messages), ByteBufUtil.hexDump(out));
    assertTrue(out.release());
    for (StreamMessage m : messages) {
      assertTrue(m.release());
    }
  }
}
