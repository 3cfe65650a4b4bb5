package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * Client side of the simple RTMP handshake (RTMP spec 5.2), for Estuary's own RTMP client (edge pull, forward,
 * bench): sends C0+C1 as soon as the channel is active, reads S0+S1+S2, answers C2 (an echo of S1), fires
 * {@link HandshakeCompleted} and removes itself.
 */
public final class ClientHandshakeHandler extends HandshakeStage {

  // State accessed exclusively from the channel's event loop thread
  private boolean sentC0C1;

  /** @param handshakeTimeoutMillis how long the server has to finish the handshake; 0 for no limit */
  public ClientHandshakeHandler(long handshakeTimeoutMillis) {
    super(handshakeTimeoutMillis);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      sendC0C1(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    sendC0C1(ctx);
    super.channelActive(ctx);
  }

  private void sendC0C1(ChannelHandlerContext ctx) {
    if (sentC0C1) {
      return;
    }
    sentC0C1 = true;
    byte[] c1 = HandshakeHandler.randomPacket();
    HandshakeHandler.writeTime(c1);
    c1[4] = c1[5] = c1[6] = c1[7] = 0; // zero version: the simple handshake
    ctx.writeAndFlush(ctx.alloc().buffer(1 + PACKET_SIZE).writeByte(RTMP_VERSION).writeBytes(c1));
  }

  @Override
  void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
    if (!in.isReadable()) {
      return;
    }
    checkVersion(in);
    if (in.readableBytes() < 1 + 2 * PACKET_SIZE) {
      return;
    }
    in.skipBytes(1);
    ctx.writeAndFlush(in.readRetainedSlice(PACKET_SIZE)); // C2 echoes S1
    in.skipBytes(PACKET_SIZE); // S2 should echo C1; servers differ (digest handshake), so it is not checked
    complete(ctx, false);
  }
}
