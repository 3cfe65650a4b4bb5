package io.estuary.access;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * One kind of warning that any client can cause, from any event loop (a refused connection, a request cut at its
 * deadline): the first line goes out, then at most one per period, saying how many were not logged in between, so a
 * flood of bad clients cannot flood the log.
 */
public final class Warnings {

  static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long NEVER = Long.MIN_VALUE;

  private final Logger log;
  private final long periodNanos;
  private final AtomicLong lastLogged = new AtomicLong(NEVER);
  private final AtomicInteger unlogged = new AtomicInteger();

  public Warnings(Logger log) {
    this(log, PERIOD_NANOS);
  }

  Warnings(Logger log, long periodNanos) {
    this.log = log;
    this.periodNanos = periodNanos;
  }

  /** Logs {@code message} unless a line of this kind went out less than a period ago; then only counts it. */
  public void warn(String message) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (last != NEVER && now - last < periodNanos || !lastLogged.compareAndSet(last, now)) {
      unlogged.incrementAndGet();
      return;
    }
    int skipped = unlogged.getAndSet(0);
    log.warning(skipped == 0 ? message : message + " (and " + skipped + " more since the last such line)");
  }
}
