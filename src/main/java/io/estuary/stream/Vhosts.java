package io.estuary.stream;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/** The configured vhosts, and SRS's rule for choosing one from what a client asked for. Immutable. */
public final class Vhosts {

  private final Map<String, VhostOptions> byName;
  private final int chunkSize;

  public Vhosts(Map<String, VhostOptions> byName) {
    this(byName, VhostOptions.DEFAULT_CHUNK_SIZE);
  }

  public Vhosts(Map<String, VhostOptions> byName, int chunkSize) {
    this.byName = Map.copyOf(byName);
    this.chunkSize = chunkSize;
  }

  /** The global {@code chunk_size}: what a connection that has no vhost yet is answered with (SRS's default). */
  public int chunkSize() {
    return chunkSize;
  }

  /** From the normalized configuration: its {@code vhosts} object and global {@code chunk_size}. */
  public static Vhosts fromConfig(JsonObject config) {
    int chunkSize = config.getInteger("chunk_size", VhostOptions.DEFAULT_CHUNK_SIZE);
    JsonObject vhosts = config.getJsonObject("vhosts", new JsonObject());
    Map<String, VhostOptions> map = new LinkedHashMap<>();
    for (String name : vhosts.fieldNames()) {
      map.put(name, VhostOptions.fromJson(name, vhosts.getJsonObject(name), chunkSize));
    }
    if (map.isEmpty()) {
      // SRS runs a config without any vhost block as if it had an empty default vhost.
      map.put(StreamKey.DEFAULT_VHOST, VhostOptions.fromJson(StreamKey.DEFAULT_VHOST, null, chunkSize));
    }
    return new Vhosts(map, chunkSize);
  }

  /** Every configured vhost. */
  public java.util.Collection<VhostOptions> all() {
    return byName.values();
  }

  /**
   * The vhost a client asking for {@code requested} (from {@code ?vhost=} or the tcUrl's host) gets: that vhost when
   * configured, else {@code __defaultVhost__} when configured, else null (the client is refused).
   */
  public VhostOptions resolve(String requested) {
    VhostOptions vhost = requested == null ? null : byName.get(requested);
    return vhost != null ? vhost : byName.get(StreamKey.DEFAULT_VHOST);
  }
}
