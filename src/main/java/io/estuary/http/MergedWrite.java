package io.estuary.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.Arrays;

/**
 * One merged write of an HTTP live player: its messages' pieces (own bytes, shared payloads) as the composite
 * buffer Vert.x's response takes as one HTTP chunk, and the pieces themselves, so that {@link Unbundle} can hand
 * them to the socket one by one, as an RTMP player's are. A composite that reached the socket as it is would be
 * turned into a {@code ByteBuffer} array for {@code writev} with two {@code ByteBuffer}s per piece, per player and
 * message: 62% of all that an HTTP-FLV node allocated (BENCHMARKS.md, session 4).
 *
 * <p>Owned by the player's event loop until written; the pieces are the composite's components, released with it.
 */
final class MergedWrite extends CompositeByteBuf {

  private ByteBuf[] pieces = new ByteBuf[64];
  private int count;

  MergedWrite(ByteBufAllocator alloc, int maxComponents) {
    super(alloc, true, maxComponents);
  }

  @Override
  public CompositeByteBuf addComponent(boolean increaseWriterIndex, ByteBuf buffer) {
    super.addComponent(increaseWriterIndex, buffer);
    if (count == pieces.length) {
      pieces = Arrays.copyOf(pieces, count * 2);
    }
    pieces[count++] = buffer;
    return this;
  }

  /**
   * The pieces as added, or null when they are no longer this buffer's components as they were (the composite
   * consolidated them, or was changed otherwise): then only the composite itself may be written.
   */
  ByteBuf[] pieces() {
    return numComponents() == count ? pieces : null;
  }

  /** How many of {@link #pieces} are set. */
  int count() {
    return count;
  }
}
