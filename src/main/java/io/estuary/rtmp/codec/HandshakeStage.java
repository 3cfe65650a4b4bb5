package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the server and client handshakes share: the version byte, the deadline, and removing the stage from the
 * pipeline when done (ByteToMessageDecoder then passes any bytes already received on to the chunk decoder).
 */
abstract class HandshakeStage extends ByteToMessageDecoder {
  /** The only version byte (C0/S0) plain RTMP uses; 6 is RTMPE, which we do not speak. */
  static final int RTMP_VERSION = 3;
  static final int PACKET_SIZE = HandshakeDigest.PACKET_SIZE;

  // State accessed exclusively from the channel's event loop thread
  private final long timeoutMillis;
  private ScheduledFuture<?> deadline;
  private boolean failed;

  /** @param timeoutMillis how long the peer has to complete the handshake; 0 for no limit */
  HandshakeStage(long timeoutMillis) {
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("handshake timeout must be >= 0: " + timeoutMillis);
    }
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    if (timeoutMillis > 0) {
      deadline = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelDeadline();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    super.channelInactive(ctx);
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes()); // the connection is being closed: ignore what else arrives
      return;
    }
    decodeHandshake(ctx, in);
  }

  /** Consumes handshake bytes as they become complete, replying and finally calling {@link #complete}. */
  abstract void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in);

  /** Checks the version byte (C0 or S0) at the reader index, if it has arrived. */
  final void checkVersion(ByteBuf in) {
    int version = in.getUnsignedByte(in.readerIndex());
    if (version != RTMP_VERSION) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw new RtmpException(String.format("unsupported RTMP version 0x%02x", version));
    }
  }

  /** Fires {@link HandshakeCompleted} and leaves the pipeline; bytes after the handshake go on to the next handler. */
  final void complete(ChannelHandlerContext ctx, boolean complex) {
    cancelDeadline();
    ctx.fireUserEventTriggered(new HandshakeCompleted(complex));
    ctx.pipeline().remove(this);
  }

  private void expire(ChannelHandlerContext ctx) {
    if (!ctx.isRemoved() && !failed) {
      failed = true;
      ctx.fireExceptionCaught(new RtmpException("handshake not completed in " + timeoutMillis + " ms"));
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
