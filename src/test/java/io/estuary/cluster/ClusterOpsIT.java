package io.estuary.cluster;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.JarCluster;
import io.estuary.testing.JarNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster's operations from the packaged jar: an origin and an edge (a static origin list naming the origin) in one
 * cluster of their own. {@code /api/v1/cluster/streams} from the origin names the edge's upstream and its players;
 * {@code DELETE /api/v1/clients/{id}} on the origin's API kicks a player of the edge, and answers SRS's 2049 for an id
 * no node has. One cluster for the class, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterOpsIT {

  private static final Duration START = Duration.ofSeconds(60);
  /** The registry renews a node's card every 2 s; the margin covers a loaded machine. */
  private static final Duration SEEN = Duration.ofSeconds(20);

  private JarCluster cluster;
  private JarNode origin;
  private JarNode edge;
  private Ffmpeg.Run player;

  @BeforeAll
  void startAnOriginAndAnEdge() throws Exception {
    cluster = new JarCluster("estuary-cluster-ops-it");
    origin = start("origin", "");
    awaitNodes(origin, 1); // in the cluster before the next starts: two at once may form two clusters until they merge
    edge = start("edge", "cluster { mode remote; origin 127.0.0.1:" + origin.rtmp() + "; }");
    awaitNodes(origin, 2);
    awaitNodes(edge, 2);
    cluster.publish(origin, "ops");
    player = Ffmpeg.play(edge.rtmpUrl("ops"), 0); // plays until it is kicked
    cluster.track(player);
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** From the origin's API: the stream, its owner (the origin) and the edge that pulls it from there for 1 player. */
  @Test
  @Order(1)
  void clusterStreamsNameTheEdgesUpstreamAndPlayers() throws Exception {
    String originId = origin.selfId();
    String edgeId = edge.selfId();
    JsonObject stream = Await.value(SEEN, () -> origin.clusterStream("ops"),
        s -> s != null && s.getJsonObject("owner") != null && s.getJsonArray("edges").size() == 1
            && s.getJsonArray("edges").getJsonObject(0).getInteger("players") == 1
            && s.getJsonArray("edges").getJsonObject(0).getString("upstream") != null,
        () -> "live/ops with its owner and the edge's pull: " + origin.apiUnchecked("/api/v1/cluster/streams")
            + "\n" + edge.readLogUnchecked());
    assertEquals(originId, stream.getJsonObject("owner").getString("id"), stream.encode());
    JsonObject pull = stream.getJsonArray("edges").getJsonObject(0);
    assertEquals(edgeId, pull.getString("id"), stream.encode());
    assertEquals("127.0.0.1:" + edge.rtmp(), pull.getString("rtmp"), stream.encode());
    assertEquals(origin.rtmpUrl("ops"), pull.getString("upstream"), stream.encode());

    JsonObject local = get(edge, "/api/v1/streams/");
    JsonObject edgeStream = local.getJsonArray("streams").getJsonObject(0);
    assertEquals("ops", edgeStream.getString("name"), "the local list keeps SRS's shape: " + local.encode());
    assertTrue(edgeStream.containsKey("publish") && edgeStream.containsKey("kbps") && !edgeStream.containsKey("edges"),
        local.encode());
  }

  /** A player of the edge, kicked through the origin's API, is disconnected; an id no node has is SRS's 2049. */
  @Test
  @Order(2)
  void aClientOfAnotherNodeIsKickedFromAnyNode() throws Exception {
    String id = Await.value(SEEN, () -> playerId(edge), v -> v != null,
        () -> "an rtmp-play client on the edge: " + edge.apiUnchecked("/api/v1/clients/"));
    assertTrue(player.isAlive(), "playing before the kick: " + player.stderr());
    assertEquals(2049, delete(origin, "/api/v1/clients/no-such-client").getInteger("code"));

    JsonObject kicked = delete(origin, "/api/v1/clients/" + id);
    assertEquals(0, kicked.getInteger("code"), kicked.encode());
    assertTrue(player.waitFor(20), "the kicked player is disconnected: " + player.stderr());
    Await.until(SEEN, () -> playerId(edge) == null, () -> "the edge lists no player: "
        + edge.apiUnchecked("/api/v1/clients/"));
    assertEquals(2049, delete(origin, "/api/v1/clients/" + id).getInteger("code"), "gone: no node has it");
  }

  // ---- helpers ----

  private JarNode start(String name, String vhost) throws Exception {
    return cluster.start(name, ports -> """
        vhost __defaultVhost__ {
            %s
        }
        """.formatted(vhost));
  }

  private static JsonObject get(JarNode node, String path) throws Exception {
    return node.send("GET", path, Duration.ofSeconds(10));
  }

  private static JsonObject delete(JarNode node, String path) throws Exception {
    return node.send("DELETE", path, Duration.ofSeconds(10));
  }

  private static void awaitNodes(JarNode node, int count) throws Exception {
    node.awaitNodes(count, START, ":" + node.api());
  }

  /** The id of the edge's RTMP player, or null. */
  private String playerId(JarNode node) {
    JsonObject answer = node.apiUnchecked("/api/v1/clients/");
    JsonArray clients = answer == null ? new JsonArray() : answer.getJsonArray("clients");
    for (int i = 0; i < clients.size(); i++) {
      if ("rtmp-play".equals(clients.getJsonObject(i).getString("type"))) {
        return clients.getJsonObject(i).getString("id");
      }
    }
    return null;
  }
}
