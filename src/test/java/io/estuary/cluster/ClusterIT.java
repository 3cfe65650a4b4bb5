package io.estuary.cluster;

import com.sun.net.httpserver.HttpServer;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.JarCluster;
import io.estuary.testing.JarNode;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpPlaySession;
import io.estuary.rtmp.message.Media;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Estuary nodes from the packaged jar joined with {@code --cluster} (their own cluster name, free ports): one publisher
 * per stream in the cluster, a killed node's streams free again within 5 s, the cluster API from any node, and
 * callbacks that fire once. One cluster serves the whole class, in order: (a), (d), (c), then (b) kills node 1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  /** Hazelcast declares a killed member dead within 5 s; the margin covers a loaded machine. */
  private static final Duration RELEASED_WITHIN = Duration.ofSeconds(5).plusSeconds(4);
  private static final Duration START = Duration.ofSeconds(60);

  private JarCluster cluster;
  private List<JarNode> nodes;
  private JarNode one;
  private JarNode two;
  /** Every callback the nodes POSTed: the hook server's log. */
  private final List<JsonObject> hooks = new CopyOnWriteArrayList<>();
  private HttpServer hookServer;

  @BeforeAll
  void startTwoNodes() throws Exception {
    cluster = new JarCluster("estuary-cluster-it");
    nodes = cluster.nodes();
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext("/hooks", exchange -> {
      hooks.add(new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      byte[] ok = "0".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    hookServer.start();
    one = start(1);
    awaitNodes(one, 1); // in the cluster before the next starts: two at once may form two clusters until they merge
    two = start(2);
    for (JarNode node : nodes) {
      awaitNodes(node, 2);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (hookServer != null) {
      hookServer.stop(0);
    }
  }

  /** (a) A stream published on node 1 is refused on node 2, as a busy stream is on one node. */
  @Test
  @Order(1)
  void aStreamPublishedOnOneNodeIsRefusedOnAnother() throws Exception {
    String oneId = one.selfId();
    cluster.publish(one, "shared");
    JsonObject owner = awaitOwner(two, "shared", oneId);
    assertEquals("127.0.0.1:" + one.rtmp(), owner.getString("rtmp"), owner.encode());
    assertEquals("127.0.0.1:" + one.api(), owner.getString("api"), owner.encode());

    Ffmpeg.Run refused = cluster.publish(two, "shared");
    assertTrue(refused.waitFor(30), "the second publisher is sent away: " + refused.stderr());
    assertNotEquals(0, refused.exitCode(), "ffmpeg fails: " + refused.stderr());
    two.awaitLog("stream __defaultVhost__/live/shared is busy: another publisher is live on node " + oneId
        + " (rtmp://127.0.0.1:" + one.rtmp() + ") (StreamBusy)", Duration.ofSeconds(10));
    assertEquals(oneId, awaitOwner(one, "shared", oneId).getString("id"), "node 1 keeps it");

    for (JarNode node : nodes) {
      JsonObject answer = node.api("/api/v1/cluster/nodes");
      assertEquals(0, answer.getInteger("code"), answer.encode());
      assertTrue(answer.containsKey("server") && answer.containsKey("service") && answer.containsKey("pid"),
          "SRS's envelope: " + answer.encode());
      JsonArray list = answer.getJsonArray("nodes");
      assertEquals(2, list.size(), answer.encode());
      JsonObject first = byId(list, oneId);
      assertEquals("origin", first.getString("role"), answer.encode());
      assertEquals("127.0.0.1:" + one.rtmp(), first.getString("rtmp"), answer.encode());
      assertEquals(1, first.getInteger("streams"), answer.encode());
      if (node == one) { // another node's figure is as fresh as the last renewal
        assertTrue(first.getInteger("clients") >= 1, answer.encode());
      }
    }
  }

  /** (d) One publish in a 2-node cluster: one on_publish and one on_unpublish POST, from the node it happened on. */
  @Test
  @Order(2)
  void callbacksFireOnceOnTheNodeWhereThePublishHappened() throws Exception {
    Ffmpeg.Run publisher = cluster.publish(one, "hooked");
    awaitOwner(two, "hooked", one.selfId());
    publisher.stop();
    Await.until(Duration.ofSeconds(20), () -> count("on_unpublish", "hooked") >= 1, () -> "on_unpublish: " + hooks);
    // A barrier: another publish's hook, later than any duplicate of the first one's would be
    Ffmpeg.Run barrier = cluster.publish(one, "barrier");
    awaitOwner(two, "barrier", one.selfId());
    barrier.stop();
    Await.until(Duration.ofSeconds(20), () -> count("on_unpublish", "barrier") >= 1, () -> "on_unpublish: " + hooks);
    assertEquals(1, count("on_publish", "hooked"), "on_publish once: " + hooks);
    assertEquals(1, count("on_unpublish", "hooked"), "on_unpublish once: " + hooks);
    assertEquals(1, hooks.stream().filter(h -> "hooked".equals(h.getString("stream"))).map(h -> h.getString("server_id"))
        .distinct().count(), "both from the node it happened on: " + hooks);
  }

  /**
   * (c) A node started later joins: every node lists all three, it sees who publishes what, and a player of that
   * stream on it plays (the new node redirects it to the owner with an RTMP 302, which RtmpClient follows).
   */
  @Test
  @Order(3)
  void aNodeStartedLaterListsEveryNode() throws Exception {
    JarNode three = start(3);
    for (JarNode node : nodes) {
      awaitNodes(node, 3);
    }
    Set<String> ids = nodes.stream().map(n -> {
      try {
        return n.selfId();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toSet());
    assertEquals(3, ids.size());
    for (JarNode node : nodes) {
      JsonArray list = node.api("/api/v1/cluster/nodes").getJsonArray("nodes");
      assertEquals(ids, list.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet()));
    }
    awaitOwner(three, "shared", one.selfId());
    Vertx vertx = Vertx.vertx();
    try {
      Promise<String> video = Promise.promise();
      RtmpPlaySession playing = RtmpClient.create(vertx).play(three.rtmpUrl("shared"), message -> {
        if (message instanceof Media media && media.isVideo()) {
          video.tryComplete("video");
        }
      }).await(20, TimeUnit.SECONDS);
      assertEquals("video", video.future().await(20, TimeUnit.SECONDS), "the later node's player gets frames");
      assertEquals(one.rtmpUrl("shared"), playing.url(), "played from the owner, after the later node's RTMP 302");
      playing.close().await(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** (b) SIGKILL node 1: within 5 s its stream is free, and node 2 takes a publish of it. */
  @Test
  @Order(4)
  void aKilledNodesStreamsAreFreeWithinFiveSeconds() throws Exception {
    String twoId = two.selfId();
    awaitOwner(two, "shared", one.selfId());
    one.kill();
    Await.until(RELEASED_WITHIN, () -> two.clusterOwner("shared") == null,
        () -> "node 2 still lists the stream of the killed node: " + two.apiUnchecked("/api/v1/cluster/streams"));

    Ffmpeg.Run again = cluster.publish(two, "shared");
    awaitOwner(two, "shared", twoId);
    awaitOwner(nodes.get(2), "shared", twoId);
    assertTrue(again.isAlive(), "node 2 took the publish: " + again.stderr());
    awaitNodes(two, 2);
  }

  // ---- helpers ----

  private JarNode start(int n) throws Exception {
    int hookPort = hookServer.getAddress().getPort();
    return cluster.start("node" + n, ports -> """
        vhost __defaultVhost__ {
            http_hooks {
                enabled on;
                on_publish http://127.0.0.1:%d/hooks;
                on_unpublish http://127.0.0.1:%d/hooks;
            }
        }
        """.formatted(hookPort, hookPort));
  }

  private long count(String action, String stream) {
    return hooks.stream().filter(h -> action.equals(h.getString("action")) && stream.equals(h.getString("stream")))
        .count();
  }

  private static void awaitNodes(JarNode node, int count) throws Exception {
    node.awaitNodes(count, START, ":" + node.api());
  }

  private static JsonObject awaitOwner(JarNode node, String stream, String ownerId) throws Exception {
    return node.awaitOwner(stream, ownerId, ":" + node.api());
  }

  private static JsonObject byId(JsonArray list, String id) {
    for (int i = 0; i < list.size(); i++) {
      if (id.equals(list.getJsonObject(i).getString("id"))) {
        return list.getJsonObject(i);
      }
    }
    throw new AssertionError(id + " not in " + list);
  }
}
