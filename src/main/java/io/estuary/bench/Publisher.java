package io.estuary.bench;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpPublishSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * An RTMP publisher looping an {@link FlvLoop} in real time through {@link RtmpClient}: once NetStream.Publish.Start
 * arrived, {@code @setDataFrame onMetaData}, then each tag when its timestamp (plus the loop offset) comes due on the
 * wall clock, as {@code ffmpeg -re -stream_loop -1 -c copy} sends. Each tag goes out as a retained slice of the
 * file's buffer; each H.264/H.265 frame gets a {@link LatencyMarker} whose send time goes into this publisher's
 * {@link SendLog}. Writes pause while the session's write queue is full and catch up after.
 */
final class Publisher {

  /** Bits of a marker sequence for the frame counter; the publisher index is above them. */
  static final int SEQUENCE_BITS = 40;

  enum State { CONNECTING, PUBLISHING, FAILED, CLOSED }

  final int index;
  final SendLog sendLog = new SendLog();
  /** Completes when the server answered NetStream.Publish.Start, or fails with the reason. */
  final CompletableFuture<Void> published = new CompletableFuture<>();
  private final BenchOptions.Target target;
  private final FlvLoop file;
  private final BooleanSupplier stopping;
  private final Runnable pumpTask = this::pump;

  // State accessed exclusively from the session's event loop thread (counters read by the reporter)
  private volatile State state = State.CONNECTING;
  private volatile long videoSent;
  private volatile long bytesSent;
  private volatile String failure;
  private volatile RtmpPublishSession session;
  private EventExecutor loop;
  private long startNanos;
  private int position;
  private long loopCount;
  private long frameCounter;
  private boolean pumpScheduled;

  Publisher(int index, BenchOptions.Target target, FlvLoop file, BooleanSupplier stopping) {
    this.index = index;
    this.target = target;
    this.file = file;
    this.stopping = stopping;
  }

  /** Connects and publishes; call it on {@code loop}, the event loop the publisher runs on. */
  void start(RtmpClient client, EventExecutor loop) {
    this.loop = loop;
    client.publish(target.toString()).onComplete(ar -> {
      if (ar.failed()) {
        end(ar.cause().getMessage(), true);
        return;
      }
      RtmpPublishSession s = ar.result();
      session = s;
      s.closed().onComplete(reason -> {
        boolean stop = stopping.getAsBoolean();
        end(stop ? "stopped" : reason.result(), !stop);
      });
      s.drainHandler(v -> {
        if (!pumpScheduled) {
          pump();
        }
      });
      if (state != State.CONNECTING) {
        return; // closed meanwhile
      }
      state = State.PUBLISHING;
      s.writeMetadata(file.metadata());
      startNanos = System.nanoTime();
      published.complete(null);
      pump();
    });
  }

  /** Sends every tag now due, then sleeps until the next one is. */
  private void pump() {
    pumpScheduled = false;
    RtmpPublishSession s = session;
    if (state != State.PUBLISHING) {
      return;
    }
    List<FlvLoop.Tag> tags = file.tags();
    long now = System.nanoTime();
    long dueNanos;
    while (true) {
      FlvLoop.Tag tag = tags.get(position);
      long timestamp = loopCount * file.loopMillis() + tag.timestamp();
      dueNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timestamp);
      if (dueNanos > now || s.writeQueueFull()) {
        break;
      }
      if (loopCount == 0 || !tag.sequenceHeader()) {
        send(s, tag, timestamp);
      }
      if (++position == tags.size()) {
        position = 0;
        loopCount++;
      }
    }
    if (!s.writeQueueFull()) {
      pumpScheduled = true;
      loop.schedule(pumpTask, Math.max(0, dueNanos - now), TimeUnit.NANOSECONDS);
    } // else the drain handler resumes
  }

  private void send(RtmpPublishSession s, FlvLoop.Tag tag, long timestamp) {
    ByteBuf body = tag.body();
    ByteBuf payload;
    if (tag.isVideo() && !tag.sequenceHeader() && LatencyMarker.markable(body)) {
      long sequence = (long) index << SEQUENCE_BITS | frameCounter++ & ((1L << SEQUENCE_BITS) - 1);
      payload = LatencyMarker.mark(PooledByteBufAllocator.DEFAULT, body, file.nalLengthSize(), sequence);
      sendLog.sent(sequence, System.nanoTime());
    } else {
      payload = body.retainedDuplicate();
    }
    bytesSent += payload.readableBytes();
    if (tag.isVideo()) {
      videoSent++;
      s.writeVideo(timestamp, payload);
    } else {
      s.writeAudio(timestamp, payload);
    }
  }

  private void end(String reason, boolean failed) {
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    failure = reason;
    state = failed ? State.FAILED : State.CLOSED;
    published.completeExceptionally(new IllegalStateException(reason));
  }

  /** Closes the session, if any (from any thread). */
  void close() {
    RtmpPublishSession s = session;
    if (s != null) {
      s.close();
    }
  }

  State state() { return state; }
  long videoSent() { return videoSent; }
  long bytesSent() { return bytesSent; }
  String failure() { return failure; }
}
