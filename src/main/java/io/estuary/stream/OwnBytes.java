package io.estuary.stream;

import io.netty.buffer.ByteBuf;

/**
 * The few bytes a player writes of its own around the shared payloads of one merged write (an FLV tag header and
 * trailer, an ADTS header): one pooled buffer per merged write, and a recycled slice of it per message, so that a
 * player's own bytes cost no allocation per message. (An RTMP player's chunk headers are its chunk encoder's, which
 * keeps them the same way.)
 *
 * <p>Usage: {@link #reserve} room, write at the returned buffer's writer index, take the written bytes with
 * {@link #slice}; {@link #release} when the merged write has been handed to the socket (the slices keep the buffer
 * until it is sent). Owned by the player's event loop.
 */
public final class OwnBytes {

  /** Room for the own bytes of a merged write of SRS's defaults (350 ms, 25–35 messages of 12–15 bytes). */
  public static final int DEFAULT_CAPACITY = 512;

  private final int capacity;
  private ByteBuf buffer;

  public OwnBytes() {
    this(DEFAULT_CAPACITY);
  }

  /** {@code capacity}: the buffer taken per merged write; a write that needs more takes another. */
  public OwnBytes(int capacity) {
    this.capacity = capacity;
  }

  /** A buffer with at least {@code length} writable bytes, to write at its writer index. */
  public ByteBuf reserve(int length) {
    if (buffer == null || buffer.writableBytes() < length) {
      release();
      buffer = StreamMessage.STORE.directBuffer(Math.max(capacity, length));
    }
    return buffer;
  }

  /** A retained slice of what was written from {@code start} (a writer index {@link #reserve} returned) on. */
  public ByteBuf slice(int start) {
    return buffer.retainedSlice(start, buffer.writerIndex() - start);
  }

  /** A retained slice of {@code length} bytes at {@code start}. */
  public ByteBuf slice(int start, int length) {
    return buffer.retainedSlice(start, length);
  }

  /** Drops this write's buffer (slices handed out keep it alive until released). */
  public void release() {
    if (buffer != null) {
      buffer.release();
      buffer = null;
    }
  }
}
