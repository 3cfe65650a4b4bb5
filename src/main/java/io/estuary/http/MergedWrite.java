package io.estuary.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

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

  /** Buffers added: as long as it is the number of components, each component is a piece as it was added. */
  private int added;

  MergedWrite(ByteBufAllocator alloc, int maxComponents) {
    super(alloc, true, maxComponents);
  }

  @Override
  public CompositeByteBuf addComponent(boolean increaseWriterIndex, ByteBuf buffer) {
    super.addComponent(increaseWriterIndex, buffer);
    added++;
    return this;
  }

  /**
   * Whether its components are still the pieces as they were added; false when the composite consolidated them (or
   * was changed otherwise): then only the composite itself may be written. A piece is then
   * {@link #internalComponent}: the buffer added itself when it was whole (a slice, a duplicate of a right-sized
   * buffer), no allocation.
   */
  boolean inPieces() {
    return added > 0 && numComponents() == added;
  }
}
