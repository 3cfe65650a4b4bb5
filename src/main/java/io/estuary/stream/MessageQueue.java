package io.estuary.stream;

import java.util.Arrays;

/**
 * A consumer's queue: a growable ring of (message, corrected timestamp) pairs in two parallel arrays, so that
 * queueing a message for a player allocates nothing. Bounded by duration: past {@code queue_length} it drops
 * whole GOPs from the head (keeping sequence headers), as SRS's consumer queue does. Owned by one event loop.
 *
 * <p>Every player has one, so its size is per-player memory: it starts small (SRS's default merged write,
 * 350 ms, is about 25 messages of a 30 fps stream with AAC, so it grows once, to 32) and gives back what a
 * stalled player made it grow to once that player has caught up.
 */
final class MessageQueue {

  static final int INITIAL_CAPACITY = 16;
  /** Emptied at this capacity or more, the arrays go back to the initial size: it grew for a backlog. */
  static final int RELEASE_CAPACITY = 256;
  /** Sequence headers a shrink keeps at most: one per type and track of a multitrack stream, a few tracks. */
  static final int MAX_KEPT_HEADERS = 8;

  private StreamMessage[] messages = new StreamMessage[INITIAL_CAPACITY];
  private long[] timestamps = new long[INITIAL_CAPACITY];
  private int head;
  private int size;
  private long dropped;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Messages dropped so far because the player fell behind. */
  long dropped() {
    return dropped;
  }

  /** Takes ownership of one reference to {@code message}. */
  void push(StreamMessage message, long timestamp) {
    if (size == messages.length) {
      grow();
    }
    int i = (head + size) & (messages.length - 1);
    messages[i] = message;
    timestamps[i] = timestamp;
    size++;
  }

  StreamMessage peekMessage() {
    return messages[head];
  }

  long peekTimestamp() {
    return timestamps[head];
  }

  /** Removes the head; the caller now owns its reference. */
  StreamMessage poll() {
    StreamMessage message = messages[head];
    messages[head] = null;
    head = (head + 1) & (messages.length - 1);
    size--;
    if (size == 0 && messages.length >= RELEASE_CAPACITY) {
      messages = new StreamMessage[INITIAL_CAPACITY];
      timestamps = new long[INITIAL_CAPACITY];
      head = 0;
    }
    return message;
  }

  /** Slots in the ring now (for tests). */
  int capacity() {
    return messages.length;
  }

  /** Milliseconds between the first and the last queued message. */
  long duration() {
    if (size < 2) {
      return 0;
    }
    return timestamps[(head + size - 1) & (messages.length - 1)] - timestamps[head];
  }

  /**
   * Drops whole GOPs from the head until the queue spans at most {@code maxDuration} ms: everything before the
   * first keyframe that leaves it within bounds goes, except sequence headers, which move to the new head so that
   * the player can still decode. With no such keyframe, everything but the sequence headers goes.
   */
  void shrink(long maxDuration) {
    long end = timestamps[(head + size - 1) & (messages.length - 1)];
    int cut = size; // index (relative to head) of the first message kept
    for (int k = 1; k < size; k++) {
      int i = (head + k) & (messages.length - 1);
      StreamMessage m = messages[i];
      if (m.isKeyframe() && !m.isSequenceHeader() && end - timestamps[i] <= maxDuration) {
        cut = k;
        break;
      }
    }
    // Each track's latest header, in arrival order (multitrack: a header per type and track, as MetaCache keeps them).
    StreamMessage[] keptHeaders = new StreamMessage[MAX_KEPT_HEADERS];
    int kept = 0;
    for (int k = 0; k < cut; k++) {
      StreamMessage m = poll();
      if (!m.isSequenceHeader()) {
        m.release();
        dropped++;
        continue;
      }
      int same = 0;
      while (same < kept && (keptHeaders[same].type() != m.type()
          || !Arrays.equals(keptHeaders[same].trackIds(), m.trackIds()))) {
        same++;
      }
      if (same == kept && kept == keptHeaders.length) {
        same = 0; // bounded: a publisher naming ever new tracks must not make a queue that never shrinks
      }
      if (same < kept) {
        keptHeaders[same].release(); // replaced by a newer one
        dropped++;
        System.arraycopy(keptHeaders, same + 1, keptHeaders, same, kept - same - 1);
        kept--;
      }
      keptHeaders[kept++] = m;
    }
    // Re-stamped with the new head's time, so the queue's duration stays what is really queued.
    long headTime = size > 0 ? peekTimestamp() : end;
    for (int k = kept - 1; k >= 0; k--) {
      pushFirst(keptHeaders[k], headTime);
    }
  }

  void clear() {
    while (size > 0) {
      poll().release();
    }
  }

  private void pushFirst(StreamMessage message, long timestamp) {
    if (size == messages.length) {
      grow();
    }
    head = (head - 1) & (messages.length - 1);
    messages[head] = message;
    timestamps[head] = timestamp;
    size++;
  }

  private void grow() {
    int n = messages.length;
    StreamMessage[] m = new StreamMessage[n * 2];
    long[] t = new long[n * 2];
    for (int k = 0; k < size; k++) {
      m[k] = messages[(head + k) & (n - 1)];
      t[k] = timestamps[(head + k) & (n - 1)];
    }
    messages = m;
    timestamps = t;
    head = 0;
  }
}
