package io.estuary.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.util.Arrays;

/**
 * One merged write of an HTTP live player: its messages' pieces (own bytes, shared payloads), which Vert.x's response
 * takes as one buffer, one HTTP chunk, and {@link Unbundle} hands to the socket one by one, as an RTMP player's are.
 * A composite that reached the socket as it is would be turned into a {@code ByteBuffer} array for {@code writev}
 * with two {@code ByteBuffer}s per piece, per player and message: 62% of all that an HTTP-FLV node allocated
 * (BENCHMARKS.md, session 4).
 *
 * <p>On a connection that {@link Unbundle}s ({@link #pieces}), the pieces are kept in a plain array and never become
 * components of the composite: it only carries their length through Vert.x and the HTTP encoder, which never read
 * it, and holds the pieces until it is released. A composite's component per piece was 44% of what such a node
 * allocated, and growing the component array 12% (BENCHMARKS.md, sessions 4 and 5). On any other connection (HTTP/2)
 * the pieces are the composite's components, as the bytes are read from it.
 *
 * <p>Owned by the player's event loop until written; the pieces are released with it.
 */
final class MergedWrite extends CompositeByteBuf {

  /** Room for the pieces of a merged write of SRS's defaults (350 ms: 25–35 messages, two pieces each). */
  static final int INITIAL_PIECES = 80;

  /**
   * A player's array for the pieces of its next merged write: the one its last merged write gave back when it was
   * released, so that a player that has one merged write in flight at a time allocates no array per write. Owned by
   * the player's event loop, where its merged writes are released (written, or the connection closed).
   */
  static final class Room {
    private ByteBuf[] spare;

    ByteBuf[] take() {
      ByteBuf[] room = spare;
      spare = null;
      return room != null ? room : new ByteBuf[INITIAL_PIECES];
    }

    void giveBack(ByteBuf[] room) {
      spare = room;
    }
  }

  /** Buffers added: as long as it is the number of components, each component is a piece as it was added. */
  private int added;
  /** The pieces of a merged write that is unbundled: not components. Null for a composite. */
  private ByteBuf[] pieces;
  private final Room room;
  private int length;

  private MergedWrite(ByteBufAllocator alloc, int maxComponents, Room room) {
    super(alloc, true, maxComponents);
    this.room = room;
    this.pieces = room == null ? null : room.take();
  }

  /** A merged write whose pieces are the composite's components (read by whatever writes it). */
  static MergedWrite composite(ByteBufAllocator alloc, int maxComponents) {
    return new MergedWrite(alloc, maxComponents, null);
  }

  /**
   * A merged write for a connection that {@link Unbundle}s: its pieces are never read through the composite. They
   * are kept in an array from {@code room}, given back to it when the merged write is released.
   */
  static MergedWrite pieces(ByteBufAllocator alloc, Room room) {
    return new MergedWrite(alloc, 1, room);
  }

  @Override
  public CompositeByteBuf addComponent(boolean increaseWriterIndex, ByteBuf buffer) {
    if (pieces == null) {
      super.addComponent(increaseWriterIndex, buffer);
      added++;
      return this;
    }
    ensureAccessible();
    if (added == pieces.length) {
      pieces = Arrays.copyOf(pieces, added * 2);
    }
    pieces[added++] = buffer;
    length += buffer.readableBytes();
    if (increaseWriterIndex) {
      writerIndex(writerIndex() + buffer.readableBytes());
    }
    return this;
  }

  @Override
  public int capacity() {
    return pieces == null ? super.capacity() : length;
  }

  @Override
  public int numComponents() {
    return pieces == null ? super.numComponents() : added;
  }

  /**
   * Whether its pieces are as they were added; false when the composite consolidated them (or was changed
   * otherwise): then only the composite itself may be written.
   */
  boolean inPieces() {
    return added > 0 && (pieces != null || super.numComponents() == added);
  }

  /** The pieces added ({@link #inPieces}). */
  int numPieces() {
    return added;
  }

  /**
   * Piece {@code i}: the buffer added itself (of a composite, its {@link #internalComponent}: the buffer added when it
   * was whole, a slice or a duplicate of a right-sized buffer), no allocation.
   */
  ByteBuf piece(int i) {
    return pieces != null ? pieces[i] : internalComponent(i);
  }

  @Override
  protected void deallocate() {
    if (pieces != null) {
      for (int i = 0; i < added; i++) {
        pieces[i].release();
        pieces[i] = null;
      }
      room.giveBack(pieces);
      pieces = null;
      added = 0;
    }
    super.deallocate();
  }
}
