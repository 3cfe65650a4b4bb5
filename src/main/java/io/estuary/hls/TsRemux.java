package io.estuary.hls;

import io.estuary.media.FlvTags;
import io.estuary.mpegts.TsMuxer;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.VhostOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Live MPEG-TS for HTTP-TS players, muxed once per stream: while a stream has TS players, one remuxer consumes it
 * and publishes the TS packets as a derived stream (in a hub of its own, so it is neither listed nor segmented),
 * which every TS player then consumes like any other stream — shared buffers, per-loop fan-out, bounded queues.
 * PAT/PMT go out as the derived stream's sequence header and again before every keyframe.
 */
public final class TsRemux {

  private static final Logger LOG = Logger.getLogger("io.estuary.hls");
  private static final PlayOptions REMUXER_PLAY = PlayOptions.fromJson(new JsonObject()
      .put("time_jitter", "off").put("mw_latency", 0).put("mw_msgs", 0).put("queue_length", 0), true);

  private final StreamHub hub;
  private final StreamHub derived = new StreamHub();
  private final Map<StreamKey, Remuxer> running = new ConcurrentHashMap<>();

  public TsRemux(StreamHub hub) {
    this.hub = hub;
  }

  /**
   * The TS stream of {@code original} (which must be live), starting its remuxer on {@code loop} (the caller's
   * loop) when none runs. The caller releases the returned source when done.
   */
  public Source acquire(Source original, VhostOptions vhost, Executor loop) {
    Source ts = derived.acquire(original.key());
    // Only the caller that creates a remuxer starts it, on its own loop; a stopped one is replaced.
    running.compute(original.key(), (key, existing) -> {
      if (existing != null && existing.publishing) {
        return existing;
      }
      Remuxer remuxer = new Remuxer(original, vhost, loop);
      return remuxer.start() ? remuxer : null;
    });
    return ts;
  }

  /** Muxes one stream into TS messages of its derived source. State accessed exclusively from its loop. */
  private final class Remuxer implements Consumer.Sink {
    private final Source original;
    private final Source ts;
    private final VhostOptions vhost;
    private final Executor loop;
    private final Consumer consumer;
    private final TsMuxer muxer = new TsMuxer();
    private volatile boolean publishing;
    private boolean hasVideo;
    private boolean hasAudio;

    Remuxer(Source original, VhostOptions vhost, Executor loop) {
      this.original = hub.acquire(original.key()); // held while remuxing
      this.ts = derived.acquire(original.key());
      this.vhost = vhost;
      this.loop = loop;
      this.consumer = new Consumer(loop, this, REMUXER_PLAY);
    }

    /** Publishes the derived stream and subscribes to the original; false (and nothing held) if it cannot. */
    boolean start() {
      publishing = ts.startPublish(loop, vhost, "ts-remux");
      if (!publishing) {
        ts.release();
        original.release();
        return false;
      }
      original.subscribe(consumer);
      return true;
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void write(StreamMessage message, long timestamp) {
      try {
        if (message.isScript() || !publishing) {
          return;
        }
        ByteBuf body = message.payload();
        if (message.isSequenceHeader()) {
          hasVideo |= message.isVideo();
          hasAudio |= message.isAudio();
          muxer.write(message.isVideo(), body, timestamp, Unpooled.EMPTY_BUFFER); // configures, writes nothing
          publishPsi(timestamp);
          return;
        }
        if (message.isKeyframe() && ts.consumerCount() == 0) {
          stop(); // the last TS player left
          return;
        }
        ByteBuf out = StreamMessage.STORE.buffer(body.readableBytes() + body.readableBytes() / 8 + 400);
        try {
          if (message.isKeyframe()) {
            muxer.writePsi(out);
          }
          muxer.write(message.isVideo(), body, timestamp, out);
        } catch (IllegalArgumentException e) {
          out.release();
          LOG.warning("http-ts: " + original.key() + ": frame dropped: " + e.getMessage());
          return;
        }
        if (out.isReadable()) {
          ts.publish(StreamMessage.derived(message.type(), timestamp, out, message.isKeyframe(), false));
        } else {
          out.release();
        }
      } finally {
        message.release();
      }
    }

    private void publishPsi(long timestamp) {
      muxer.tracks(hasVideo, hasAudio);
      ByteBuf psi = StreamMessage.STORE.buffer(376);
      muxer.writePsi(psi);
      int type = hasVideo ? FlvTags.TAG_VIDEO : FlvTags.TAG_AUDIO;
      ts.publish(StreamMessage.derived(type, timestamp, psi, false, true));
    }

    @Override
    public void flush() {
    }

    @Override
    public void streamEnded() {
      stop();
    }

    private void stop() {
      if (!publishing) {
        return;
      }
      publishing = false;
      ts.stopPublish();
      running.remove(original.key(), this);
      ts.release();
      loop.execute(() -> { // not while the relay iterates its consumers
        original.unsubscribe(consumer);
        original.release();
      });
    }
  }
}
