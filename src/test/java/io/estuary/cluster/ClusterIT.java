package io.estuary.cluster;

import com.sun.net.httpserver.HttpServer;
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
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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

  private final String clusterName = "estuary-it-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Ffmpeg.Run> ffmpegs = new ArrayList<>();
  /** Every callback the nodes POSTed: the hook server's log. */
  private final List<JsonObject> hooks = new CopyOnWriteArrayList<>();
  private Path dir;
  private HttpServer hookServer;

  private record Node(Process process, Path log, int rtmp, int api) {
    String rtmpUrl(String stream) {
      return "rtmp://127.0.0.1:" + rtmp + "/live/" + stream;
    }
  }

  @BeforeAll
  void startTwoNodes() throws Exception {
    dir = Files.createTempDirectory("estuary-cluster-it");
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext("/hooks", exchange -> {
      hooks.add(new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      byte[] ok = "0".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    hookServer.start();
    nodes.add(start(1));
    nodes.add(start(2));
    for (Node node : nodes) {
      awaitNodes(node, 2);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (Ffmpeg.Run ffmpeg : ffmpegs) {
      ffmpeg.stop();
    }
    for (Node node : nodes) {
      node.process().destroyForcibly();
    }
    for (Node node : nodes) {
      node.process().waitFor(20, TimeUnit.SECONDS);
    }
    if (hookServer != null) {
      hookServer.stop(0);
    }
  }

  /** (a) A stream published on node 1 is refused on node 2, as a busy stream is on one node. */
  @Test
  @Order(1)
  void aStreamPublishedOnOneNodeIsRefusedOnAnother() throws Exception {
    Node one = nodes.get(0);
    Node two = nodes.get(1);
    String oneId = selfId(one);
    publish(one, "shared");
    JsonObject owner = awaitOwner(two, "shared", oneId);
    assertEquals("127.0.0.1:" + one.rtmp(), owner.getString("rtmp"), owner.encode());
    assertEquals("127.0.0.1:" + one.api(), owner.getString("api"), owner.encode());

    Ffmpeg.Run refused = publish(two, "shared");
    assertTrue(refused.waitFor(30), "the second publisher is sent away: " + refused.stderr());
    assertNotEquals(0, refused.exitCode(), "ffmpeg fails: " + refused.stderr());
    String log = log(two);
    assertTrue(log.contains("stream __defaultVhost__/live/shared is busy: another publisher is live on node " + oneId
        + " (rtmp://127.0.0.1:" + one.rtmp() + ") (StreamBusy)"), log);
    assertEquals(oneId, awaitOwner(one, "shared", oneId).getString("id"), "node 1 keeps it");

    for (Node node : nodes) {
      JsonObject answer = get(node, "/api/v1/cluster/nodes");
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
    Node one = nodes.get(0);
    Node two = nodes.get(1);
    Ffmpeg.Run publisher = publish(one, "hooked");
    awaitOwner(two, "hooked", selfId(one));
    publisher.stop();
    Await.until(Duration.ofSeconds(20), () -> count("on_unpublish", "hooked") >= 1, () -> "on_unpublish: " + hooks);
    // A barrier: another publish's hook, later than any duplicate of the first one's would be
    Ffmpeg.Run barrier = publish(one, "barrier");
    awaitOwner(two, "barrier", selfId(one));
    barrier.stop();
    Await.until(Duration.ofSeconds(20), () -> count("on_unpublish", "barrier") >= 1, () -> "on_unpublish: " + hooks);
    assertEquals(1, count("on_publish", "hooked"), "on_publish once: " + hooks);
    assertEquals(1, count("on_unpublish", "hooked"), "on_unpublish once: " + hooks);
    assertEquals(1, hooks.stream().filter(h -> "hooked".equals(h.getString("stream"))).map(h -> h.getString("server_id"))
        .distinct().count(), "both from the node it happened on: " + hooks);
  }

  /** (c) A node started later joins: every node lists all three, and it sees who publishes what. */
  @Test
  @Order(3)
  void aNodeStartedLaterListsEveryNode() throws Exception {
    Node three = start(3);
    nodes.add(three);
    for (Node node : nodes) {
      awaitNodes(node, 3);
    }
    Set<String> ids = nodes.stream().map(n -> {
      try {
        return selfId(n);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toSet());
    assertEquals(3, ids.size());
    for (Node node : nodes) {
      JsonArray list = get(node, "/api/v1/cluster/nodes").getJsonArray("nodes");
      assertEquals(ids, list.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet()));
    }
    awaitOwner(three, "shared", selfId(nodes.get(0)));
  }

  /** (b) SIGKILL node 1: within 5 s its stream is free, and node 2 takes a publish of it. */
  @Test
  @Order(4)
  void aKilledNodesStreamsAreFreeWithinFiveSeconds() throws Exception {
    Node one = nodes.get(0);
    Node two = nodes.get(1);
    String twoId = selfId(two);
    awaitOwner(two, "shared", selfId(one));
    one.process().destroyForcibly();
    Await.until(RELEASED_WITHIN, () -> streamOwner(two, "shared") == null,
        () -> "node 2 still lists the stream of the killed node: " + getUnchecked(two, "/api/v1/cluster/streams"));

    Ffmpeg.Run again = publish(two, "shared");
    awaitOwner(two, "shared", twoId);
    awaitOwner(nodes.get(2), "shared", twoId);
    assertTrue(again.isAlive(), "node 2 took the publish: " + again.stderr());
    awaitNodes(two, 2);
  }

  // ---- helpers ----

  private Node start(int n) throws Exception {
    int rtmp = TestNode.freePort();
    int api = TestNode.freePort();
    int hookPort = hookServer.getAddress().getPort();
    Path conf = dir.resolve("node" + n + ".conf");
    Files.writeString(conf, """
        listen 127.0.0.1:%d;
        daemon off;
        pid %s;
        srs_log_tank console;
        http_api { enabled on; listen 127.0.0.1:%d; }
        vhost __defaultVhost__ {
            http_hooks {
                enabled on;
                on_publish http://127.0.0.1:%d/hooks;
                on_unpublish http://127.0.0.1:%d/hooks;
            }
        }
        """.formatted(rtmp, dir.resolve("node" + n + ".pid"), api, hookPort, hookPort));
    Path log = dir.resolve("node" + n + ".log");
    Process process = new ProcessBuilder("java", "-Xmx256m", "-jar", jar(), "-c", conf.toString(),
        "--cluster", "--cluster-name", clusterName).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Node(process, log, rtmp, api);
  }

  private static String jar() {
    return System.getProperty("estuary.jar", "target/estuary.jar");
  }

  private Ffmpeg.Run publish(Node node, String stream) throws IOException {
    Ffmpeg.Run run = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmpUrl(stream));
    ffmpegs.add(run);
    return run;
  }

  private long count(String action, String stream) {
    return hooks.stream().filter(h -> action.equals(h.getString("action")) && stream.equals(h.getString("stream")))
        .count();
  }

  private static String log(Node node) throws IOException {
    return Files.readString(node.log());
  }

  private JsonObject get(Node node, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.api() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The answer, or null while the node does not answer yet (starting). */
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

  /** The owner of live/{@code stream} in {@code node}'s directory, or null. */
  private JsonObject streamOwner(Node node, String stream) {
    JsonObject answer = getUnchecked(node, "/api/v1/cluster/streams");
    if (answer == null) {
      return null;
    }
    JsonArray streams = answer.getJsonArray("streams");
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      if ("live".equals(s.getString("app")) && stream.equals(s.getString("name"))) {
        return s.getJsonObject("owner");
      }
    }
    return null;
  }

  private JsonObject awaitOwner(Node node, String stream, String ownerId) throws Exception {
    return Await.value(Duration.ofSeconds(20), () -> streamOwner(node, stream),
        owner -> owner != null && ownerId.equals(owner.getString("id")),
        () -> "live/" + stream + " owned by " + ownerId + " on :" + node.api() + ": "
            + getUnchecked(node, "/api/v1/cluster/streams"));
  }

  private static JsonObject byId(JsonArray list, String id) {
    for (int i = 0; i < list.size(); i++) {
      if (id.equals(list.getJsonObject(i).getString("id"))) {
        return list.getJsonObject(i);
      }
    }
    throw new AssertionError(id + " not in " + list);
  }

  private static String readUnchecked(Node node) {
    try {
      return log(node);
    } catch (IOException e) {
      return "";
    }
  }
}
