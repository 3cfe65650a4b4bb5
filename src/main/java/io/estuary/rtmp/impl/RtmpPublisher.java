package io.estuary.rtmp.impl;

import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.stream.PublishOptions;
import io.estuary.stream.Source;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Timeline;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;


/**
 * The publishing role of a server session: a publisher's media and metadata into its {@link Source}, SRS's merged
 * read, and the publisher's timeouts (firstpkt_timeout, normal_timeout, kickoff_for_idle). The session owns the
 * commands and the connection; this role exists from an allowed publish until the publisher stops, and holds the
 * source's publish until then.
 *
 * <p>State accessed exclusively from the channel's event loop thread.
 */
final class RtmpPublisher {

  /** How often the timeouts are checked. */
  private static final long CHECK_MS = 1000;

  private final ChannelHandlerContext ctx;
  private final Source source;
  private final PublishOptions options;
  /** The chunk size the stream's messages are chunked for once, for all RTMP players: the vhost's. */
  private final int chunkSize;
  /** The publisher's 32-bit timestamps unwrapped: the source's time goes on past 2^32 ms. */
  private final Timeline timeline = new Timeline();
  private final long startedAt;
  private long lastMediaAt;
  private boolean sawMedia;
  private long lastWatchedAt;
  private boolean readPaused;
  /** Called with the reason when a timeout expires: the session closes the connection. */
  private final Consumer<String> timedOut;
  private ScheduledFuture<?> check;

  /** Publishes into {@code source}, whose publish the session started: {@link #stop} ends it and releases it. */
  RtmpPublisher(ChannelHandlerContext ctx, Source source, PublishOptions options, int chunkSize,
                Consumer<String> timedOut) {
    this.ctx = ctx;
    this.source = source;
    this.options = options;
    this.chunkSize = chunkSize;
    this.timedOut = timedOut;
    this.startedAt = System.nanoTime();
    this.lastWatchedAt = startedAt;
  }

  /** Announces the publish as SRS does (onFCPublish, onStatus Publish.Start) and starts watching the timeouts. */
  void start(int streamId) {
    Map<String, Object> start = Commands.publishStart();
    ctx.write(Commands.notify(streamId, "onFCPublish", start), ctx.voidPromise());
    ctx.writeAndFlush(Commands.onStatus(streamId, start), ctx.voidPromise());
    check = ctx.executor().schedule(this::check, CHECK_MS, TimeUnit.MILLISECONDS);
  }

  /** The publisher stops (unpublish or close): the source's publish ends and the source is released. */
  void stop() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
    source.stopPublish();
    source.release();
  }

  private void check() {
    String reason = timeout(System.nanoTime());
    if (reason != null) {
      check = null;
      timedOut.accept(reason);
    } else {
      check = ctx.executor().schedule(this::check, CHECK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** An audio or video message: stored once, chunked once if larger than a chunk, published. Takes {@code media}. */
  void onMedia(Media media) {
    sawMedia = true;
    lastMediaAt = System.nanoTime();
    source.publish(Ingest.media(media, chunkSize, timeline));
  }

  /** {@code @setDataFrame onMetaData} (or a bare onMetaData) is relayed; other data messages are not. */
  void onData(DataMessage data) {
    StreamMessage metadata;
    try {
      metadata = Ingest.metadata(data, timeline);
    } catch (IllegalArgumentException e) {
      throw new RtmpConnection.RtmpRequestException(e.getMessage());
    }
    if (metadata != null) {
      source.publish(metadata);
    }
  }

  /** SRS's merged read (publish.mr): let the socket fill for mr_latency, then read it all in fewer, larger reads. */
  void readComplete() {
    if (options.mergedRead() && !readPaused) {
      readPaused = true;
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(() -> {
        readPaused = false;
        ctx.channel().config().setAutoRead(true);
      }, options.mergedReadLatency(), TimeUnit.MILLISECONDS);
    }
  }

  /** Why the publisher must go now, or null: no first packet, idle, or nobody watching (kickoff_for_idle). */
  String timeout(long now) {
    long first = options.firstPacketTimeout();
    long normal = options.normalTimeout();
    if (!sawMedia && TimeUnit.NANOSECONDS.toMillis(now - startedAt) >= first) {
      return "publisher sent no media within firstpkt_timeout " + first + " ms";
    }
    long idle = TimeUnit.NANOSECONDS.toMillis(now - lastMediaAt);
    if (sawMedia && idle >= normal) {
      return "publisher idle for " + idle + " ms (normal_timeout " + normal + " ms)";
    }
    int kickoff = options.kickoffForIdle();
    if (source.consumerCount() > 0) {
      lastWatchedAt = now;
    } else if (kickoff > 0 && TimeUnit.NANOSECONDS.toSeconds(now - lastWatchedAt) >= kickoff) {
      return "no player for " + kickoff + " s (kickoff_for_idle)";
    }
    return null;
  }
}
