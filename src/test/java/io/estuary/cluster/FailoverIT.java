package io.estuary.cluster;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2 origins + 2 edges from the packaged jar, joined with {@code --cluster} (their own cluster name, free ports), the
 * edges resolving origins from the stream directory ({@code cluster { mode remote; }}, no origin list). In order:
 * edges pull once per stream for their players, the second origin redirects (RTMP 302), the edges serve HTTP-FLV and
 * HLS, a publish on an edge reaches an origin; then origin 1 is killed, the stream is republished on origin 2 and the
 * players that stayed connected to the edges get frames again (the delay is logged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {

  private static final Logger LOG = Logger.getLogger(FailoverIT.class.getName());
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration RELEASED_WITHIN = Duration.ofSeconds(5).plusSeconds(4);
  private static final double SECONDS = 6;

  private final String clusterName = "estuary-failover-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Node> nodes = new ArrayList<>();
  private final List<Ffmpeg.Run> ffmpegs = new ArrayList<>();
  private final List<TestRtmpClient> stayers = new ArrayList<>();
  private Vertx vertx;
  private Path dir;
  private Node origin1;
  private Node origin2;
  private Node edge1;
  private Node edge2;

  private record Node(String name, Process process, Path log, int rtmp, int http, int api) {
    String rtmpUrl(String stream) {
      return "rtmp://127.0.0.1:" + rtmp + "/live/" + stream;
    }

    String httpUrl(String path) {
      return "http://127.0.0.1:" + http + path;
    }
  }

  @BeforeAll
  void startTheCluster() throws Exception {
    dir = Files.createTempDirectory("estuary-failover-it");
    vertx = Vertx.vertx();
    origin1 = start("origin1", false);
    origin2 = start("origin2", false);
    edge1 = start("edge1", true);
    edge2 = start("edge2", true);
    for (Node node : nodes) {
      awaitNodes(node, 4);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (TestRtmpClient stayer : stayers) {
      stayer.close();
    }
    for (Ffmpeg.Run ffmpeg : ffmpegs) {
      ffmpeg.stop();
    }
    for (Node node : nodes) {
      node.process().destroyForcibly();
    }
    for (Node node : nodes) {
      node.process().waitFor(20, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Players on both edges decode; each edge pulls once from origin 1 for its 3 players. */
  @Test
  @Order(1)
  void edgesPullOncePerStreamForTheirPlayers() throws Exception {
    publish(origin1, "s");
    awaitOwner(edge1, "s", selfId(origin1));
    List<Ffmpeg.Run> players = new ArrayList<>();
    for (Node edge : List.of(edge1, edge2)) {
      stayers.add(TestRtmpClient.connect(edge.rtmp(), "live").play("s"));
      for (int i = 0; i < 2; i++) {
        Ffmpeg.Run player = Ffmpeg.play(edge.rtmpUrl("s"), SECONDS);
        ffmpegs.add(player);
        players.add(player);
      }
    }
    for (Node edge : List.of(edge1, edge2)) {
      Await.until(Duration.ofSeconds(20), () -> players(edge, "s") == 3,
          () -> edge.name() + " players: " + getUnchecked(edge, "/api/v1/clients/"));
    }
    Await.until(Duration.ofSeconds(20), () -> players(origin1, "s") == 2,
        () -> "origin 1's clients: " + getUnchecked(origin1, "/api/v1/clients/"));
    assertEquals(3, players(edge1, "s"));
    assertEquals(3, players(edge2, "s"));
    Ffmpeg.assertDecoded(players, SECONDS);
    assertEquals(2, players(origin1, "s"), "one upstream per edge: " + getUnchecked(origin1, "/api/v1/clients/"));
  }

  /** Origin 2 answers a play of origin 1's stream with SRS's RTMP 302; the RtmpClient follows it and plays. */
  @Test
  @Order(2)
  void theOtherOriginRedirects() throws Exception {
    try (TestRtmpClient player = TestRtmpClient.connect(origin2.rtmp(), "live")) {
      player.sendPlay("s");
      CommandMessage status = (CommandMessage) Await.value(Duration.ofSeconds(10), () -> {
        synchronized (player.all) {
          return player.all.stream().filter(FailoverIT::is302).findFirst().orElse(null);
        }
      }, m -> m != null, () -> "a 302 from origin 2: " + player.all);
      assertEquals(0.0, status.transactionId());
      Map<?, ?> info = (Map<?, ?>) status.argument(0);
      assertEquals("error", info.get("level"));
      assertEquals("RTMP 302 Redirect", info.get("description"));
      Map<?, ?> ex = (Map<?, ?>) info.get("ex");
      assertEquals(302, ((Number) ex.get("code")).intValue());
      assertEquals("rtmp://127.0.0.1:" + origin1.rtmp() + "/live", ex.get("redirect"));
      assertEquals(origin1.rtmpUrl("s"), ex.get("redirect2"));
    }
    RtmpClient client = RtmpClient.create(vertx);
    try {
      AtomicInteger frames = new AtomicInteger();
      Promise<Void> played = Promise.promise();
      var session = client.play(origin2.rtmpUrl("s"), msg -> {
        if (msg instanceof Media m && m.isVideo() && frames.incrementAndGet() == 25) {
          played.tryComplete();
        }
      }).await(15, TimeUnit.SECONDS);
      played.future().await(15, TimeUnit.SECONDS);
      assertEquals(origin1.rtmpUrl("s"), session.url(), "playing from origin 1, where the 302 pointed");
    } finally {
      client.close().await(5, TimeUnit.SECONDS);
    }
  }

  /** The edges serve HTTP-FLV and HLS (made on the edge) of the pulled stream. */
  @Test
  @Order(3)
  void edgesServeHttpFlvAndHls() throws Exception {
    JsonArray flv = new JsonObject(Ffmpeg.probe(edge1.httpUrl("/live/s.flv"), "-show_streams")).getJsonArray("streams");
    assertEquals("h264", Ffmpeg.stream(flv, "video").getString("codec_name"));
    Await.until(Duration.ofSeconds(30), () -> status(edge2.httpUrl("/live/s.m3u8")) == 200,
        () -> "edge 2's playlist: " + status(edge2.httpUrl("/live/s.m3u8")));
    JsonArray hls = new JsonObject(Ffmpeg.probe(edge2.httpUrl("/live/s.m3u8"), "-show_streams"))
        .getJsonArray("streams");
    assertEquals("h264", Ffmpeg.stream(hls, "video").getString("codec_name"));
  }

  /** A publish on an edge is pushed to an origin, which owns it, and is playable there. */
  @Test
  @Order(4)
  void aPublishOnAnEdgeIsPlayableOnAnOrigin() throws Exception {
    Ffmpeg.Run pushed = publish(edge2, "e");
    JsonObject owner = Await.value(Duration.ofSeconds(20), () -> streamOwner(edge1, "e"), o -> o != null,
        () -> "live/e in the directory: " + getUnchecked(edge1, "/api/v1/cluster/streams"));
    String rtmp = owner.getString("rtmp");
    assertTrue(rtmp.equals("127.0.0.1:" + origin1.rtmp()) || rtmp.equals("127.0.0.1:" + origin2.rtmp()),
        "an origin owns it: " + owner);
    Ffmpeg.Run player = Ffmpeg.play("rtmp://" + rtmp + "/live/e", 3);
    ffmpegs.add(player);
    Ffmpeg.assertDecoded(List.of(player), 3);
    pushed.stop();
  }

  /**
   * SIGKILL origin 1; the stream is republished on origin 2 once the directory freed it; the players that stayed on
   * the edges get frames again, sequence headers first, timestamps monotonic; the edges' directory names origin 2.
   */
  @Test
  @Order(5)
  void edgePlayersSurviveTheDeathOfTheirOrigin() throws Exception {
    long[] lastTimestamp = new long[stayers.size()];
    for (int i = 0; i < stayers.size(); i++) {
      TestRtmpClient.Received r;
      while ((r = stayers.get(i).received.poll()) != null) {
        lastTimestamp[i] = Math.max(lastTimestamp[i], r.timestamp());
      }
      assertTrue(lastTimestamp[i] > 0, "the stayer on edge " + (i + 1) + " played");
    }
    String twoId = selfId(origin2);
    origin1.process().destroyForcibly();
    long killed = System.nanoTime();
    Await.until(RELEASED_WITHIN, () -> streamOwner(edge1, "s") == null,
        () -> "the killed origin's stream still listed: " + getUnchecked(edge1, "/api/v1/cluster/streams"));
    for (int i = 0; i < stayers.size(); i++) { // what was in flight before the kill
      TestRtmpClient.Received r;
      while ((r = stayers.get(i).received.poll()) != null) {
        lastTimestamp[i] = Math.max(lastTimestamp[i], r.timestamp());
      }
    }
    long republished = System.nanoTime();
    long republishedMs = System.currentTimeMillis();
    LOG.info("origin 1 killed; its stream released after " + (republished - killed) / 1_000_000 + " ms");
    publish(origin2, "s");
    JsonObject owner = null;
    for (int i = 0; i < stayers.size(); i++) {
      TestRtmpClient stayer = stayers.get(i);
      List<TestRtmpClient.Received> fresh = new ArrayList<>();
      TestRtmpClient.Received first = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && (first == null || fresh.size() < 10)) {
        TestRtmpClient.Received r = stayer.received.poll(1, TimeUnit.SECONDS);
        if (r != null) {
          fresh.add(r);
          if (first == null && r.type() == 9 && !r.sequenceHeader()) {
            first = r;
          }
        }
      }
      assertTrue(first != null, "edge " + (i + 1) + "'s player got new video frames: " + fresh.size());
      assertTrue(stayer.isActive(), "edge " + (i + 1) + "'s player kept its connection");
      int firstVideo = -1;
      for (int j = 0; j < fresh.size(); j++) {
        if (fresh.get(j).type() == 9) {
          firstVideo = j;
          break;
        }
      }
      assertTrue(fresh.get(firstVideo).sequenceHeader(), "the new sequence header first: " + fresh);
      long previous = lastTimestamp[i];
      for (TestRtmpClient.Received r : fresh) { // audio and video (metadata is stamped 0, as SRS does)
        if (r.type() == 8 || r.type() == 9) {
          assertTrue(r.timestamp() >= previous, "monotonic timestamps: " + previous + " then " + r.timestamp()
              + " (type " + r.type() + "): " + fresh.stream().map(x -> x.type() + "@" + x.timestamp()).toList());
          previous = r.timestamp();
        }
      }
      if (owner == null) {
        owner = Await.value(Duration.ofSeconds(10), () -> streamEntry(edge1, "s"), o -> o != null,
            () -> "live/s in the directory");
      }
      long sinceClaim = System.currentTimeMillis() - (System.nanoTime() - first.arrivedNanos()) / 1_000_000
          - owner.getLong("since");
      LOG.info(String.format("FAILOVER edge %d: first new frame %d ms after ffmpeg's republish started, %d ms after "
              + "origin 2 claimed the stream", i + 1, (first.arrivedNanos() - republished) / 1_000_000, sinceClaim));
      System.out.printf("FAILOVER edge %d: first new frame %d ms after the republish started (%d ms after the claim)%n",
          i + 1, (first.arrivedNanos() - republished) / 1_000_000, sinceClaim);
    }
    for (Node edge : List.of(edge1, edge2)) {
      JsonObject named = Await.value(RELEASED_WITHIN, () -> streamOwner(edge, "s"),
          o -> o != null && twoId.equals(o.getString("id")),
          () -> "origin 2 named on " + edge.name() + ": " + getUnchecked(edge, "/api/v1/cluster/streams"));
      assertEquals("127.0.0.1:" + origin2.rtmp(), named.getString("rtmp"));
    }
    assertTrue(republishedMs > 0);
  }

  // ---- helpers ----

  private static boolean is302(RtmpMessage m) {
    return m instanceof CommandMessage c && "onStatus".equals(c.name()) && c.argument(0) instanceof Map<?, ?> info
        && "NetConnection.Connect.Rejected".equals(info.get("code"));
  }

  private Node start(String name, boolean edge) throws Exception {
    int rtmp = TestNode.freePort();
    int httpPort = TestNode.freePort();
    int api = TestNode.freePort();
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, """
        listen 127.0.0.1:%d;
        daemon off;
        pid %s;
        srs_log_tank console;
        http_api { enabled on; listen 127.0.0.1:%d; }
        http_server { enabled on; listen 127.0.0.1:%d; dir %s; }
        vhost __defaultVhost__ {
            %s
            http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }
            %s
        }
        """.formatted(rtmp, dir.resolve(name + ".pid"), api, httpPort, dir,
        edge ? "cluster { mode remote; }" : "",
        edge ? "hls { enabled on; hls_fragment 1; hls_window 4; hls_path " + dir.resolve(name + "-hls") + "; }" : ""));
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder("java", "-Xmx256m", "-jar", jar(), "-c", conf.toString(),
        "--cluster", "--cluster-name", clusterName).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Node node = new Node(name, process, log, rtmp, httpPort, api);
    nodes.add(node);
    return node;
  }

  private static String jar() {
    return System.getProperty("estuary.jar", "target/estuary.jar");
  }

  private Ffmpeg.Run publish(Node node, String stream) throws IOException {
    Ffmpeg.Run run = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmpUrl(stream));
    ffmpegs.add(run);
    return run;
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The RTMP and HTTP players of live/{@code stream} on {@code node} (its /api/v1/clients/). */
  private int players(Node node, String stream) {
    JsonObject answer = getUnchecked(node, "/api/v1/clients/?count=100");
    if (answer == null) {
      return -1;
    }
    JsonArray clients = answer.getJsonArray("clients");
    int players = 0;
    for (int i = 0; i < clients.size(); i++) {
      JsonObject c = clients.getJsonObject(i);
      if (stream.equals(c.getString("name")) && !c.getBoolean("publish")) {
        players++;
      }
    }
    return players;
  }

  private JsonObject get(Node node, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.api() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

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
    }, () -> count + " nodes on " + node.name() + ": " + getUnchecked(node, "/api/v1/cluster/nodes") + "\n"
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

  private JsonObject streamOwner(Node node, String stream) {
    JsonObject entry = streamEntry(node, stream);
    return entry == null ? null : entry.getJsonObject("owner");
  }

  /** live/{@code stream} in {@code node}'s /api/v1/cluster/streams, or null. */
  private JsonObject streamEntry(Node node, String stream) {
    JsonObject answer = getUnchecked(node, "/api/v1/cluster/streams");
    if (answer == null) {
      return null;
    }
    JsonArray streams = answer.getJsonArray("streams");
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      if ("live".equals(s.getString("app")) && stream.equals(s.getString("name"))) {
        return s;
      }
    }
    return null;
  }

  private JsonObject awaitOwner(Node node, String stream, String ownerId) throws Exception {
    return Await.value(Duration.ofSeconds(20), () -> streamOwner(node, stream),
        owner -> owner != null && ownerId.equals(owner.getString("id")),
        () -> "live/" + stream + " owned by " + ownerId + " on " + node.name() + ": "
            + getUnchecked(node, "/api/v1/cluster/streams"));
  }

  private static String readUnchecked(Node node) {
    try {
      return Files.readString(node.log());
    } catch (IOException e) {
      return "";
    }
  }
}
