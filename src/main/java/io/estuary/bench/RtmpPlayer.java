package io.estuary.bench;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpPlaySession;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;

import java.util.function.BooleanSupplier;

/** An RTMP player through {@link RtmpClient}: counts what arrives into its {@link PlayerStats}. */
final class RtmpPlayer {

  private final PlayerStats stats;
  private final BooleanSupplier stopping;

  // State accessed exclusively from the session's event loop thread
  private volatile RtmpPlaySession session;
  private long bytesCounted;

  RtmpPlayer(PlayerStats stats, BooleanSupplier stopping) {
    this.stats = stats;
    this.stopping = stopping;
  }

  /** Connects and plays; call it on the event loop the player should run on. */
  void start(RtmpClient client, BenchOptions.Target target) {
    stats.onPlayRequested(System.nanoTime());
    client.play(target.toString(), this::onMessage).onComplete(ar -> {
      if (ar.failed()) {
        stats.onEnd(ar.cause().getMessage(), true);
        return;
      }
      session = ar.result();
      stats.onPlaying();
      countBytes();
      session.closed().onComplete(reason -> {
        boolean stop = stopping.getAsBoolean();
        stats.onEnd(stop ? "stopped" : reason.result(), !stop);
      });
    });
  }

  /** Media counted; the payload is released by the session after this returns. */
  private void onMessage(RtmpMessage message) {
    if (message instanceof Media media) {
      stats.onMedia(media.isVideo(), media.payload());
    }
    countBytes();
  }

  /** Bytes the connection received since the last count (the session counts them: no handler of ours per read). */
  private void countBytes() {
    RtmpPlaySession s = session;
    if (s == null) {
      return; // until Play.Start: counted with the next message
    }
    long read = s.bytesRead();
    if (read < bytesCounted) {
      bytesCounted = 0; // a new connection (redirect)
    }
    stats.onBytes((int) (read - bytesCounted));
    bytesCounted = read;
  }

  /** Closes the session, if any (from any thread). */
  void close() {
    RtmpPlaySession s = session;
    if (s != null) {
      s.close();
    }
  }
}
