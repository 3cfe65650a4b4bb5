package io.estuary.config;

import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configured vhosts, and SRS's rule for choosing one from what a client asked for. Immutable. */
public final class Vhosts {

  private final Map<String, VhostConfig> byName;
  private final int chunkSize;

  /** {@code byName} with SRS's default global {@code chunk_size}. */
  public Vhosts(Map<String, VhostConfig> byName) {
    this(byName, VhostConfig.DEFAULT_CHUNK_SIZE);
  }

  public Vhosts(Map<String, VhostConfig> byName, int chunkSize) {
    this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    this.chunkSize = chunkSize;
  }

  /**
   * The global {@code chunk_size}: what a connection is answered with at {@code connect} when it has no vhost yet
   * (SRS resolves the vhost from the stream's {@code ?vhost=} at publish or play).
   */
  public int chunkSize() {
    return chunkSize;
  }

  /**
   * From the normalized configuration: its {@code vhosts} object and global {@code chunk_size}. Fails with an
   * IllegalArgumentException naming the vhost when one of them cannot be used.
   */
  public static Vhosts fromConfig(JsonObject config) {
    int chunkSize = config.getInteger("chunk_size", VhostConfig.DEFAULT_CHUNK_SIZE);
    JsonObject vhosts = config.getJsonObject("vhosts", new JsonObject());
    Map<String, VhostConfig> map = new LinkedHashMap<>();
    for (String name : vhosts.fieldNames()) {
      try {
        map.put(name, VhostConfig.fromJson(name, vhosts.getJsonObject(name), chunkSize));
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new IllegalArgumentException("vhost " + name + ": " + e.getMessage(), e);
      }
    }
    if (map.isEmpty()) {
      // SRS runs a config without any vhost block as if it had an empty default vhost.
      map.put(StreamKey.DEFAULT_VHOST, VhostConfig.fromJson(StreamKey.DEFAULT_VHOST, null, chunkSize));
    }
    return new Vhosts(map, chunkSize);
  }

  /** Every configured vhost, in the file's order. */
  public Collection<VhostConfig> all() {
    return byName.values();
  }

  /**
   * The vhost a client asking for {@code requested} (from {@code ?vhost=} or the tcUrl's host) gets: that vhost when
   * configured, else {@code __defaultVhost__} when configured, else null (the client is refused).
   */
  public VhostConfig resolve(String requested) {
    VhostConfig vhost = requested == null ? null : byName.get(requested);
    return vhost != null ? vhost : byName.get(StreamKey.DEFAULT_VHOST);
  }
}
