package io.estuary.bench;

import io.estuary.amf.EcmaArray;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An RTMP publisher looping an {@link FlvLoop} in real time: connect, releaseStream, FCPublish, createStream,
 * publish; then {@code @setDataFrame onMetaData}, and each tag when its timestamp (plus the loop offset) comes
 * due on the wall clock, as {@code ffmpeg -re -stream_loop -1 -c copy} sends. Each tag goes out as a retained
 * slice of the file's buffer; each H.264/H.265 frame gets a {@link LatencyMarker} whose send time goes into this
 * publisher's {@link SendLog}. Writes pause while the socket is not writable and catch up after.
 */
final class Publisher extends RtmpSession {

  /** Bits of a marker sequence for the frame counter; the publisher index is above them. */
  static final int SEQUENCE_BITS = 40;

  enum State { CONNECTING, PUBLISHING, FAILED, CLOSED }

  final int index;
  final SendLog sendLog = new SendLog();
  /** Completes when the server answered NetStream.Publish.Start, or fails with the reason. */
  final CompletableFuture<Void> published = new CompletableFuture<>();
  private final FlvLoop file;
  private final BooleanSupplier stopping;

  // State accessed exclusively from the channel's event loop thread (counters read by the reporter)
  private volatile State state = State.CONNECTING;
  private volatile long videoSent;
  private volatile long bytesSent;
  private volatile String failure;
  private long startNanos;
  private int position;
  private long loop;
  private long frameCounter;
  private boolean pumpScheduled;

  Publisher(int index, BenchOptions.Target target, FlvLoop file, BooleanSupplier stopping) {
    super(target, true);
    this.index = index;
    this.file = file;
    this.stopping = stopping;
  }

  @Override
  void onStreamCreated(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(new CommandMessage(streamId, "publish", 5, null, target.streamWithQuery(), "live"));
  }

  @Override
  void onStatus(ChannelHandlerContext ctx, String code, String level) {
    if ("NetStream.Publish.Start".equals(code) && state == State.CONNECTING) {
      state = State.PUBLISHING;
      ctx.write(new DataMessage(streamId, 0, List.of("@setDataFrame", "onMetaData", new EcmaArray(file.metadata()))));
      startNanos = System.nanoTime();
      published.complete(null);
      pump(ctx);
    } else if ("error".equals(level)) {
      fail(ctx, code);
    }
  }

  /** Sends every tag now due, then sleeps until the next one is. */
  private void pump(ChannelHandlerContext ctx) {
    pumpScheduled = false;
    if (state != State.PUBLISHING || !ctx.channel().isActive()) {
      return;
    }
    List<FlvLoop.Tag> tags = file.tags();
    long now = System.nanoTime();
    boolean wrote = false;
    long dueNanos;
    while (true) {
      FlvLoop.Tag tag = tags.get(position);
      long timestamp = loop * file.loopMillis() + tag.timestamp();
      dueNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timestamp);
      if (dueNanos > now || !ctx.channel().isWritable()) {
        break;
      }
      if (loop == 0 || !tag.sequenceHeader()) {
        send(ctx, tag, timestamp);
        wrote = true;
      }
      if (++position == tags.size()) {
        position = 0;
        loop++;
      }
    }
    if (wrote) {
      ctx.flush();
    }
    if (ctx.channel().isWritable()) {
      pumpScheduled = true;
      ctx.executor().schedule(() -> pump(ctx), Math.max(0, dueNanos - now), TimeUnit.NANOSECONDS);
    } // else channelWritabilityChanged resumes
  }

  private void send(ChannelHandlerContext ctx, FlvLoop.Tag tag, long timestamp) {
    ByteBuf body = tag.body();
    ByteBuf payload;
    if (tag.isVideo() && !tag.sequenceHeader() && LatencyMarker.markable(body)) {
      long sequence = (long) index << SEQUENCE_BITS | frameCounter++ & ((1L << SEQUENCE_BITS) - 1);
      payload = LatencyMarker.mark(ctx.alloc(), body, file.nalLengthSize(), sequence);
      sendLog.sent(sequence, System.nanoTime());
    } else {
      payload = body.retainedDuplicate();
    }
    if (tag.isVideo()) {
      videoSent++;
    }
    bytesSent += payload.readableBytes();
    ctx.write(new Media(tag.tag().type(), streamId, timestamp, payload));
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && !pumpScheduled) {
      pump(ctx);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  void fail(ChannelHandlerContext ctx, String reason) {
    end(reason, true);
    ctx.close();
  }

  private void end(String reason, boolean failed) {
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    failure = reason;
    state = failed ? State.FAILED : State.CLOSED;
    published.completeExceptionally(new IllegalStateException(reason));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    boolean stop = stopping.getAsBoolean();
    end(stop ? "stopped" : "closed by the server", !stop);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause.toString());
  }

  State state() { return state; }
  long videoSent() { return videoSent; }
  long bytesSent() { return bytesSent; }
  String failure() { return failure; }
}
