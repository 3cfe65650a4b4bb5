package io.estuary.http;

import io.estuary.flv.FlvWriter;
import io.estuary.stream.Consumer;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * An HTTP-FLV player: one long chunked response carrying the FLV header, then every tag. The payload of each tag is
 * the stream's shared buffer; this player adds only its 11-byte tag header and 4-byte previous-tag size. A merged
 * write is one HTTP chunk: the tags of one flush gathered in a composite buffer, written once.
 *
 * <p>State accessed exclusively from the connection's event loop.
 */
final class HttpFlvPlayer implements Consumer.Sink {

  /** Components of one merged write before Netty would consolidate (copy) them: well above any flush. */
  private static final int MAX_COMPONENTS = 4096;

  private final HttpServerResponse response;
  private final ByteBufAllocator alloc;
  private final Runnable onEnd;
  private CompositeByteBuf pending;

  HttpFlvPlayer(HttpServerResponse response, ByteBufAllocator alloc, boolean hasAudio, boolean hasVideo, Runnable onEnd) {
    this.response = response;
    this.alloc = alloc;
    this.onEnd = onEnd;
    pending = alloc.compositeBuffer(MAX_COMPONENTS);
    pending.addComponent(true, FlvWriter.header(alloc, hasAudio, hasVideo));
  }

  @Override
  public boolean writable() {
    return !response.writeQueueFull();
  }

  @Override
  public void write(StreamMessage message, long timestamp) {
    try {
      if (pending == null) {
        pending = alloc.compositeBuffer(MAX_COMPONENTS);
      }
      pending.addComponent(true, FlvWriter.tag(alloc, message.type(), timestamp, message.payload()));
    } finally {
      message.release();
    }
  }

  @Override
  public void flush() {
    if (pending == null || response.closed() || response.ended()) {
      release();
      return;
    }
    ByteBuf chunk = pending;
    pending = null;
    // Vert.x writes a foreign ByteBuf without taking ownership: release it once written (or failed).
    response.write(BufferInternal.buffer(chunk)).onComplete(done -> chunk.release());
  }

  @Override
  public void streamEnded() {
    flush();
    if (!response.ended() && !response.closed()) {
      response.end();
    }
    onEnd.run();
  }

  void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
