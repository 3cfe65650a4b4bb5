package io.estuary.mpegts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.media.MediaFormatException;
import io.estuary.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz target for the TS muxer (HLS segments, HTTP-TS) fed fuzzed FLV frames, as a publisher could send them. The
 * input is a sequence of frames, each a 4-byte head (flags: bit 0 video, bit 1 write PAT/PMT first; body length,
 * 16 bits; DTS step in ms) and the body. Only {@link MediaFormatException} may escape, a frame either writes whole
 * 188-byte packets or nothing, and every buffer is released.
 */
@Timeout(10)
class TsMuxerFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void frames(byte[] input) {
    TrackingAllocator alloc = new TrackingAllocator();
    TsMuxer muxer = new TsMuxer();
    muxer.tracks(true, true);
    ByteBuf out = alloc.heapBuffer();
    try {
      long dts = 0;
      int i = 0;
      while (i + 4 <= input.length) {
        int flags = input[i];
        int length = Math.min((input[i + 1] & 0xFF) << 8 | input[i + 2] & 0xFF, input.length - i - 4);
        dts += input[i + 3] & 0xFF;
        ByteBuf body = alloc.heapBuffer(length).writeBytes(input, i + 4, length);
        i += 4 + length;
        try {
          if ((flags & 2) != 0) {
            muxer.writePsi(out);
          }
          int before = out.writerIndex();
          try {
            muxer.write((flags & 1) != 0, body, dts, out);
          } catch (MediaFormatException e) {
            assertEquals(before, out.writerIndex(), "bytes written for a frame refused: " + e.getMessage());
          }
          assertEquals(0, out.writerIndex() % TsPackets.PACKET_SIZE, "TS output is not whole packets");
          out.clear();
        } finally {
          body.release();
        }
      }
    } finally {
      out.release();
    }
    alloc.assertAllReleased();
  }
}
