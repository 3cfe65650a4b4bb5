package io.estuary.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When a publisher sent each marked video frame: a ring of (sequence, System.nanoTime()) pairs, written by the
 * publisher's event loop and read by any player's, without locks. Holds the last {@link #CAPACITY} frames (minutes
 * at video frame rates); an older sequence reads as unknown.
 */
final class SendLog {

  static final int CAPACITY = 1 << 14;
  private static final int MASK = CAPACITY - 1;

  // slot i: [2i] = sequence + 1 (0 = empty), [2i + 1] = nanoTime
  private final AtomicLongArray slots = new AtomicLongArray(2 * CAPACITY);

  /** Single writer: the publisher's event loop, before it writes the frame. */
  void sent(long sequence, long nanos) {
    int i = (int) (sequence & MASK) << 1;
    slots.set(i, 0); // invalidate while the time changes
    slots.set(i + 1, nanos);
    slots.set(i, sequence + 1);
  }

  /** When {@code sequence} was sent, or -1 when unknown (never sent here, or overwritten since). */
  long sentAt(long sequence) {
    int i = (int) (sequence & MASK) << 1;
    if (slots.get(i) != sequence + 1) {
      return -1;
    }
    long nanos = slots.get(i + 1);
    return slots.get(i) == sequence + 1 ? nanos : -1;
  }
}
