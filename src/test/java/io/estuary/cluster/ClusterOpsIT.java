package io.estuary.cluster;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

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

  private final String clusterName = "estuary-ops-it-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Ffmpeg.Run> ffmpegs = new ArrayList<>();
  private Path dir;
  private Node origin;
  private Node edge;
  private Ffmpeg.Run player;

  private record Node(Process process, Path log, int rtmp, int api) {
    String rtmpUrl(String stream) {
      return "rtmp://127.0.0.1:" + rtmp + "/live/" + stream;
    }
  }

  @BeforeAll
  void startAnOriginAndAnEdge() throws Exception {
    dir = Files.createTempDirectory("estuary-cluster-ops-it");
    origin = start("origin", "");
    edge = start("edge", "cluster { mode remote; origin 127.0.0.1:" + origin.rtmp() + "; }");
    awaitNodes(origin, 2);
    awaitNodes(edge, 2);
    ffmpegs.add(Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmpUrl("ops")));
    player = Ffmpeg.play(edge.rtmpUrl("ops"), 0); // plays until it is kicked
    ffmpegs.add(player);
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (Ffmpeg.Run ffmpeg : ffmpegs) {
      ffmpeg.stop();
    }
    for (Node node : List.of(origin, edge)) {
      if (node != null) {
        node.process().destroyForcibly();
      }
    }
    for (Node node : List.of(origin, edge)) {
      if (node != null) {
        node.process().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** From the origin's API: the stream, its owner (the origin) and the edge that pulls it from there for 1 player. */
  @Test
  @Order(1)
  void clusterStreamsNameTheEdgesUpstreamAndPlayers() throws Exception {
    String originId = selfId(origin);
    String edgeId = selfId(edge);
    JsonObject stream = Await.value(SEEN, () -> stream(origin, "ops"),
        s -> s != null && s.getJsonObject("owner") != null && s.getJsonArray("edges").size() == 1
            && s.getJsonArray("edges").getJsonObject(0).getInteger("players") == 1
            && s.getJsonArray("edges").getJsonObject(0).getString("upstream") != null,
        () -> "live/ops with its owner and the edge's pull: " + getUnchecked(origin, "/api/v1/cluster/streams")
            + "\n" + readUnchecked(edge));
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
        () -> "an rtmp-play client on the edge: " + getUnchecked(edge, "/api/v1/clients/"));
    assertTrue(player.isAlive(), "playing before the kick: " + player.stderr());
    assertEquals(2049, delete(origin, "/api/v1/clients/no-such-client").getInteger("code"));

    JsonObject kicked = delete(origin, "/api/v1/clients/" + id);
    assertEquals(0, kicked.getInteger("code"), kicked.encode());
    assertTrue(player.waitFor(20), "the kicked player is disconnected: " + player.stderr());
    Await.until(SEEN, () -> playerId(edge) == null, () -> "the edge lists no player: "
        + getUnchecked(edge, "/api/v1/clients/"));
    assertEquals(2049, delete(origin, "/api/v1/clients/" + id).getInteger("code"), "gone: no node has it");
  }

  // ---- helpers ----

  private Node start(String name, String cluster) throws Exception {
    int rtmp = TestNode.freePort();
    int api = TestNode.freePort();
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, """
        listen 127.0.0.1:%d;
        daemon off;
        pid %s;
        srs_log_tank console;
        http_api { enabled on; listen 127.0.0.1:%d; }
        vhost __defaultVhost__ {
            %s
        }
        """.formatted(rtmp, dir.resolve(name + ".pid"), api, cluster));
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder("java", "-Xmx256m", "-jar", System.getProperty("estuary.jar",
        "target/estuary.jar"), "-c", conf.toString(), "--cluster", "--cluster-name", clusterName)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Node(process, log, rtmp, api);
  }

  private JsonObject send(Node node, String path, String method) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.api() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private JsonObject get(Node node, String path) throws Exception {
    return send(node, path, "GET");
  }

  private JsonObject delete(Node node, String path) throws Exception {
    return send(node, path, "DELETE");
  }

  /** The answer, or null while the node does not answer yet. */
  private JsonObject getUnchecked(Node node, String path) {
    try {
      return get(node, path);
    } catch (Exception | AssertionError e) {
      return null;
    }
  }

  private void awaitNodes(Node node, int count) throws Exception {
    Await.until(START, () -> {
      assertTrue(node.process().isAlive(), "node died: " + readUnchecked(node));
      JsonObject answer = getUnchecked(node, "/api/v1/cluster/nodes");
      return answer != null && answer.getJsonArray("nodes").size() == count;
    }, () -> count + " nodes on :" + node.api() + ": " + getUnchecked(node, "/api/v1/cluster/nodes") + "\n"
        + readUnchecked(node));
  }

  private String selfId(Node node) throws Exception {
    JsonArray list = get(node, "/api/v1/cluster/nodes").getJsonArray("nodes");
    for (int i = 0; i < list.size(); i++) {
      if (list.getJsonObject(i).getBoolean("self")) {
        return list.getJsonObject(i).getString("id");
      }
    }
    throw new AssertionError("no self in " + list);
  }

  /** live/{@code name} in {@code node}'s {@code /api/v1/cluster/streams}, or null. */
  private JsonObject stream(Node node, String name) {
    JsonObject answer = getUnchecked(node, "/api/v1/cluster/streams");
    JsonArray streams = answer == null ? new JsonArray() : answer.getJsonArray("streams");
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      if ("live".equals(s.getString("app")) && name.equals(s.getString("name"))) {
        return s;
      }
    }
    return null;
  }

  /** The id of the edge's RTMP player, or null. */
  private String playerId(Node node) {
    JsonObject answer = getUnchecked(node, "/api/v1/clients/");
    JsonArray clients = answer == null ? new JsonArray() : answer.getJsonArray("clients");
    for (int i = 0; i < clients.size(); i++) {
      if ("rtmp-play".equals(clients.getJsonObject(i).getString("type"))) {
        return clients.getJsonObject(i).getString("id");
      }
    }
    return null;
  }

  private static String readUnchecked(Node node) {
    try {
      return Files.readString(node.log());
    } catch (IOException e) {
      return "";
    }
  }
}
