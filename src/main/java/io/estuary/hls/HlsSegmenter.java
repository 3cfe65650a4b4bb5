package io.estuary.hls;

import io.estuary.config.HlsOptions;
import io.estuary.log.RateLimitedLog;
import io.estuary.mpegts.TsMuxer;
import io.estuary.stream.Consumer;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.logging.Level;

/**
 * Cuts one publish of a stream into MPEG-TS segments, as SRS's HLS muxer does: a new segment at the first video
 * keyframe once the current one lasts {@code hls_fragment} (or, for audio only, at {@code hls_fragment}; and in any
 * case past {@code hls_fragment * hls_aof_ratio}). It is the stream's one TS muxer: it runs once per stream, on the
 * publisher's event loop, as a consumer of the source, never once per player.
 *
 * <p>State accessed exclusively from the publisher's event loop.
 */
final class HlsSegmenter implements Consumer.Sink {

  /** Room for a few seconds of a 360p stream; the buffer grows as needed. */
  private static final int INITIAL_SEGMENT_CAPACITY = 512 * 1024;

  private final Hls hls;
  private final Hls.Publish publish;
  private final HlsOptions options;
  private final TsMuxer muxer = new TsMuxer();
  private ByteBuf segment; // unpooled heap: handed to the HTTP server and the disk as is, then garbage collected
  private long segmentStart;
  private long lastTimestamp;
  private boolean hasVideo;
  private boolean hasAudio;
  /** What HLS carries and skips, published for the API when it changes. */
  private HlsTracks tracks = HlsTracks.NONE;
  /** Frames dropped: a line per frame would flood the log. */
  private final RateLimitedLog malformed;

  HlsSegmenter(Hls hls, Hls.Publish publish, HlsOptions options) {
    this.hls = hls;
    this.publish = publish;
    this.options = options;
    this.malformed = new RateLimitedLog(Hls.LOG, Level.WARNING, "hls: " + publish.key + ": frames dropped", 1);
    publish.stream.tracks = tracks;
  }

  @Override
  public boolean writable() {
    return true; // a consumer that never falls behind: it only fills memory
  }

  @Override
  public void write(StreamMessage message, long timestamp) {
    try {
      if (message.isScript()) {
        return;
      }
      ByteBuf body = message.payload();
      String unsupported = TsMuxer.unsupportedCodec(message.isVideo(), body);
      if (unsupported != null) {
        skip(message.isVideo(), unsupported); // the track stays out of the PMT; the other one goes on
        return;
      }
      seen(message.isVideo());
      if (message.isSequenceHeader()) {
        mux(message, body, timestamp, null); // configures the muxer, writes nothing
        return;
      }
      if (segment == null) {
        if (options.waitKeyframe() && hasVideo && !message.isKeyframe()) {
          return; // a segment starts at a keyframe so that it decodes on its own
        }
        open(timestamp);
      } else if (shouldCut(message, timestamp)) {
        reap(timestamp);
        open(timestamp);
      }
      mux(message, body, timestamp, segment);
      lastTimestamp = timestamp;
    } finally {
      message.release();
    }
  }

  /** A track HLS carries: the PMT declares it from the next segment on. */
  private void seen(boolean video) {
    if (video ? hasVideo : hasAudio) {
      return;
    }
    if (video) {
      hasVideo = true;
      tracks = tracks.withVideo();
    } else {
      hasAudio = true;
      tracks = tracks.withAudio();
    }
    publish.stream.tracks = tracks;
  }

  /** A codec TS cannot carry: one log line per track and codec of this publish, not one per frame. */
  private void skip(boolean video, String codec) {
    if (codec.equals(video ? tracks.skippedVideo() : tracks.skippedAudio())) {
      return;
    }
    tracks = tracks.skipping(video, codec);
    publish.stream.tracks = tracks;
    hls.skipped(publish, video ? "video" : "audio", codec);
  }

  private boolean shouldCut(StreamMessage message, long timestamp) {
    double duration = (timestamp - segmentStart) / 1000.0;
    if (hasVideo && options.waitKeyframe()) {
      return message.isVideo() && message.isKeyframe() && duration >= options.fragment()
          || duration >= options.fragment() * options.aofRatio(); // keyframes stopped: do not grow forever
    }
    return duration >= options.fragment() && (!hasVideo || message.isKeyframe() || !options.waitKeyframe());
  }

  private void mux(StreamMessage message, ByteBuf body, long timestamp, ByteBuf out) {
    ByteBuf target = out == null ? Unpooled.EMPTY_BUFFER : out;
    try {
      muxer.write(message.isVideo(), body, timestamp, target);
    } catch (IllegalArgumentException e) {
      // a frame the muxer cannot take is dropped; the stream goes on
      malformed.log(() -> "hls: " + publish.key + ": frame dropped: " + e.getMessage());
    }
  }

  private void open(long timestamp) {
    segment = Unpooled.buffer(INITIAL_SEGMENT_CAPACITY);
    muxer.tracks(hasVideo, hasAudio);
    muxer.writePsi(segment);
    segmentStart = timestamp;
  }

  private void reap(long endTimestamp) {
    double duration = Math.max(0.001, (endTimestamp - segmentStart) / 1000.0);
    hls.segmentReady(publish, segment, duration);
    segment = null;
  }

  @Override
  public void flush() {
  }

  @Override
  public void streamEnded() {
    if (segment != null) {
      reap(lastTimestamp + 40); // the last frame's own duration is not known: one 25 fps frame
    }
    hls.ended(publish);
  }
}
