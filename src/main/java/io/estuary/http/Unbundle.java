package io.estuary.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Between Vert.x's HTTP encoder and the socket of a live HTTP player's connection: a {@link MergedWrite} (as the
 * encoder passes it on, wrapped by Vert.x's buffer) goes to the socket as its pieces, each a buffer of its own
 * (retained, so the merged write is released as before, when Vert.x has written it), which the transport gathers
 * into one {@code writev} without allocating. Everything else passes through.
 */
@ChannelHandler.Sharable
final class Unbundle extends ChannelOutboundHandlerAdapter {

  static final Unbundle INSTANCE = new Unbundle();
  /** Vert.x wraps a written buffer at most twice (an unreleasable slice); more is not one of ours. */
  private static final int MAX_WRAPPERS = 4;

  private Unbundle() {
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    MergedWrite merged = msg instanceof ByteBuf buf ? mergedWrite(buf) : null;
    if (merged == null || !merged.inPieces()) {
      ctx.write(msg, promise);
      return;
    }
    int last = merged.numPieces() - 1;
    try {
      for (int i = 0; i < last; i++) {
        ctx.write(merged.piece(i).retain(), ctx.voidPromise());
      }
      ctx.write(merged.piece(last).retain(), promise);
    } finally {
      ReferenceCountUtil.release(msg); // the encoder's reference (a no-op on Vert.x's unreleasable wrapper)
    }
  }

  /** The merged write {@code buf} shows whole, or null. */
  private static MergedWrite mergedWrite(ByteBuf buf) {
    ByteBuf inner = buf;
    for (int i = 0; i < MAX_WRAPPERS && inner != null; i++) {
      if (inner instanceof MergedWrite merged) {
        return merged.readerIndex() == 0 && buf.readableBytes() == merged.readableBytes() ? merged : null;
      }
      inner = inner.unwrap();
    }
    return null;
  }
}
