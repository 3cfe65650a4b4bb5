package io.estuary.cluster;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.JarCluster;
import io.estuary.testing.JarNode;
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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
  /**
   * How long each ffmpeg player of the edges decodes: long enough that all of them are still playing while the test
   * counts them through the API, on a loaded machine too (with 6 s, edge 1's two players once ended before the
   * stayer of edge 2 had its Play.Start, and the count never saw them).
   */
  private static final double SECONDS = 15;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private JarCluster cluster;
  private final List<TestRtmpClient> stayers = new ArrayList<>();
  private Vertx vertx;
  private JarNode origin1;
  private JarNode origin2;
  private JarNode edge1;
  private JarNode edge2;

  @BeforeAll
  void startTheCluster() throws Exception {
    cluster = new JarCluster("estuary-failover-it");
    vertx = Vertx.vertx();
    // One at a time, each in the cluster before the next starts: nodes that start at once may form separate clusters
    // and wait for Hazelcast's split-brain merge (a run once failed so, 3 + 1 for a minute).
    origin1 = start("origin1", false);
    awaitNodes(origin1, 1);
    origin2 = start("origin2", false);
    awaitNodes(origin2, 2);
    edge1 = start("edge1", true);
    awaitNodes(edge1, 3);
    edge2 = start("edge2", true);
    for (JarNode node : cluster.nodes()) {
      awaitNodes(node, 4);
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    for (TestRtmpClient stayer : stayers) {
      stayer.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Players on both edges decode; each edge pulls once from origin 1 for its 3 players. */
  @Test
  @Order(1)
  void edgesPullOncePerStreamForTheirPlayers() throws Exception {
    cluster.publish(origin1, "s");
    awaitOwner(edge1, "s", origin1.selfId());
    List<Ffmpeg.Run> players = new ArrayList<>();
    for (JarNode edge : List.of(edge1, edge2)) {
      stayers.add(TestRtmpClient.connect(edge.rtmp(), "live").play("s"));
    }
    for (JarNode edge : List.of(edge1, edge2)) {
      for (int i = 0; i < 2; i++) {
        Ffmpeg.Run player = Ffmpeg.play(edge.rtmpUrl("s"), SECONDS);
        cluster.track(player);
        players.add(player);
      }
    }
    for (JarNode edge : List.of(edge1, edge2)) {
      Await.until(Duration.ofSeconds(20), () -> players(edge, "s") == 3,
          () -> edge.name() + " players: " + edge.apiUnchecked("/api/v1/clients/"));
    }
    Await.until(Duration.ofSeconds(20), () -> players(origin1, "s") == 2,
        () -> "origin 1's clients: " + origin1.apiUnchecked("/api/v1/clients/"));
    assertEquals(3, players(edge1, "s"));
    assertEquals(3, players(edge2, "s"));
    Ffmpeg.assertDecoded(players, SECONDS);
    assertEquals(2, players(origin1, "s"), "one upstream per edge: " + origin1.apiUnchecked("/api/v1/clients/"));
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
    Ffmpeg.Run pushed = cluster.publish(edge2, "e");
    JsonObject owner = Await.value(Duration.ofSeconds(20), () -> edge1.clusterOwner("e"), o -> o != null,
        () -> "live/e in the directory: " + edge1.apiUnchecked("/api/v1/cluster/streams"));
    String rtmp = owner.getString("rtmp");
    assertTrue(rtmp.equals("127.0.0.1:" + origin1.rtmp()) || rtmp.equals("127.0.0.1:" + origin2.rtmp()),
        "an origin owns it: " + owner);
    Ffmpeg.Run player = Ffmpeg.play("rtmp://" + rtmp + "/live/e", 3);
    cluster.track(player);
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
    String twoId = origin2.selfId();
    origin1.kill();
    long killed = System.nanoTime();
    Await.until(RELEASED_WITHIN, () -> edge1.clusterOwner("s") == null,
        () -> "the killed origin's stream still listed: " + edge1.apiUnchecked("/api/v1/cluster/streams"));
    for (int i = 0; i < stayers.size(); i++) { // what was in flight before the kill
      TestRtmpClient.Received r;
      while ((r = stayers.get(i).received.poll()) != null) {
        lastTimestamp[i] = Math.max(lastTimestamp[i], r.timestamp());
      }
    }
    long republished = System.nanoTime();
    long republishedMs = System.currentTimeMillis();
    LOG.info("origin 1 killed; its stream released after " + (republished - killed) / 1_000_000 + " ms");
    cluster.publish(origin2, "s");
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
        owner = Await.value(Duration.ofSeconds(10), () -> edge1.clusterStream("s"), o -> o != null,
            () -> "live/s in the directory");
      }
      long sinceClaim = System.currentTimeMillis() - (System.nanoTime() - first.arrivedNanos()) / 1_000_000
          - owner.getLong("since");
      LOG.info(String.format("FAILOVER edge %d: first new frame %d ms after ffmpeg's republish started, %d ms after "
              + "origin 2 claimed the stream", i + 1, (first.arrivedNanos() - republished) / 1_000_000, sinceClaim));
      System.out.printf("FAILOVER edge %d: first new frame %d ms after the republish started (%d ms after the claim)%n",
          i + 1, (first.arrivedNanos() - republished) / 1_000_000, sinceClaim);
    }
    for (JarNode edge : List.of(edge1, edge2)) {
      JsonObject named = Await.value(RELEASED_WITHIN, () -> edge.clusterOwner("s"),
          o -> o != null && twoId.equals(o.getString("id")),
          () -> "origin 2 named on " + edge.name() + ": " + edge.apiUnchecked("/api/v1/cluster/streams"));
      assertEquals("127.0.0.1:" + origin2.rtmp(), named.getString("rtmp"));
    }
    assertTrue(republishedMs > 0);
  }

  // ---- helpers ----

  private static boolean is302(RtmpMessage m) {
    return m instanceof CommandMessage c && "onStatus".equals(c.name()) && c.argument(0) instanceof Map<?, ?> info
        && "NetConnection.Connect.Rejected".equals(info.get("code"));
  }

  private JarNode start(String name, boolean edge) throws Exception {
    Path dir = cluster.dir();
    return cluster.start(name, ports -> """
        http_server { enabled on; listen 127.0.0.1:%d; dir %s; }
        vhost __defaultVhost__ {
            %s
            http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }
            %s
        }
        """.formatted(ports.http(), dir,
        edge ? "cluster { mode remote; }" : "",
        edge ? "hls { enabled on; hls_fragment 1; hls_window 4; hls_path " + dir.resolve(name + "-hls") + "; }" : ""));
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
  private int players(JarNode node, String stream) {
    JsonObject answer = node.apiUnchecked("/api/v1/clients/?count=100");
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

  private static void awaitNodes(JarNode node, int count) throws Exception {
    node.awaitNodes(count, START, node.name());
  }

  private static JsonObject awaitOwner(JarNode node, String stream, String ownerId) throws Exception {
    return node.awaitOwner(stream, ownerId, node.name());
  }
}
