package io.estuary.edge;

import io.estuary.config.SrsConf;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.stream.Source;
import io.estuary.access.Client;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamOwners;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's static edge, end to end: an origin and an edge ({@code cluster { mode remote; origin ...; }}) in this JVM,
 * ffmpeg publishing and playing, ffprobe decoding.
 */
class StaticEdgeTest {

  static TestNode origin;
  static TestNode edge;

  /** A node from SRS configuration text. */
  static TestNode node(String conf) throws Exception {
    JsonObject json = SrsConf.read(conf, "edge-test.conf", Path.of(""), Map.of()).config();
    json.remove("listen"); // TestNode gives every listener a free port
    for (String block : List.of("http_server", "http_api")) {
      if (json.getValue(block) instanceof JsonObject listener) {
        listener.remove("listen");
      }
    }
    return TestNode.start(json);
  }

  static String edgeConf(String origins) {
    return """
        http_server { enabled on; dir target/test-www; }
        vhost __defaultVhost__ {
            http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }
            cluster {
                mode remote;
                origin %s;
                token_traverse off;
            }
        }
        """.formatted(origins);
  }

  @BeforeAll
  static void start() throws Exception {
    origin = node("http_api { enabled on; }\nvhost __defaultVhost__ { }\n");
    edge = node(edgeConf("127.0.0.1:" + origin.rtmpPort));
  }

  @AfterAll
  static void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  static Source source(TestNode node, String appStream) {
    String[] parts = appStream.split("/", 2);
    return node.node.hub().get(new StreamKey(StreamKey.DEFAULT_VHOST, parts[0], parts[1]));
  }

  /** The origin's clients playing {@code url} ("/live/s"), as its API lists them. */
  static int playersOnOrigin(String url) throws Exception {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin.api("/api/v1/clients/?count=100")))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    JsonArray clients = new JsonObject(body).getJsonArray("clients");
    int players = 0;
    for (int i = 0; i < clients.size(); i++) {
      JsonObject c = clients.getJsonObject(i);
      if (url.equals(c.getString("url")) && !c.getBoolean("publish")) {
        players++;
      }
    }
    return players;
  }

  /**
   * Publishes the test media to {@code publishUrl}; once the origin has frames of {@code stream}, ffprobe of
   * {@code probeUrl} finds H.264 video and AAC audio. The publisher stops in any case.
   */
  private static void assertPublishDecodes(String publishUrl, String stream, String probeUrl) throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), publishUrl);
    try {
      origin.awaitFrames(stream, 10);
      JsonArray streams = new JsonObject(Ffmpeg.probe(probeUrl, "-show_streams")).getJsonArray("streams");
      assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
      assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
    } finally {
      publisher.stop();
    }
  }

  /** The origin's client of {@code stream} that publishes or plays it, once it is there. */
  static Client originClient(String stream, boolean publishing) throws InterruptedException {
    return Await.value(Duration.ofSeconds(15), () -> origin.node.clients().all().stream()
            .filter(c -> stream.equals(c.stream()) && c.isPublishing() == publishing).findFirst().orElse(null),
        java.util.Objects::nonNull, () -> "a " + (publishing ? "publisher" : "player") + " of " + stream + " on the origin");
  }

  @Test
  void theEdgePullsAndPushesWithItsClientsTokens() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/tokened"));
    try (TestRtmpClient player = TestRtmpClient.connect(edge.rtmpPort, "live")) {
      origin.awaitPublished("live/tokened");
      player.play("tokened?token=abc");
      assertEquals("?token=abc", originClient("tokened", false).param(),
          "the upstream asks the origin with the first player's parameters, as SRS's edge does");
    } finally {
      publisher.stop();
    }
    Ffmpeg.Run edgePublisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), edge.rtmp("live/pushed?token=pub"));
    try {
      assertEquals("?token=pub", originClient("pushed", true).param(),
          "a publish on the edge reaches the origin with the publisher's parameters");
    } finally {
      edgePublisher.stop();
    }
  }

  @Test
  void threeEdgePlayersShareOneUpstreamThatClosesAfterThem() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/three"));
    try {
      origin.awaitFrames("live/three", 10);
      double seconds = 8;
      List<Ffmpeg.Run> players = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        players.add(Ffmpeg.play(edge.rtmp("live/three"), seconds));
      }
      Await.until(Duration.ofSeconds(15), () -> source(edge, "live/three") != null
          && source(edge, "live/three").demand() == 3, () -> "3 players on the edge");
      assertEquals(1, playersOnOrigin("/live/three"), "the edge pulls once for its 3 players");
      Ffmpeg.assertDecoded(players, seconds);
      Await.until(Duration.ofSeconds(10), () -> {
        try {
          return playersOnOrigin("/live/three") == 0;
        } catch (Exception e) {
          return false;
        }
      }, () -> "the upstream closed after the last player");
      Await.until(Duration.ofSeconds(10), () -> source(edge, "live/three") == null,
          () -> "the edge's source is gone");
    } finally {
      publisher.stop();
    }
  }

  @Test
  void httpFlvFromTheEdgeDecodes() throws Exception {
    assertPublishDecodes(origin.rtmp("live/flv"), "live/flv", edge.http("live/flv.flv"));
  }

  @Test
  void aPublishOnTheEdgeIsPlayableOnTheOrigin() throws Exception {
    assertPublishDecodes(edge.rtmp("live/pushed"), "live/pushed", origin.rtmp("live/pushed"));
    origin.awaitUnpublished("live/pushed");
  }

  @Test
  void theEdgeFallsOverToTheNextOrigin() throws Exception {
    int nobody = TestNode.freePort();
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/failover"));
    try (LogCapture log = LogCapture.of("io.estuary.edge");
         TestNode failover = node(edgeConf("127.0.0.1:" + nobody + " 127.0.0.1:" + origin.rtmpPort))) {
      origin.awaitFrames("live/failover", 10);
      JsonArray streams = new JsonObject(Ffmpeg.probe(failover.rtmp("live/failover"), "-show_streams"))
          .getJsonArray("streams");
      assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
      assertTrue(log.lines().stream().anyMatch(l -> l.contains(":" + nobody) && l.contains("failed")),
          "the dead origin was tried first: " + log.lines());
    } finally {
      publisher.stop();
    }
  }

  @Test
  void tokenTraverseAsksTheOriginBeforeServing() throws Exception {
    String edgeVhost = """
        vhost %s {
            cluster { mode remote; origin 127.0.0.1:%d; token_traverse on; }
        }
        """;
    try (TestNode refusing = node("vhost closed.example { enabled off; }\nvhost open.example { }\n");
         TestNode traversing = node(edgeVhost.formatted("closed.example", refusing.rtmpPort)
             + edgeVhost.formatted("open.example", refusing.rtmpPort))) {
      try (TestRtmpClient allowed = TestRtmpClient.connect(traversing.rtmpPort, "live", "open.example")) {
        allowed.play("tok"); // the origin accepted the connect: the client is served
        assertTrue(allowed.isActive());
      }
      try (TestRtmpClient refused = TestRtmpClient.connect(traversing.rtmpPort, "live", "closed.example")) {
        assertThrows(AssertionError.class, () -> refused.play("tok"),
            "the origin refused the connect: so does the edge");
        assertTrue(refused.awaitClosed(10));
      }
    }
  }

  @Test
  void aDirectoryEdgeTraversesTheTokenToAnOriginOfTheCluster() throws Exception {
    String edgeVhost = """
        vhost %s {
            cluster { mode remote; token_traverse on; }
        }
        """;
    try (TestNode refusing = node("vhost closed.example { enabled off; }\nvhost open.example { }\n");
         TestNode traversing = node(edgeVhost.formatted("closed.example") + edgeVhost.formatted("open.example"))) {
      String origin = "127.0.0.1:" + refusing.rtmpPort;
      traversing.node.hub().owners(new StreamOwners() { // the cluster's registry: one origin, no stream owned
        @Override
        public CompletionStage<Owner> elsewhere(StreamKey key) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public AutoCloseable watch(StreamKey key, java.util.function.Consumer<Owner> changed) {
          return () -> { };
        }

        @Override
        public CompletionStage<List<String>> origins() {
          return CompletableFuture.completedFuture(List.of(origin));
        }
      });
      try (TestRtmpClient allowed = TestRtmpClient.connect(traversing.rtmpPort, "live", "open.example")) {
        allowed.play("tok");
        assertTrue(allowed.isActive(), "the cluster's origin accepted the connect: the client is served");
      }
      try (TestRtmpClient refused = TestRtmpClient.connect(traversing.rtmpPort, "live", "closed.example")) {
        assertThrows(AssertionError.class, () -> refused.play("tok"),
            "the cluster's origin refused the connect: so does the edge, with no origin list of its own");
        assertTrue(refused.awaitClosed(10));
      }
    }
  }

  @Test
  void playersStayThroughAnUpstreamBreakAndGetTheNewSequenceHeadersFirst() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/again"));
    try (TestRtmpClient player = TestRtmpClient.connect(edge.rtmpPort, "live")) {
      origin.awaitFrames("live/again", 10);
      player.play("again");
      assertNotNull(player.nextMedia(10), "the edge's player gets media");
      publisher.stop();
      origin.awaitUnpublished("live/again");
      while (player.next(1) != null) {
        // the old publish's tail still on its way to the player
      }
      publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/again"));
      origin.awaitPublished("live/again");
      TestRtmpClient.Received first = null;
      for (TestRtmpClient.Received r = player.nextMedia(15); r != null; r = player.nextMedia(15)) {
        if (r.type() == RtmpMessage.TYPE_VIDEO) {
          first = r;
          break;
        }
      }
      assertNotNull(first, "video again after the republish");
      assertTrue(first.sequenceHeader(), "the new sequence header comes first: " + first);
      int frames = 0;
      for (TestRtmpClient.Received r = player.nextMedia(10); r != null && frames < 25; r = player.nextMedia(10)) {
        if (r.type() == RtmpMessage.TYPE_VIDEO && !r.sequenceHeader()) {
          frames++;
        }
      }
      assertEquals(25, frames, "new frames reach the player that stayed connected");
      assertTrue(player.isActive(), "the player was never disconnected");
    } finally {
      publisher.stop();
    }
  }
}
