package io.estuary.rtmp.impl;

import io.estuary.access.Client;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts a connection's bytes on the wire, both ways, into its {@link Client}: first in the pipeline, so everything
 * written passes it once (a player's media too, since it goes through the chunk encoder). The one sent-bytes count.
 */
final class ByteCounter extends ChannelDuplexHandler {

  private final Client client;

  ByteCounter(Client client) {
    this.client = client;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf buf) {
      client.addReceived(buf.readableBytes());
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof ByteBuf buf) {
      client.addSent(buf.readableBytes());
    } else if (msg instanceof ByteBufHolder holder) {
      client.addSent(holder.content().readableBytes());
    }
    super.write(ctx, msg, promise);
  }
}
