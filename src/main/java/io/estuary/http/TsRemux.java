package io.estuary.http;

import io.estuary.log.RateLimitedLog;
import io.estuary.media.FlvTags;
import io.estuary.media.SkippedCodecs;
import io.estuary.mpegts.TsMuxer;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Live MPEG-TS for HTTP-TS players, muxed once per stream: while a stream has TS players, one remuxer consumes it
 * and publishes the TS packets as the stream's derived source in the same hub (not listed, not segmented), which
 * every TS player then consumes like any other stream — shared buffers, per-loop fan-out, bounded queues.
 * PAT/PMT go out as the derived stream's sequence header and again before every keyframe.
 */
public final class TsRemux {

  private static final Logger LOG = Logger.getLogger("io.estuary.http");

  private final StreamHub hub;
  private final Map<StreamKey, Remuxer> running = new ConcurrentHashMap<>();

  public TsRemux(StreamHub hub) {
    this.hub = hub;
  }

  /**
   * Subscribes {@code consumer} to the TS stream of {@code key} (which should be live), starting its remuxer on the
   * consumer's loop when none runs; {@code play} is the vhost's play settings for the TS stream's caches.
   */
  public Subscription subscribe(StreamKey key, PlayOptions play, Consumer consumer) {
    Source ts = hub.acquire(key, true); // held while the remuxer starts, so the player finds it publishing
    try {
      // Only the caller that creates a remuxer starts it, on its own loop; a stopped one is replaced.
      running.compute(key, (k, existing) -> {
        if (existing != null && existing.publishing) {
          return existing;
        }
        Remuxer remuxer = new Remuxer(k, play, consumer.loop());
        return remuxer.start() ? remuxer : null;
      });
      return hub.subscribe(key, true, consumer);
    } finally {
      ts.release();
    }
  }

  /** Muxes one stream into TS messages of its derived source. State accessed exclusively from its loop. */
  private final class Remuxer implements Consumer.Sink {
    private final StreamKey key;
    private final Source ts;
    private final PlayOptions play;
    private final Executor loop;
    private final TsMuxer muxer = new TsMuxer();
    private Subscription original;
    private volatile boolean publishing;
    private boolean hasVideo;
    private boolean hasAudio;
    /** The codec skipped per track (TS cannot carry it), so that each is logged once. */
    private final SkippedCodecs skipped = new SkippedCodecs();
    /** Frames dropped: a line per frame would flood the log. */
    private final RateLimitedLog malformed;

    Remuxer(StreamKey key, PlayOptions play, Executor loop) {
      this.key = key;
      this.malformed = new RateLimitedLog(LOG, Level.WARNING, "http-ts: " + key + ": frames dropped", 1);
      this.ts = hub.acquire(key, true); // held while remuxing
      this.play = play;
      this.loop = loop;
    }

    /** Publishes the derived stream and subscribes to the original; false (and nothing held) if it cannot. */
    boolean start() {
      publishing = ts.startPublish(loop, play, false, "ts-remux");
      if (!publishing) {
        ts.release();
        return false;
      }
      original = hub.subscribe(key, new Consumer(loop, this, PlayOptions.unbuffered()));
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
        if (message.isKeyframe() && !message.isSequenceHeader() && ts.consumerCount() == 0) {
          stop(); // the last TS player left
          return;
        }
        String unsupported = TsMuxer.unsupportedCodec(message.isVideo(), body);
        if (unsupported != null) {
          skip(message.isVideo(), unsupported); // as HLS: the other track goes on alone
          return;
        }
        if (message.isSequenceHeader()) {
          hasVideo |= message.isVideo();
          hasAudio |= message.isAudio();
          try {
            muxer.write(message.isVideo(), body, timestamp, Unpooled.EMPTY_BUFFER); // configures, writes nothing
          } catch (IllegalArgumentException e) {
            malformed.log(() -> "http-ts: " + key + ": sequence header dropped: " + e.getMessage());
          }
          publishPsi(timestamp);
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
          malformed.log(() -> "http-ts: " + key + ": frame dropped: " + e.getMessage());
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

    private void skip(boolean video, String codec) {
      if (!skipped.note(video, codec)) {
        return;
      }
      String track = video ? "video" : "audio";
      LOG.warning("http-ts: " + key + ": " + track + " codec " + codec + " cannot go in MPEG-TS: HTTP-TS skips the "
          + track + " track");
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
      running.remove(key, this);
      ts.release();
      original.close(); // safe from this consumer's own write: the consumer stops writing
    }
  }
}
