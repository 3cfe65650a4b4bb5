package io.estuary.cluster;

import io.estuary.edge.Edge;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code /api/v1/cluster/streams}: the directory's streams with the edges that pull them, as the cards say. */
class ClusterStreamsTest {

  private static final StreamKey LIVE = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "livestream");
  private static final StreamKey OUTSIDE = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "elsewhere");

  @Test
  void eachStreamListsItsOwnerAndEveryEdgeThatPullsIt() {
    DirectoryEntry owned = new DirectoryEntry(LIVE, "o1", "10.0.0.1:1935", "10.0.0.1:8080", "10.0.0.1:1985", 42);
    NodeCard origin = card("o1", "origin", List.of());
    NodeCard edge1 = card("e1", "edge", List.of(new Edge.Pull(LIVE, "rtmp://10.0.0.1:1935/live/livestream", 3)));
    NodeCard edge2 = card("e2", "edge", List.of(new Edge.Pull(LIVE, null, 1),
        new Edge.Pull(OUTSIDE, "rtmp://192.0.2.7:1935/live/elsewhere", 2)));

    JsonArray streams = ClusterApi.streams(List.of(owned), List.of(origin, edge1, edge2));

    assertEquals(2, streams.size(), streams.encode());
    JsonObject live = streams.getJsonObject(0);
    assertEquals("livestream", live.getString("name"));
    assertEquals("o1", live.getJsonObject("owner").getString("id"));
    assertEquals("10.0.0.1:1935", live.getJsonObject("owner").getString("rtmp"));
    JsonArray edges = live.getJsonArray("edges");
    assertEquals(2, edges.size(), live.encode());
    assertEquals("e1", edges.getJsonObject(0).getString("id"));
    assertEquals("rtmp://10.0.0.1:1935/live/livestream", edges.getJsonObject(0).getString("upstream"));
    assertEquals(3, edges.getJsonObject(0).getInteger("players"));
    assertEquals("e2", edges.getJsonObject(1).getString("id"));
    assertNull(edges.getJsonObject(1).getString("upstream"), "still connecting");

    JsonObject outside = streams.getJsonObject(1);
    assertEquals("elsewhere", outside.getString("name"));
    assertNull(outside.getJsonObject("owner"), "pulled from an origin outside the cluster: " + outside.encode());
    assertEquals(2, outside.getJsonArray("edges").getJsonObject(0).getInteger("players"));
  }

  @Test
  void aCardKeepsItsPullsThroughTheRegistrysJson() {
    NodeCard edge = card("e1", "edge", List.of(new Edge.Pull(LIVE, "rtmp://10.0.0.1:1935/live/livestream", 3)));
    assertEquals(edge, NodeCard.fromJson(new JsonObject(edge.toJson().encode())));
    NodeCard older = NodeCard.fromJson(new JsonObject(edge.toJson().encode()).put("upstreams", (Object) null));
    assertEquals(List.of(), older.upstreams(), "a card without upstreams (an older node's) pulls nothing");
  }

  private static NodeCard card(String id, String role, List<Edge.Pull> pulls) {
    return new NodeCard(id, role, "10.0.0.9:1935", null, null, 0, 0, 1, pulls);
  }
}
