package io.estuary.stream;

/**
 * A vhost's {@code publish { }} settings ({@code io.estuary.config} reads them from the configuration). Times in
 * milliseconds except {@code kickoffForIdle} (seconds, 0 = never).
 */
public record PublishOptions(boolean mergedRead, int mergedReadLatency, int firstPacketTimeout, int normalTimeout,
                             boolean parseSps, int kickoffForIdle) {

  public static final int DEFAULT_MR_LATENCY = 350;
  public static final int DEFAULT_FIRSTPKT_TIMEOUT = 20000;
  public static final int DEFAULT_NORMAL_TIMEOUT = 5000;

  /** SRS's defaults. */
  public static PublishOptions defaults() {
    return new PublishOptions(false, DEFAULT_MR_LATENCY, DEFAULT_FIRSTPKT_TIMEOUT, DEFAULT_NORMAL_TIMEOUT, true, 0);
  }
}
