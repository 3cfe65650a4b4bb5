package io.estuary.config;

import io.vertx.core.json.JsonObject;

/**
 * One configuration as loaded or reloaded, validated once: the normalized configuration and its typed vhosts. The
 * node builds it with {@link #from} before anything uses it, so a configuration that cannot be used is refused as a
 * whole (the running one stays) instead of failing client by client.
 */
public record NodeConfig(JsonObject json, Vhosts vhosts) {

  /** Fails with an IllegalArgumentException (the reason, naming the directive) when the configuration is unusable. */
  public static NodeConfig from(JsonObject normalized) {
    return new NodeConfig(normalized, Vhosts.fromConfig(normalized));
  }
}
