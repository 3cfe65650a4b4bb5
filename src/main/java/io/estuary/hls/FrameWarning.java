package io.estuary.hls;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A warning that bad media may raise on every frame, logged at most once per period: the first occurrence, then one
 * line per period counting the ones not logged. A publisher sending 50 broken frames a second costs one log line
 * every ten seconds, not fifty a second.
 *
 * <p>Not thread-safe: one belongs to one consumer on its event loop.
 */
public final class FrameWarning {

  static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private boolean logged;
  private long lastLogged;
  private int unlogged;

  public FrameWarning(Logger log) {
    this.log = log;
  }

  /** Logs {@code message} unless a line went out less than a period ago; then only counts it. */
  public void warn(String message) {
    long now = System.nanoTime();
    if (logged && now - lastLogged < PERIOD_NANOS) {
      unlogged++;
      return;
    }
    log.warning(unlogged == 0 ? message : message + " (and " + unlogged + " more since the last such line)");
    logged = true;
    lastLogged = now;
    unlogged = 0;
  }
}
