package io.estuary.bench;

import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.UserControl;
import io.netty.channel.ChannelHandlerContext;

import java.util.function.BooleanSupplier;

/** An RTMP player: connect, createStream, play; counts what arrives into its {@link PlayerStats}. */
final class RtmpPlayer extends RtmpSession {

  private static final long BUFFER_MILLIS = 3000;

  private final PlayerStats stats;
  private final BooleanSupplier stopping;

  RtmpPlayer(BenchOptions.Target target, PlayerStats stats, BooleanSupplier stopping) {
    super(target, false);
    this.stats = stats;
    this.stopping = stopping;
  }

  @Override
  void onStreamCreated(ChannelHandlerContext ctx) {
    stats.onPlayRequested(System.nanoTime());
    ctx.write(new CommandMessage(streamId, "play", 0, null, target.streamWithQuery(), -2.0));
    ctx.writeAndFlush(new UserControl(UserControl.SET_BUFFER_LENGTH, streamId, BUFFER_MILLIS));
  }

  @Override
  void onStatus(ChannelHandlerContext ctx, String code, String level) {
    if ("NetStream.Play.Start".equals(code)) {
      stats.onPlaying();
    } else if ("error".equals(level)) {
      fail(ctx, code);
    }
  }

  @Override
  void onMedia(ChannelHandlerContext ctx, Media media) {
    stats.onMedia(media.isVideo(), media.payload());
  }

  @Override
  void fail(ChannelHandlerContext ctx, String reason) {
    stats.onEnd(reason, true);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    boolean stop = stopping.getAsBoolean();
    stats.onEnd(stop ? "stopped" : "closed by the server", !stop);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause.toString());
  }
}
