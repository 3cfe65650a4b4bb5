package io.estuary.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket log-linear histogram of latencies in microseconds, from 1 µs to {@link #MAX_MICROS} (60 s; larger
 * values count as 60 s): exact below 64 µs, then every power of two split into 32 buckets, so a percentile is
 * within about 3% of the true value. Small (about 700 buckets) and allocation-free when recording.
 *
 * <p>One writer thread (a player's event loop) calls {@link #record} and {@link #reset}; any thread may read or
 * {@link #addTo} at the same time: counts are single-writer atomics (lazySet), so a reader sees each count whole,
 * never torn.
 */
public final class LatencyHistogram {

  /** Largest value kept distinct: 60 s. */
  public static final long MAX_MICROS = 60_000_000L;

  private static final int SUB_BITS = 5;
  private static final int SUB_COUNT = 1 << SUB_BITS; // buckets per power of two
  private static final int LINEAR = 2 * SUB_COUNT; // values below this have a bucket each
  private static final int BUCKETS = indexOf(MAX_MICROS) + 1;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray totals = new AtomicLongArray(2); // count, max

  /** Records one latency; values below 0 count as 0, above 60 s as 60 s. Single writer only. */
  public void record(long micros) {
    long v = Math.max(0, Math.min(micros, MAX_MICROS));
    int i = indexOf(v);
    counts.lazySet(i, counts.get(i) + 1);
    totals.lazySet(0, totals.get(0) + 1);
    if (v > totals.get(1)) {
      totals.lazySet(1, v);
    }
  }

  /**
   * Forgets every value recorded so far: how the bench starts its measurement window. Single writer only (the
   * thread that records), so no value recorded before the reset can land after it.
   */
  public void reset() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.lazySet(i, 0);
    }
    totals.lazySet(0, 0);
    totals.lazySet(1, 0);
  }

  /** Adds this histogram's counts into {@code target} (which nobody else writes to meanwhile). */
  public void addTo(LatencyHistogram target) {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long c = counts.get(i);
      if (c != 0) {
        target.counts.lazySet(i, target.counts.get(i) + c);
        n += c;
      }
    }
    target.totals.lazySet(0, target.totals.get(0) + n);
    target.totals.lazySet(1, Math.max(target.totals.get(1), totals.get(1)));
  }

  /** The number of values recorded. */
  public long count() {
    return totals.get(0);
  }

  /** The largest value recorded (exact), or 0. */
  public long maxMicros() {
    return totals.get(1);
  }

  /**
   * The value at {@code percentile} (0..100]: the upper end of the bucket holding that rank, never above the largest
   * value recorded; 0 when empty.
   */
  public long percentileMicros(double percentile) {
    if (percentile <= 0 || percentile > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
    }
    long total = 0;
    long[] snapshot = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      snapshot[i] = counts.get(i);
      total += snapshot[i];
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += snapshot[i];
      if (seen >= rank) {
        return Math.min(highestInBucket(i), maxMicros());
      }
    }
    return maxMicros();
  }

  /** The bucket of a value in [0, MAX_MICROS]. */
  static int indexOf(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int log2 = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS + 1
    int shift = log2 - SUB_BITS;
    int sub = (int) (v >>> shift) - SUB_COUNT; // the SUB_BITS bits below the top one
    return LINEAR + (log2 - SUB_BITS - 1) * SUB_COUNT + sub;
  }

  /** The largest value that falls into bucket {@code i}. */
  static long highestInBucket(int i) {
    if (i < LINEAR) {
      return i;
    }
    int log2 = (i - LINEAR) / SUB_COUNT + SUB_BITS + 1;
    int sub = (i - LINEAR) % SUB_COUNT;
    int shift = log2 - SUB_BITS;
    long lowest = (long) (SUB_COUNT + sub) << shift;
    return lowest + (1L << shift) - 1;
  }
}
