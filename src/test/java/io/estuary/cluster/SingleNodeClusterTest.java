package io.estuary.cluster;

import io.estuary.stream.PublishClaims;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node without {@code --cluster}: the cluster API answers with this node alone; and the publish claim is one step of
 * the publish verdict (a refused claim is a busy stream for the publisher; a granted one is released once).
 */
class SingleNodeClusterTest {

  static TestNode node;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Refuses live/taken, grants the rest; records claims and releases. */
  static final List<String> claims = new CopyOnWriteArrayList<>();
  static final List<String> releases = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject().put("http_api", new JsonObject().put("enabled", true)));
    node.node.hub().claims(new PublishClaims() {
      @Override
      public CompletionStage<Void> claim(StreamKey key, String clientId) {
        claims.add(key.stream());
        return "taken".equals(key.stream())
            ? CompletableFuture.failedFuture(new IllegalStateException("another publisher is live on node elsewhere"))
            : CompletableFuture.completedFuture(null);
      }

      @Override
      public void release(StreamKey key) {
        releases.add(key.stream());
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void aRefusedClaimSendsThePublisherAwayAndAGrantedOneIsReleasedOnce() throws Exception {
    Ffmpeg.Run refused = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/taken"));
    assertTrue(refused.waitFor(30), "the publisher is sent away: " + refused.stderr());
    assertNotEquals(0, refused.exitCode(), refused.stderr());
    assertEquals(List.of(), releases, "a refused claim is not released");

    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/free"));
    try {
      node.awaitPublished("live/free");
      JsonObject streams = get("/api/v1/cluster/streams");
      assertEquals(0, streams.getInteger("code"), streams.encode());
      JsonArray list = streams.getJsonArray("streams");
      assertEquals(1, list.size(), streams.encode());
      JsonObject stream = list.getJsonObject(0);
      assertEquals("free", stream.getString("name"));
      assertEquals("127.0.0.1:" + node.rtmpPort, stream.getJsonObject("owner").getString("rtmp"), streams.encode());

      JsonObject nodes = get("/api/v1/cluster/nodes");
      assertTrue(nodes.containsKey("server") && nodes.containsKey("service") && nodes.containsKey("pid"), nodes.encode());
      JsonArray one = nodes.getJsonArray("nodes");
      assertEquals(1, one.size(), nodes.encode());
      JsonObject self = one.getJsonObject(0);
      assertTrue(self.getBoolean("self"), nodes.encode());
      assertEquals("origin", self.getString("role"));
      assertEquals(1, self.getInteger("streams"), nodes.encode());
      assertEquals(stream.getJsonObject("owner").getString("id"), self.getString("id"));
    } finally {
      publisher.stop();
    }
    Await.until(Duration.ofSeconds(10), () -> releases.contains("free"), () -> "released: " + releases);
    assertEquals(List.of("free"), releases, "released once");
    assertTrue(claims.containsAll(List.of("taken", "free")), claims.toString());
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.apiPort + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
