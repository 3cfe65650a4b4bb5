package io.estuary.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster-wide API, the same from any node: {@code GET /api/v1/cluster/nodes} (every node: id, role, RTMP, HTTP
 * and API endpoints, streams, clients, since) and {@code GET /api/v1/cluster/streams} (every stream with the node that
 * publishes it). In SRS's envelope ({@code code}, {@code server}, {@code service}, {@code pid}); a node running alone
 * answers with itself.
 */
public final class ClusterApi {

  /** SRS's ERROR_SYSTEM_CLUSTER_... family has no code for "directory unavailable": SRS's generic system error. */
  static final int ERROR_CLUSTER = 1000;

  private final ClusterView cluster;
  private final Function<Integer, JsonObject> envelope;

  /** {@code envelope} makes SRS's envelope for a code. */
  public ClusterApi(ClusterView cluster, Function<Integer, JsonObject> envelope) {
    this.cluster = cluster;
    this.envelope = envelope;
  }

  /** Adds the routes to {@code router} (after the API's own auth handler, which then guards them too). */
  public Router mount(Router router) {
    router.get("/api/v1/cluster/nodes").handler(rc -> answer(rc, "nodes", () -> cluster.nodes()
        .map(nodes -> array(nodes, n -> n.toJson().put("self", n.id().equals(cluster.nodeId()))))));
    router.get("/api/v1/cluster/streams").handler(rc -> answer(rc, "streams", () -> cluster.streams()
        .map(streams -> array(streams, ClusterApi::stream))));
    return router;
  }

  private static JsonObject stream(DirectoryEntry entry) {
    return new JsonObject().put("vhost", entry.stream().vhost()).put("app", entry.stream().app())
        .put("name", entry.stream().stream()).put("url", entry.stream().url()).put("since", entry.since())
        .put("owner", new JsonObject().put("id", entry.nodeId()).put("rtmp", entry.rtmp()).put("http", entry.http())
            .put("api", entry.api()));
  }

  private static <T> JsonArray array(List<T> items, Function<T, JsonObject> json) {
    JsonArray array = new JsonArray();
    items.forEach(item -> array.add(json.apply(item)));
    return array;
  }

  private void answer(RoutingContext rc, String field, Supplier<Future<JsonArray>> list) {
    list.get().onComplete(ar -> {
      JsonObject body = ar.succeeded() ? envelope.apply(0).put(field, ar.result())
          : envelope.apply(ERROR_CLUSTER).put("reason", "cluster: " + ar.cause().getMessage());
      rc.response().putHeader("Content-Type", "application/json").end(body.encode());
    });
  }
}
