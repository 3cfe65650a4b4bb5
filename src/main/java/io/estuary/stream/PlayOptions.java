package io.estuary.stream;

import io.vertx.core.json.JsonObject;

/**
 * A vhost's {@code play { }} block, with SRS's defaults. {@code queueLength} in seconds, {@code mwLatency} and
 * {@code sendMinInterval} in milliseconds.
 */
public record PlayOptions(boolean gopCache, int gopCacheMaxFrames, double queueLength, Jitter.Algorithm timeJitter,
                          boolean atc, boolean atcAuto, boolean mixCorrect, int mwLatency, int mwMsgs,
                          double sendMinInterval, boolean reduceSequenceHeader) {

  public static final boolean DEFAULT_GOP_CACHE = true;
  public static final int DEFAULT_GOP_CACHE_MAX_FRAMES = 2500;
  public static final double DEFAULT_QUEUE_LENGTH = 30;
  public static final int DEFAULT_MW_LATENCY = 350;
  public static final int DEFAULT_MW_MSGS = 8;

  /** Reads SRS directive names from {@code play}; {@code minLatency} changes the merged-write defaults as SRS does. */
  public static PlayOptions fromJson(JsonObject play, boolean minLatency) {
    JsonObject p = play == null ? new JsonObject() : play;
    return new PlayOptions(
        p.getBoolean("gop_cache", DEFAULT_GOP_CACHE),
        p.getInteger("gop_cache_max_frames", DEFAULT_GOP_CACHE_MAX_FRAMES),
        p.getNumber("queue_length", DEFAULT_QUEUE_LENGTH).doubleValue(),
        Jitter.Algorithm.parse(p.getString("time_jitter", "full")),
        p.getBoolean("atc", false),
        p.getBoolean("atc_auto", false),
        p.getBoolean("mix_correct", false),
        p.getInteger("mw_latency", minLatency ? 0 : DEFAULT_MW_LATENCY),
        p.getInteger("mw_msgs", minLatency ? 0 : DEFAULT_MW_MSGS),
        p.getNumber("send_min_interval", 0).doubleValue(),
        p.getBoolean("reduce_sequence_header", false));
  }

  public static PlayOptions defaults() {
    return fromJson(null, false);
  }
}
