package io.estuary.rtmp.impl;

import io.estuary.rtmp.codec.SharedChunks;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.UserControl;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Subscription;
import io.netty.channel.ChannelHandlerContext;

import java.util.List;

/**
 * The playing role of a server session: the {@link Consumer.Sink} a stream is written through. Each message goes
 * to the chunk encoder as a recycled {@link SharedChunks} naming the shared payload and, when the publisher chunked
 * it ({@link ChunkedBody}), the shared chunked body: the encoder, which alone knows this connection's chunk size,
 * adds only this player's chunk header (a multitrack message's default-track rendition has its own chunked body). The
 * byte counter nearest the socket counts what is sent.
 *
 * <p>State accessed exclusively from the channel's event loop thread, which is also the consumer's.
 */
final class RtmpPlayer implements Consumer.Sink {

  private final ChannelHandlerContext ctx;
  private final int streamId;
  private final Consumer consumer;
  /** Called with the reason when the player stopped reading: the session closes the connection. */
  private final java.util.function.Consumer<String> stuck;
  /** The consumer's subscription while playing: closing it unsubscribes and releases. */
  private Subscription subscription;

  /**
   * A player of {@code streamId}; {@code multitrack}: it announced Enhanced RTMP multitrack (connect capsEx), so it gets
   * multitrack messages as they came, where any other gets their default track as plain FLV ({@link Consumer#multitrack}).
   * {@code stuck} is told why when the player stopped reading ({@link Consumer.Sink#stuck}).
   */
  RtmpPlayer(ChannelHandlerContext ctx, int streamId, PlayOptions options, boolean multitrack,
             java.util.function.Consumer<String> stuck) {
    this.ctx = ctx;
    this.streamId = streamId;
    this.stuck = stuck;
    this.consumer = new Consumer(ctx.executor(), this, options).multitrack(multitrack);
  }

  Consumer consumer() {
    return consumer;
  }

  /**
   * Subscribes to {@code key}'s source in {@code hub} (acquired), the play's request parameters ({@code ?token=...})
   * given; the source, which may have no publisher yet.
   */
  Source subscribe(StreamHub hub, StreamKey key, String param) {
    subscription = hub.subscribe(key, consumer.param(param));
    return subscription.source();
  }

  /** The player stops (stop, close): unsubscribed, the source released. */
  void stop() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  /** Announces the play as SRS does: Stream Begin, Play.Reset, Play.Start, |RtmpSampleAccess. */
  void start(String stream) {
    announce(ctx, streamId, stream);
  }

  /** {@link #start}'s messages, also for a play that is redirected before anything plays (SRS's start_play). */
  static void announce(ChannelHandlerContext ctx, int streamId, String stream) {
    ctx.write(new UserControl(UserControl.STREAM_BEGIN, streamId), ctx.voidPromise());
    ctx.write(Commands.onStatus(streamId, Commands.playReset(stream)), ctx.voidPromise());
    ctx.write(Commands.onStatus(streamId, Commands.playStart(stream)), ctx.voidPromise());
    ctx.writeAndFlush(new DataMessage(streamId, 0, List.of("|RtmpSampleAccess", true, true)), ctx.voidPromise());
  }

  /** The socket can take more: write what is queued. */
  void writabilityChanged() {
    if (ctx.channel().isWritable()) {
      consumer.drain();
    }
  }

  @Override
  public boolean writable() {
    return ctx.channel().isWritable();
  }

  @Override
  public void write(StreamMessage message, long timestamp) {
    try {
      // The encoder takes its own references before ctx.write returns: this is the channel's event loop.
      ChunkedBody chunked = ChunkedBody.of(message);
      ctx.write(SharedChunks.of(message.type(), streamId, timestamp, message.payload(),
          chunked == null ? null : chunked.body(), chunked == null ? 0 : chunked.chunkSize()), ctx.voidPromise());
    } finally {
      message.release();
    }
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public void stuck(String reason) {
    stuck.accept(reason);
  }

  @Override
  public void streamEnded() {
    ctx.write(new UserControl(UserControl.STREAM_EOF, streamId), ctx.voidPromise());
    ctx.writeAndFlush(Commands.onStatus(streamId, Commands.unpublishNotify()), ctx.voidPromise());
  }
}
