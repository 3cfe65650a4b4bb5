package io.estuary.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import io.estuary.edge.Edge;
import io.estuary.stream.StreamKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster-wide API, the same from any node: {@code GET /api/v1/cluster/nodes} (every node: id, role, RTMP, HTTP
 * and API endpoints, streams, clients, since, what an edge pulls) and {@code GET /api/v1/cluster/streams} (every stream
 * with the node that publishes it, its {@code owner}, and every edge node that pulls it, with the URL it pulls from and
 * its players there: {@code edges}; a stream that edges pull from outside the cluster has a null owner). As fresh as
 * the registry: another node's pulls are those of its last renewal (every {@code RENEW_MS}). In SRS's envelope ({@code code}, {@code server}, {@code service}, {@code pid}); a node running alone
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
        .compose(streams -> cluster.nodes().map(nodes -> streams(streams, nodes)))));
    return router;
  }

  /** The directory's streams, then those only edges know of, each with the edges that pull it. */
  static JsonArray streams(List<DirectoryEntry> entries, List<NodeCard> nodes) {
    Map<StreamKey, JsonObject> streams = new LinkedHashMap<>();
    for (DirectoryEntry entry : entries) {
      streams.put(entry.stream(), stream(entry.stream(), entry.since(), new JsonObject()
          .put("id", entry.nodeId()).put("rtmp", entry.rtmp()).put("http", entry.http()).put("api", entry.api())));
    }
    for (NodeCard node : nodes) {
      for (Edge.Pull pull : node.upstreams()) {
        streams.computeIfAbsent(pull.stream(), key -> stream(key, 0, null)).getJsonArray("edges")
            .add(new JsonObject().put("id", node.id()).put("rtmp", node.rtmp()).put("http", node.http())
                .put("api", node.api()).put("upstream", pull.upstream()).put("players", pull.players()));
      }
    }
    return new JsonArray(new ArrayList<>(streams.values()));
  }

  private static JsonObject stream(StreamKey key, long since, JsonObject owner) {
    return new JsonObject().put("vhost", key.vhost()).put("app", key.app()).put("name", key.stream())
        .put("url", key.url()).put("since", since).put("owner", owner).put("edges", new JsonArray());
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
