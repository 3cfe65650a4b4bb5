package io.estuary.stream;

import java.util.PriorityQueue;

/**
 * SRS's {@code mix_correct}: audio and video leave in timestamp order, held until both kinds are queued (or enough
 * of one kind show the stream carries only that kind). Owned by the publisher's event loop.
 */
final class MixQueue {

  /** SRS_MIX_CORRECT_PURE_AV: this many messages of one kind and none of the other means a pure stream. */
  static final int PURE_AV = 10;

  private record Entry(long timestamp, long order, StreamMessage message) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int byTime = Long.compare(timestamp, o.timestamp);
      return byTime != 0 ? byTime : Long.compare(order, o.order);
    }
  }

  private final PriorityQueue<Entry> entries = new PriorityQueue<>();
  private long order;
  private int videos;
  private int audios;

  /** Takes ownership of the caller's reference. */
  void push(StreamMessage message) {
    entries.add(new Entry(message.timestamp(), order++, message));
    if (message.isVideo()) {
      videos++;
    } else {
      audios++;
    }
  }

  /** The next message in timestamp order (the caller owns it), or null while the mix is not decided. */
  StreamMessage pop() {
    boolean ready = videos >= 1 && audios >= 1 || videos >= PURE_AV && audios == 0 || audios >= PURE_AV && videos == 0;
    if (!ready || entries.isEmpty()) {
      return null;
    }
    StreamMessage message = entries.poll().message();
    if (message.isVideo()) {
      videos--;
    } else {
      audios--;
    }
    return message;
  }

  void clear() {
    for (Entry entry : entries) {
      entry.message().release();
    }
    entries.clear();
    videos = 0;
    audios = 0;
  }
}
