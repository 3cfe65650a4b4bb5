package io.estuary.stream;

import io.vertx.core.json.JsonObject;

/**
 * One {@code vhost name { }} block of the configuration: the settings SRS keeps per vhost.
 * {@code chunkSize} is the vhost's own or the global {@code chunk_size}. {@code json} is the whole block, from which
 * features read their own sub-blocks ({@code hls}, {@code http_remux}, ...).
 */
public record VhostOptions(String name, boolean enabled, boolean minLatency, boolean tcpNodelay, int chunkSize,
                           long inAckSize, long outAckSize, PublishOptions publish, PlayOptions play, JsonObject json) {

  public static final int DEFAULT_CHUNK_SIZE = 60000;
  public static final long DEFAULT_OUT_ACK_SIZE = 2500000;

  public static VhostOptions fromJson(String name, JsonObject vhost, int globalChunkSize) {
    JsonObject v = vhost == null ? new JsonObject() : vhost;
    boolean minLatency = v.getBoolean("min_latency", false);
    return new VhostOptions(name,
        v.getBoolean("enabled", true),
        minLatency,
        v.getBoolean("tcp_nodelay", false),
        v.getInteger("chunk_size", globalChunkSize),
        v.getLong("in_ack_size", 0L),
        v.getLong("out_ack_size", DEFAULT_OUT_ACK_SIZE),
        PublishOptions.fromJson(v.getJsonObject("publish")),
        PlayOptions.fromJson(v.getJsonObject("play"), minLatency),
        v.copy());
  }

  /**
   * Whether players' sockets get TCP_NODELAY: with {@code tcp_nodelay on}, and also with {@code min_latency on},
   * which asks for each message to leave at once: Nagle's algorithm would hold a small message behind an
   * unacknowledged one for up to the player's delayed-ACK time (40 ms on Linux). SRS's realtime.conf sets both.
   */
  public boolean playerNoDelay() {
    return tcpNodelay || minLatency;
  }

  /** A sub-block of this vhost ({@code hls}, {@code http_remux}, ...), empty when absent. */
  public JsonObject block(String name) {
    JsonObject block = json.getJsonObject(name);
    return block == null ? new JsonObject() : block;
  }

  public static VhostOptions defaults() {
    return fromJson(StreamKey.DEFAULT_VHOST, null, DEFAULT_CHUNK_SIZE);
  }
}
