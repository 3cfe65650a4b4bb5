package io.estuary.stream;

import io.vertx.core.json.JsonObject;

/**
 * A vhost's {@code publish { }} block, with SRS's defaults. Times in milliseconds except {@code kickoffForIdle}
 * (seconds, 0 = never).
 */
public record PublishOptions(boolean mergedRead, int mergedReadLatency, int firstPacketTimeout, int normalTimeout,
                             boolean parseSps, int kickoffForIdle) {

  public static final int DEFAULT_MR_LATENCY = 350;
  public static final int DEFAULT_FIRSTPKT_TIMEOUT = 20000;
  public static final int DEFAULT_NORMAL_TIMEOUT = 5000;

  public static PublishOptions fromJson(JsonObject publish) {
    JsonObject p = publish == null ? new JsonObject() : publish;
    return new PublishOptions(
        p.getBoolean("mr", false),
        p.getInteger("mr_latency", DEFAULT_MR_LATENCY),
        p.getInteger("firstpkt_timeout", DEFAULT_FIRSTPKT_TIMEOUT),
        p.getInteger("normal_timeout", DEFAULT_NORMAL_TIMEOUT),
        p.getBoolean("parse_sps", true),
        p.getNumber("kickoff_for_idle", 0).intValue());
  }

  public static PublishOptions defaults() {
    return fromJson(null);
  }
}
