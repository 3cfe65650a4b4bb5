package io.estuary.stream;

import io.estuary.media.FlvTags;
import io.netty.buffer.Unpooled;

/** Small FLV-body messages for stream unit tests. */
final class StreamMessages {

  private StreamMessages() {
  }

  static StreamMessage keyframe(long ts) {
    return StreamMessage.of(FlvTags.TAG_VIDEO, ts, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0, 9}));
  }

  static StreamMessage interframe(long ts) {
    return StreamMessage.of(FlvTags.TAG_VIDEO, ts, Unpooled.wrappedBuffer(new byte[] {0x27, 1, 0, 0, 0, 9}));
  }

  static StreamMessage videoHeader(long ts) {
    return StreamMessage.of(FlvTags.TAG_VIDEO, ts, Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1}));
  }

  static StreamMessage audio(long ts) {
    return StreamMessage.of(FlvTags.TAG_AUDIO, ts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1, 5}));
  }

  static StreamMessage audioHeader(long ts) {
    return StreamMessage.of(FlvTags.TAG_AUDIO, ts, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 0, 0x12, 0x10}));
  }
}
