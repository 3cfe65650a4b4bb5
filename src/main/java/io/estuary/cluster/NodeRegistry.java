package io.estuary.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node registry: a cluster-wide Hazelcast map, node id → {@link NodeCard} as JSON text. Each node puts its own
 * card, leased, again every few seconds (with its client count); a node that leaves or dies is removed by the
 * membership listener, or when its lease runs out. Blocking calls: on worker threads only.
 */
final class NodeRegistry {

  static final String MAP = "estuary.nodes";

  private final IMap<String, String> map;

  NodeRegistry(IMap<String, String> map) {
    this.map = map;
  }

  void put(NodeCard card) {
    map.set(card.id(), card.toJson().encode(), StreamDirectory.LEASE_SECONDS, TimeUnit.SECONDS);
  }

  void remove(String nodeId) {
    map.delete(nodeId);
  }

  List<NodeCard> cards() {
    List<NodeCard> cards = new ArrayList<>();
    for (String value : map.values()) {
      cards.add(NodeCard.fromJson(new JsonObject(value)));
    }
    return cards;
  }
}
