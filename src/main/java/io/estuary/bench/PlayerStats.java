package io.estuary.bench;

import io.netty.buffer.ByteBuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One player's counters. Written only by the player's event loop (plain reads, release writes: no lock, no fence
 * beyond a store ordering per update), read once a second by the bench's reporter (acquire reads).
 *
 * <p>The measurement window (after {@code --warmup}): the reporter calls {@link #startWindow} once; the window's
 * counts are the counters minus what they were then, so the event loop's counters are never written by two threads.
 */
final class PlayerStats {

  enum State { CONNECTING, PLAYING, FAILED, CLOSED }

  private static final VarHandle BYTES;
  private static final VarHandle MEDIA_BYTES;
  private static final VarHandle VIDEO;
  private static final VarHandle AUDIO;
  private static final VarHandle LAST_MEDIA;
  private static final VarHandle PLAY_START;
  private static final VarHandle END;
  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      BYTES = l.findVarHandle(PlayerStats.class, "bytes", long.class);
      MEDIA_BYTES = l.findVarHandle(PlayerStats.class, "mediaBytes", long.class);
      VIDEO = l.findVarHandle(PlayerStats.class, "videoFrames", long.class);
      AUDIO = l.findVarHandle(PlayerStats.class, "audioFrames", long.class);
      LAST_MEDIA = l.findVarHandle(PlayerStats.class, "lastMediaNanos", long.class);
      PLAY_START = l.findVarHandle(PlayerStats.class, "playStartNanos", long.class);
      END = l.findVarHandle(PlayerStats.class, "endNanos", long.class);
      STATE = l.findVarHandle(PlayerStats.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final int index;
  final String url;
  private final SendLog[] sendLogs;
  // The histograms of this player's event loop, set when the channel registers: the whole run and the window
  private LatencyHistogram latency;
  private LatencyHistogram windowLatency;

  // Written exclusively from the player's event loop thread
  private long bytes;
  private long mediaBytes;
  private long videoFrames;
  private long audioFrames;
  private long lastMediaNanos;
  private long playStartNanos;
  private long endNanos;
  private State state = State.CONNECTING;
  private volatile String failure;

  // Written and read by the bench's reporter thread only: the counters when the window started
  private long windowStartNanos;
  private long bytesBefore;
  private long mediaBytesBefore;
  private long videoFramesBefore;
  private long audioFramesBefore;

  /** @param sendLogs the publishers' send logs, by publisher index, for latency; may be empty */
  PlayerStats(int index, String url, SendLog[] sendLogs) {
    this.index = index;
    this.url = url;
    this.sendLogs = sendLogs;
  }

  /** Where latency samples go: the whole run's histogram and the window's (reset when the window starts). */
  void latency(LatencyHistogram total, LatencyHistogram window) {
    this.latency = total;
    this.windowLatency = window;
  }

  void onBytes(int n) {
    BYTES.setRelease(this, bytes + n);
  }

  /** The play request went out: media sent from now on counts for latency. */
  void onPlayRequested(long nanos) {
    PLAY_START.setRelease(this, nanos);
  }

  void onPlaying() {
    if (state == State.CONNECTING) {
      STATE.setRelease(this, State.PLAYING);
    }
  }

  /** An audio or video message body; not consumed. */
  void onMedia(boolean video, ByteBuf body) {
    long now = System.nanoTime();
    if (video) {
      VIDEO.setRelease(this, videoFrames + 1);
      long sequence = LatencyMarker.read(body);
      if (sequence >= 0 && latency != null) {
        int publisher = (int) (sequence >>> Publisher.SEQUENCE_BITS);
        long sent = publisher < sendLogs.length ? sendLogs[publisher].sentAt(sequence) : -1;
        // Frames sent before this player asked to play come from the GOP cache: not a live delay.
        if (sent >= 0 && sent >= playStartNanos) {
          latency.record((now - sent) / 1000);
          windowLatency.record((now - sent) / 1000);
        }
      }
    } else {
      AUDIO.setRelease(this, audioFrames + 1);
    }
    MEDIA_BYTES.setRelease(this, mediaBytes + body.readableBytes());
    LAST_MEDIA.setRelease(this, now);
  }

  /** The connection failed or ended; the first reason is kept. */
  void onEnd(String reason, boolean failed) {
    if (state == State.FAILED || state == State.CLOSED) {
      return;
    }
    failure = reason;
    END.setRelease(this, System.nanoTime());
    STATE.setRelease(this, failed ? State.FAILED : State.CLOSED);
  }

  /** The window starts: from now on, the window's counts are what arrives after this call. Reporter thread only. */
  void startWindow(long nanos) {
    windowStartNanos = nanos;
    bytesBefore = bytes();
    mediaBytesBefore = mediaBytes();
    videoFramesBefore = videoFrames();
    audioFramesBefore = audioFrames();
  }

  /** When the window started for this player: 0 when it started before the player existed (all it got counts). */
  long windowStartNanos() { return windowStartNanos; }
  long windowBytes() { return bytes() - bytesBefore; }
  long windowMediaBytes() { return mediaBytes() - mediaBytesBefore; }
  long windowVideoFrames() { return videoFrames() - videoFramesBefore; }
  long windowAudioFrames() { return audioFrames() - audioFramesBefore; }

  long bytes() { return (long) BYTES.getAcquire(this); }
  long mediaBytes() { return (long) MEDIA_BYTES.getAcquire(this); }
  long videoFrames() { return (long) VIDEO.getAcquire(this); }
  long audioFrames() { return (long) AUDIO.getAcquire(this); }
  long lastMediaNanos() { return (long) LAST_MEDIA.getAcquire(this); }
  long playStartNanos() { return (long) PLAY_START.getAcquire(this); }
  long endNanos() { return (long) END.getAcquire(this); }
  State state() { return (State) STATE.getAcquire(this); }
  String failure() { return failure; }
}
