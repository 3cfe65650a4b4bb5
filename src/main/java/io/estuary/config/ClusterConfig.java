package io.estuary.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A vhost's {@code cluster { }} block, as SRS reads it: {@code mode local} (an origin, the default) or {@code remote}
 * (an edge that pulls from {@code origin}, a list of {@code host[:port]} tried in turn); {@code token_traverse} (an
 * edge asks the origin before serving); {@code vhost} (the vhost the edge asks its origin for, this vhost's name when
 * absent); {@code origin_cluster} with {@code coworkers} (the HTTP API {@code host:port} of the other origins, asked
 * where a stream is published).
 */
public record ClusterConfig(boolean edge, List<Endpoint> origins, boolean tokenTraverse, String upstreamVhost,
                            boolean originCluster, List<String> coworkers) {

  /** The RTMP port of an origin written without one. */
  public static final int DEFAULT_ORIGIN_PORT = 1935;

  private static final ClusterConfig ORIGIN = new ClusterConfig(false, List.of(), false, null, false, List.of());

  /** An origin on its own: no cluster block. */
  public static ClusterConfig origin() {
    return ORIGIN;
  }

  /** Fails with an IllegalArgumentException naming the directive when a value cannot be used. */
  public static ClusterConfig fromJson(JsonObject cluster) {
    if (cluster == null || cluster.isEmpty()) {
      return ORIGIN;
    }
    String mode = String.valueOf(cluster.getValue("mode", "local")).toLowerCase(Locale.ROOT);
    if (!mode.equals("local") && !mode.equals("remote")) {
      throw new IllegalArgumentException("cluster.mode: '" + mode + "' is not local|remote");
    }
    List<Endpoint> origins = new ArrayList<>();
    for (String origin : ConfValues.words(cluster.getValue("origin"))) {
      try {
        origins.add(Endpoint.parse(origin.indexOf(':') < 0 || origin.startsWith("[") && !origin.contains("]:")
            ? origin + ":" + DEFAULT_ORIGIN_PORT : origin));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cluster.origin: " + e.getMessage());
      }
    }
    boolean edge = mode.equals("remote");
    Object vhost = cluster.getValue("vhost");
    return new ClusterConfig(edge, List.copyOf(origins), on(cluster.getValue("token_traverse")),
        vhost == null ? null : vhost.toString(), on(cluster.getValue("origin_cluster")),
        List.copyOf(ConfValues.words(cluster.getValue("coworkers"))));
  }

  private static boolean on(Object value) {
    return Boolean.TRUE.equals(value) || "on".equals(value);
  }
}
