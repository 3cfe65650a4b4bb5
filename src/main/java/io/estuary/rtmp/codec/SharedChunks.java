package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.util.Recycler;

/**
 * An audio, video or data message whose payload many connections send (a live stream's fan-out), optionally already
 * split into chunks once for all of them: {@link ChunkEncoder} writes this connection's format 0 header before the
 * shared chunked body when it was chunked for this connection's chunk size, else chunks the payload for it alone.
 *
 * <p>Borrows its buffers: the encoder takes its own references while it handles the write, which it does at once
 * because a player writes on the channel's event loop. Recycled by the encoder: no allocation per player and
 * message.
 */
public final class SharedChunks {

  private static final Recycler<SharedChunks> RECYCLER = new Recycler<>() {
    @Override
    protected SharedChunks newObject(Handle<SharedChunks> handle) {
      return new SharedChunks(handle);
    }
  };

  private final Recycler.Handle<SharedChunks> handle;
  private int typeId;
  private int streamId;
  private long timestamp;
  private ByteBuf payload;
  private ByteBuf chunked;
  private int chunkSize;

  private SharedChunks(Recycler.Handle<SharedChunks> handle) {
    this.handle = handle;
  }

  /**
   * A message of {@code typeId} (8 audio, 9 video, 18 data) on {@code streamId}: its {@code payload}, and the same
   * payload with format 3 chunk headers for {@code chunkSize} ({@link ChunkEncoder#chunkedBody}), or null.
   * Write it from the channel's event loop only.
   */
  public static SharedChunks of(int typeId, int streamId, long timestamp, ByteBuf payload, ByteBuf chunked,
                                int chunkSize) {
    SharedChunks shared = RECYCLER.get();
    shared.typeId = typeId;
    shared.streamId = streamId;
    shared.timestamp = timestamp;
    shared.payload = payload;
    shared.chunked = chunked;
    shared.chunkSize = chunked == null ? 0 : chunkSize;
    return shared;
  }

  public int typeId() {
    return typeId;
  }

  public int streamId() {
    return streamId;
  }

  public long timestamp() {
    return timestamp;
  }

  public ByteBuf payload() {
    return payload;
  }

  /** The payload as chunks of {@code size} after the first chunk's header, or null if it has no such form. */
  ByteBuf chunkedFor(int size) {
    if (payload.readableBytes() <= size) {
      return payload;
    }
    return chunked != null && chunkSize == size ? chunked : null;
  }

  /** The chunk stream SRS sends such a message on. */
  int chunkStreamId() {
    return typeId == RtmpMessage.TYPE_AUDIO ? ChunkEncoder.CSID_AUDIO
        : typeId == RtmpMessage.TYPE_VIDEO ? ChunkEncoder.CSID_VIDEO : ChunkEncoder.CSID_OVER_STREAM;
  }

  void recycle() {
    payload = null;
    chunked = null;
    handle.recycle(this);
  }
}
