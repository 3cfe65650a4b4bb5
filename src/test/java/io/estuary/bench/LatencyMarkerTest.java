package io.estuary.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyMarkerTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  /** An AVC NALU tag: keyframe, AVC, NALU, cts 0, then one 4-byte-length NAL. */
  private static ByteBuf avcFrame(int codec) {
    return Unpooled.buffer().writeBytes(new byte[] {(byte) (0x10 | codec), 1, 0, 0, 0, 0, 0, 0, 3, 0x65, 1, 2});
  }

  @Test
  void aMarkedFrameCarriesItsSequenceAndTheWholeFrame() {
    ByteBuf frame = avcFrame(7);
    long sequence = (3L << Publisher.SEQUENCE_BITS) | 123_456_789L;
    ByteBuf marked = LatencyMarker.mark(ALLOC, frame, 4, sequence);
    try {
      assertEquals(sequence, LatencyMarker.read(marked));
      // the FLV video header, then the SEI NAL (4-byte length 28), then the original NALs unchanged
      assertEquals(frame.getByte(0), marked.getByte(0));
      assertEquals(28, marked.getInt(5));
      assertEquals(6, marked.getByte(9));
      int rest = 5 + 4 + 28;
      assertEquals(frame.readableBytes() + 4 + 28, marked.readableBytes());
      assertEquals(frame.slice(5, frame.readableBytes() - 5), marked.slice(rest, marked.readableBytes() - rest));
      assertEquals(-1, LatencyMarker.read(frame), "the original is not changed");
      for (int i = 12; i < 12 + 24; i++) {
        assertTrue(marked.getByte(i) != 0, "no zero byte in the SEI payload");
      }
    } finally {
      assertTrue(marked.release());
      assertTrue(frame.release());
    }
  }

  @Test
  void hevcAndShortLengthFieldsAreMarkedToo() {
    for (int codec : new int[] {7, 12}) {
      for (int lengthSize : new int[] {1, 2, 4}) {
        ByteBuf frame = avcFrame(codec);
        ByteBuf marked = LatencyMarker.mark(ALLOC, frame, lengthSize, LatencyMarker.MAX_SEQUENCE);
        try {
          assertEquals(LatencyMarker.MAX_SEQUENCE, LatencyMarker.read(marked), "codec " + codec + " length " + lengthSize);
        } finally {
          marked.release();
          frame.release();
        }
      }
    }
  }

  @Test
  void sequenceHeadersAndOtherCodecsAreNotMarkable() {
    ByteBuf header = Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, (byte) 0xfd});
    ByteBuf vp6 = Unpooled.wrappedBuffer(new byte[] {0x14, 1, 2, 3});
    try {
      assertFalse(LatencyMarker.markable(header));
      assertFalse(LatencyMarker.markable(vp6));
      assertEquals(-1, LatencyMarker.read(vp6));
      assertEquals(2, LatencyMarker.nalLengthSize(header), "lengthSizeMinusOne 1 (0xfd & 3)");
    } finally {
      header.release();
      vp6.release();
    }
  }
}
