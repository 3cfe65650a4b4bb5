package io.estuary.rtmp.impl;

import io.estuary.rtmp.codec.ChunkEncoder;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;

/**
 * The RTMP side's attachment to a {@link StreamMessage}: its payload split into chunks of {@code chunkSize} once, on
 * the publisher's loop, and shared read-only by every RTMP player of the stream, which adds only its own header
 * ({@link io.estuary.rtmp.codec.SharedChunks}).
 */
record ChunkedBody(ByteBuf body, int chunkSize) implements StreamMessage.Attachment {

  /** Chunks {@code message}'s payload for {@code chunkSize} when it is larger than one chunk. */
  static void attach(StreamMessage message, int chunkSize, int csid) {
    if (message.payload().readableBytes() > chunkSize) {
      message.attach(new ChunkedBody(ChunkEncoder.chunkedBody(StreamMessage.STORE, message.payload(), chunkSize, csid),
          chunkSize));
    }
  }

  /** {@code message}'s chunked body, or null. */
  static ChunkedBody of(StreamMessage message) {
    return message.attachment() instanceof ChunkedBody chunked ? chunked : null;
  }

  @Override
  public void release() {
    body.release();
  }
}
