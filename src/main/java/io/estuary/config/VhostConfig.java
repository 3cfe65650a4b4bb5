package io.estuary.config;

import io.estuary.stream.Jitter;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.PublishOptions;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code vhost name { }} block of the configuration, typed and validated once per load: the settings SRS keeps
 * per vhost, and each feature's sub-block. {@code chunkSize} is the vhost's own or the global {@code chunk_size}.
 * {@code httpHooks} maps an event ("on_publish", ...) to its URLs, empty when {@code http_hooks} is off; {@code cluster}
 * says whether the vhost is an origin or an edge; {@code dvr} whether and where its streams are recorded;
 * {@code forward} where its publishes are pushed. {@code ingests}, {@code transcodes} and {@code exec} are the child
 * processes SRS runs for the vhost: ffmpeg pulling into it, ffmpeg re-encoding its publishes, commands per publish.
 */
public record VhostConfig(String name, boolean enabled, boolean minLatency, boolean tcpNodelay, int chunkSize,
                          long inAckSize, long outAckSize, PublishOptions publish, PlayOptions play,
                          SecurityRules security, HlsOptions hls, HttpRemux httpRemux,
                          Map<String, List<String>> httpHooks, ClusterConfig cluster, DvrOptions dvr,
                          List<IngestOptions> ingests, List<TranscodeOptions> transcodes, ExecOptions exec,
                          ForwardOptions forward) {

  public static final int DEFAULT_CHUNK_SIZE = 60000;
  public static final long DEFAULT_OUT_ACK_SIZE = 2500000;

  /** Fails with an IllegalArgumentException naming the directive when a value cannot be used. */
  public static VhostConfig fromJson(String name, JsonObject vhost, int globalChunkSize) {
    JsonObject v = vhost == null ? new JsonObject() : vhost;
    boolean minLatency = v.getBoolean("min_latency", false);
    return new VhostConfig(name,
        v.getBoolean("enabled", true),
        minLatency,
        v.getBoolean("tcp_nodelay", false),
        v.getInteger("chunk_size", globalChunkSize),
        v.getLong("in_ack_size", 0L),
        v.getLong("out_ack_size", DEFAULT_OUT_ACK_SIZE),
        publish(v.getJsonObject("publish")),
        play(v.getJsonObject("play"), minLatency),
        SecurityRules.fromJson(v.getJsonObject("security")),
        HlsOptions.fromJson(v.getJsonObject("hls")),
        HttpRemux.fromJson(v.getJsonObject("http_remux")),
        hooks(v.getJsonObject("http_hooks")),
        ClusterConfig.fromJson(v.getJsonObject("cluster")),
        DvrOptions.fromJson(v.getJsonObject("dvr")),
        IngestOptions.listFromJson(v.getValue("ingest")),
        TranscodeOptions.listFromJson(v.getValue("transcode")),
        ExecOptions.fromJson(v.getJsonObject("exec")),
        ForwardOptions.fromJson(v.getJsonObject("forward")));
  }

  public static VhostConfig defaults() {
    return fromJson(StreamKey.DEFAULT_VHOST, null, DEFAULT_CHUNK_SIZE);
  }

  /**
   * Whether players' sockets get TCP_NODELAY: with {@code tcp_nodelay on}, and also with {@code min_latency on},
   * which asks for each message to leave at once: Nagle's algorithm would hold a small message behind an
   * unacknowledged one for up to the player's delayed-ACK time (40 ms on Linux). SRS's realtime.conf sets both.
   */
  public boolean playerNoDelay() {
    return tcpNodelay || minLatency;
  }

  /** The URLs of {@code event}'s callbacks ("on_publish", ...), empty when none. */
  public List<String> hookUrls(String event) {
    return httpHooks.getOrDefault(event, List.of());
  }

  /** Reads SRS directive names from {@code play}; {@code minLatency} changes the merged-write defaults as SRS does. */
  public static PlayOptions play(JsonObject play, boolean minLatency) {
    JsonObject p = play == null ? new JsonObject() : play;
    return new PlayOptions(
        p.getBoolean("gop_cache", PlayOptions.DEFAULT_GOP_CACHE),
        p.getInteger("gop_cache_max_frames", PlayOptions.DEFAULT_GOP_CACHE_MAX_FRAMES),
        p.getNumber("queue_length", PlayOptions.DEFAULT_QUEUE_LENGTH).doubleValue(),
        Jitter.Algorithm.parse(p.getString("time_jitter", "full")),
        p.getBoolean("atc", false),
        p.getBoolean("atc_auto", false),
        p.getBoolean("mix_correct", false),
        p.getInteger("mw_latency", minLatency ? 0 : PlayOptions.DEFAULT_MW_LATENCY),
        p.getInteger("mw_msgs", minLatency ? 0 : PlayOptions.DEFAULT_MW_MSGS),
        p.getNumber("send_min_interval", 0).doubleValue(),
        p.getBoolean("reduce_sequence_header", false));
  }

  /** Reads SRS directive names from {@code publish}. */
  public static PublishOptions publish(JsonObject publish) {
    JsonObject p = publish == null ? new JsonObject() : publish;
    return new PublishOptions(
        p.getBoolean("mr", false),
        p.getInteger("mr_latency", PublishOptions.DEFAULT_MR_LATENCY),
        p.getInteger("firstpkt_timeout", PublishOptions.DEFAULT_FIRSTPKT_TIMEOUT),
        p.getInteger("normal_timeout", PublishOptions.DEFAULT_NORMAL_TIMEOUT),
        p.getBoolean("parse_sps", true),
        p.getNumber("kickoff_for_idle", 0).intValue());
  }

  /** {@code http_hooks}: each event's URLs, as one value or repeated; nothing when not enabled. */
  private static Map<String, List<String>> hooks(JsonObject hooks) {
    if (hooks == null) {
      return Map.of();
    }
    Object enabled = hooks.getValue("enabled");
    if (!Boolean.TRUE.equals(enabled) && !"on".equals(enabled)) {
      return Map.of();
    }
    Map<String, List<String>> urls = new LinkedHashMap<>();
    for (String event : hooks.fieldNames()) {
      if (!event.equals("enabled")) {
        List<String> list = new ArrayList<>();
        flatten(hooks.getValue(event), list);
        urls.put(event, List.copyOf(list));
      }
    }
    return Map.copyOf(urls);
  }

  private static void flatten(Object value, List<String> into) {
    if (value instanceof JsonArray array) {
      for (Object v : array) {
        flatten(v, into);
      }
    } else if (value != null) {
      into.add(value.toString());
    }
  }
}
