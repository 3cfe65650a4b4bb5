package io.estuary.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** First in an HTTP-FLV player's pipeline: counts the bytes received from the socket, before any decoding. */
final class ByteCounter extends ChannelInboundHandlerAdapter {

  private final PlayerStats stats;

  ByteCounter(PlayerStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      stats.onBytes(buf.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }
}
