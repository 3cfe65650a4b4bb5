package io.estuary.stream;

/**
 * A vhost's {@code play { }} settings, as the data plane uses them ({@code io.estuary.config} reads them from the
 * configuration). {@code queueLength} in seconds, {@code mwLatency} and {@code sendMinInterval} in milliseconds.
 */
public record PlayOptions(boolean gopCache, int gopCacheMaxFrames, double queueLength, Jitter.Algorithm timeJitter,
                          boolean atc, boolean atcAuto, boolean mixCorrect, int mwLatency, int mwMsgs,
                          double sendMinInterval, boolean reduceSequenceHeader) {

  public static final boolean DEFAULT_GOP_CACHE = true;
  public static final int DEFAULT_GOP_CACHE_MAX_FRAMES = 2500;
  public static final double DEFAULT_QUEUE_LENGTH = 30;
  public static final int DEFAULT_MW_LATENCY = 350;
  public static final int DEFAULT_MW_MSGS = 8;

  /** SRS's defaults. */
  public static PlayOptions defaults() {
    return new PlayOptions(DEFAULT_GOP_CACHE, DEFAULT_GOP_CACHE_MAX_FRAMES, DEFAULT_QUEUE_LENGTH, Jitter.Algorithm.FULL,
        false, false, false, DEFAULT_MW_LATENCY, DEFAULT_MW_MSGS, 0, false);
  }

  /**
   * For a consumer inside the node (an HLS segmenter, the TS remuxer): the publisher's own timestamps, no merged-write
   * wait, a queue that never drops.
   */
  public static PlayOptions unbuffered() {
    return new PlayOptions(DEFAULT_GOP_CACHE, DEFAULT_GOP_CACHE_MAX_FRAMES, 0, Jitter.Algorithm.OFF,
        false, false, false, 0, 0, 0, false);
  }
}
