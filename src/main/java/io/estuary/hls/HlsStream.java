package io.estuary.hls;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The HLS state of one stream, kept across publishes: sequence numbers, the sliding window of segments and the
 * playlist text. Changed per segment by the stream's current segmenter and by the dispose timer, hence the monitor
 * (never taken per message).
 */
final class HlsStream {

  /** One finished segment: its path under hls_path, its URI in the playlist, duration, and bytes. */
  record Segment(long sequence, String file, String uri, double duration, boolean discontinuity, Buffer data) {
  }

  final String m3u8File;
  private final Deque<Segment> window = new ArrayDeque<>();
  private long nextSequence;
  private boolean discontinuity;
  private int publishes;
  /** What the current publish's HLS carries (written by its segmenter), null when HLS is off for it. */
  volatile HlsTracks tracks;
  /** Disk writes of this stream, in order: a playlist is written only after the segments it lists. */
  Future<Void> disk = Future.succeededFuture();

  HlsStream(String m3u8File) {
    this.m3u8File = m3u8File;
  }

  synchronized long nextSequence() {
    return nextSequence++;
  }

  /** A publisher starts; from the second one on, its first segment is marked EXT-X-DISCONTINUITY. */
  synchronized int published() {
    discontinuity = !window.isEmpty();
    return ++publishes;
  }

  /** Whether publish number {@code publish} is still the latest (so its dispose timer may act). */
  synchronized boolean isLatest(int publish) {
    return publishes == publish;
  }

  /**
   * Adds a finished segment and drops the oldest while the window holds more than {@code windowSeconds}
   * (as SRS); returns the playlist text and the segments dropped.
   */
  synchronized Update add(Segment segment, double windowSeconds) {
    Segment s = segment;
    if (discontinuity) {
      s = new Segment(s.sequence(), s.file(), s.uri(), s.duration(), true, s.data());
      discontinuity = false;
    }
    window.addLast(s);
    double total = window.stream().mapToDouble(Segment::duration).sum();
    List<Segment> dropped = new ArrayList<>();
    while (window.size() > 1 && total > windowSeconds) {
      Segment old = window.removeFirst();
      total -= old.duration();
      dropped.add(old);
    }
    return new Update(render(), dropped);
  }

  record Update(String playlist, List<Segment> dropped) {
  }

  /** Empties the window (hls_dispose); returns what was in it. */
  synchronized List<Segment> clear() {
    List<Segment> all = new ArrayList<>(window);
    window.clear();
    return all;
  }

  private String render() {
    double longest = window.stream().mapToDouble(Segment::duration).max().orElse(0);
    StringBuilder m3u8 = new StringBuilder(256)
        .append("#EXTM3U\n")
        .append("#EXT-X-VERSION:3\n")
        .append("#EXT-X-ALLOW-CACHE:NO\n")
        .append("#EXT-X-MEDIA-SEQUENCE:").append(window.peekFirst().sequence()).append('\n')
        .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest)).append('\n');
    for (Segment s : window) {
      if (s.discontinuity()) {
        m3u8.append("#EXT-X-DISCONTINUITY\n");
      }
      m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.3f, no desc\n", s.duration())).append(s.uri()).append('\n');
    }
    return m3u8.toString();
  }
}
