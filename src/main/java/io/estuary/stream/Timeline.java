package io.estuary.stream;

/**
 * A publisher's 32-bit timestamps (RTMP, FLV) unwrapped into one 64-bit millisecond line, so that everything after
 * the ingest (gop cache, jitter, consumer queues, HLS) sees time that goes on past 2^32 ms (49.7 days) instead of
 * jumping back to 0 there.
 *
 * <p>RTMP spec 3: timestamps are compared modulo 2^32, adjacent ones being within 2^31 ms of each other. So each
 * timestamp is placed where it is nearest the last audio or video timestamp: a jump back of more than 2^31 ms is the
 * wrap, a smaller one (audio and video interleaved, a restarted encoder) stays a jump back. The line starts at the
 * first audio or video timestamp. Script data is placed on the line but does not move it: a publisher's
 * onMetaData at 0 must not pull a stream that starts near 2^32 back below 0.
 *
 * <p>One per publish. State accessed exclusively from the publisher's event loop.
 */
public final class Timeline {

  private boolean started;
  /** The last audio or video timestamp, on the line. */
  private long last;

  /** Where {@code timestamp} (32 bits; higher bits are ignored) is on this publish's line. */
  public long unwrap(long timestamp, boolean audioOrVideo) {
    long wrapped = timestamp & 0xFFFFFFFFL;
    if (!started) {
      if (!audioOrVideo) {
        return wrapped;
      }
      started = true;
      last = wrapped;
      return wrapped;
    }
    long time = last + (int) (wrapped - last); // the signed 32-bit distance: the nearest time modulo 2^32
    if (audioOrVideo) {
      last = time;
    }
    return time;
  }
}
