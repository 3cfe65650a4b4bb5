package io.estuary.stream;

import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamMessageTest {

  /** A publisher's read buffer holding more than one message, as the chunk decoder slices it. */
  private static ByteBuf readBuffer() {
    ByteBuf read = Unpooled.directBuffer(4096);
    read.writeBytes(new byte[] {0x17, 1, 0, 0, 0, 9, 8, 7});
    read.writeZero(4000); // the rest of the read: other messages, other chunks
    return read;
  }

  @Test
  void receivedPayloadIsStoredOnceAndReleasesTheReadBuffer() {
    ByteBuf read = readBuffer();
    StreamMessage message = StreamMessage.received(FlvTags.TAG_VIDEO, 40, read.retainedSlice(0, 8));
    read.release();

    assertEquals(0, read.refCnt(), "the read buffer is not pinned by the stored message");
    assertEquals("1701000000090807", ByteBufUtil.hexDump(message.payload()));
    assertEquals(8, message.payload().capacity(), "right-sized");
    assertTrue(message.isKeyframe());
    assertFalse(message.isSequenceHeader());
    assertEquals(FourCc.AVC1, message.codec(), "parsed once on receipt");
    assertEquals(0, message.track());
    assertEquals(40, message.timestamp());
    message.release();
    assertEquals(0, message.payload().refCnt());
  }

  @Test
  void receivedFlattensAMessageAssembledFromSeveralChunks() {
    CompositeByteBuf chunks = Unpooled.compositeBuffer()
        .addComponent(true, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1}))
        .addComponent(true, Unpooled.wrappedBuffer(new byte[] {5, 6, 7}));
    StreamMessage message = StreamMessage.received(FlvTags.TAG_AUDIO, 0, chunks);

    assertEquals(0, chunks.refCnt());
    assertEquals(1, message.payload().nioBufferCount(), "one contiguous buffer");
    assertEquals("af01050607", ByteBufUtil.hexDump(message.payload()));
    assertEquals(FourCc.MP4A, message.codec());
    message.release();
  }

  @Test
  void anAttachmentIsReleasedWithTheMessage() {
    StreamMessage message = StreamMessage.received(FlvTags.TAG_VIDEO, 0, Unpooled.wrappedBuffer(new byte[300]));
    ByteBuf derived = Unpooled.buffer(4);
    StreamMessage.Attachment attachment = derived::release;
    message.attach(attachment);
    assertSame(attachment, message.attachment());
    message.retain().release();
    assertEquals(1, derived.refCnt(), "held while the message is");
    message.release();
    assertEquals(0, derived.refCnt());
  }

  @Test
  void enhancedRtmpSequenceStartIsClassified() {
    StreamMessage message = StreamMessage.received(FlvTags.TAG_VIDEO, 0,
        Unpooled.wrappedBuffer(new byte[] {(byte) 0x90, 'h', 'v', 'c', '1', 1}));
    assertEquals(FourCc.HVC1, message.codec());
    assertTrue(message.isSequenceHeader());
    assertTrue(message.isKeyframe());
    message.release();
  }

  @Test
  void enhancedRtmpFramesAreClassifiedOnceForEveryConsumer() {
    // CodedFrames of hvc1 with SI24 composition time 80, behind a ModEx modifier.
    StreamMessage frame = StreamMessage.received(FlvTags.TAG_VIDEO, 40, Unpooled.wrappedBuffer(new byte[] {
        (byte) 0x97, 2, 0, 0, 1, 0x01, 'h', 'v', 'c', '1', 0, 0, 80, 0, 0, 0, 2, 0x26, 1}));
    assertEquals(FourCc.HVC1, frame.codec());
    assertTrue(frame.isKeyframe());
    assertTrue(frame.isCodedFrames());
    assertEquals(80, frame.compositionTime());
    frame.release();

    // FFmpeg 7.1's colorInfo metadata (FrameType 5, PacketType Metadata): no frame, no sequence header, no keyframe.
    StreamMessage metadata = StreamMessage.received(FlvTags.TAG_VIDEO, 40, Unpooled.wrappedBuffer(new byte[] {
        (byte) 0xd4, 'a', 'v', '0', '1', 2, 0, 0}));
    assertFalse(metadata.isCodedFrames());
    assertFalse(metadata.isSequenceHeader());
    assertFalse(metadata.isKeyframe());
    metadata.release();

    StreamMessage opus = StreamMessage.received(FlvTags.TAG_AUDIO, 0, Unpooled.wrappedBuffer(new byte[] {
        (byte) 0x91, 'O', 'p', 'u', 's', 1}));
    assertEquals(FourCc.OPUS, opus.codec());
    assertTrue(opus.isCodedFrames());
    opus.release();
  }
}
