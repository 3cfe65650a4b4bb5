package io.estuary.admin;

import java.time.Duration;
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
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS's HTTP API as a dashboard reads it, while real ffmpeg publishes and plays; kicking clients; the exporter. */
class ApiTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("http_api", new JsonObject().put("enabled", true))
        .put("exporter", new JsonObject().put("enabled", true).put("label", "cn-beijing").put("tag", "cn-edge")));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void streamsAndClientsWhileLiveThenKicks() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/api"));
    Ffmpeg.Run player = null;
    try {
      node.awaitPublished("live/api");
      player = Ffmpeg.play(node.rtmp("live/api"), 0);
      // kbps is a 30 s window sampled every 10 s: 0 at first, as SRS.
      JsonObject stream = Await.value(Duration.ofSeconds(30),
          () -> find(getUnchecked("/api/v1/streams/").getJsonArray("streams"), "name", "api"),
          s -> s != null && s.getJsonObject("kbps").getInteger("recv_30s") > 0,
          () -> "the stream is listed with its kbps");
      assertEquals("/live/api", stream.getString("url"));
      assertEquals("live", stream.getString("app"));
      assertTrue(stream.getJsonObject("publish").getBoolean("active"));
      JsonObject video = stream.getJsonObject("video");
      assertEquals("H264", video.getString("codec"));
      assertEquals("Main", video.getString("profile"));
      assertEquals(640, video.getInteger("width"));
      assertEquals(360, video.getInteger("height"));
      JsonObject audio = stream.getJsonObject("audio");
      assertEquals("AAC", audio.getString("codec"));
      assertEquals(44100, audio.getInteger("sample_rate"));
      assertEquals(2, audio.getInteger("channel"));
      assertTrue(stream.getJsonObject("kbps").getInteger("recv_30s") > 0, "kbps after a sampling period: " + stream);
      assertTrue(stream.getLong("frames") > 0);
      JsonObject byId = get("/api/v1/streams/" + stream.getString("id")).getJsonObject("stream");
      assertEquals(stream.getString("name"), byId.getString("name"), "one stream by id");
      assertEquals(stream.getJsonObject("video"), byId.getJsonObject("video"));

      String publisherId = stream.getJsonObject("publish").getString("cid");
      JsonArray clients = get("/api/v1/clients/?count=100").getJsonArray("clients");
      JsonObject pub = find(clients, "id", publisherId);
      assertNotNull(pub, "the publisher is a client: " + clients);
      assertEquals("fmle-publish", pub.getString("type"));
      assertTrue(pub.getBoolean("publish"));
      assertEquals("127.0.0.1", pub.getString("ip"));
      JsonObject play = find(clients, "type", "rtmp-play");
      assertNotNull(play, "the player is a client: " + clients);
      assertEquals(stream.getString("id"), play.getString("stream"));

      // Kick the player: its ffmpeg ends, the stream goes on.
      assertEquals(0, delete("/api/v1/clients/" + play.getString("id")).getInteger("code"));
      assertTrue(player.waitFor(15), "the kicked player ends");
      assertTrue(publisher.isAlive(), "the publisher goes on");
      assertEquals(2049, delete("/api/v1/clients/nobody12").getInteger("code"), "unknown client");
      assertEquals(2048, get("/api/v1/streams/vid-nobody").getInteger("code"), "unknown stream");

      // The exporter sees one live stream.
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.exporterPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("\nsrs_streams 1\n"), metrics);
      assertTrue(metrics.contains("label=\"cn-beijing\""), metrics);

      // Kick the publisher: the publish ends.
      assertEquals(0, delete("/api/v1/clients/" + publisherId).getInteger("code"));
      assertTrue(publisher.waitFor(15), "the kicked publisher ends");
      node.awaitUnpublished("live/api");
    } finally {
      publisher.stop();
      if (player != null) {
        player.stop();
      }
    }
  }

  @Test
  void envelopeVersionsSummariesVhosts() throws Exception {
    JsonObject versions = get("/api/v1/versions");
    assertEquals(0, versions.getInteger("code"));
    assertTrue(versions.getString("server").startsWith("vid-"), versions.encode());
    assertNotNull(versions.getString("service"));
    assertEquals(String.valueOf(ProcessHandle.current().pid()), versions.getString("pid"));
    assertEquals(0, versions.getJsonObject("data").getInteger("major"));
    JsonObject summaries = get("/api/v1/summaries").getJsonObject("data");
    assertTrue(summaries.getBoolean("ok"));
    assertTrue(summaries.getJsonObject("self").getLong("mem_kbyte") > 0, summaries.encode());
    assertTrue(summaries.getJsonObject("system").getInteger("cpus") > 0);
    JsonArray vhosts = get("/api/v1/vhosts").getJsonArray("vhosts");
    assertEquals("__defaultVhost__", vhosts.getJsonObject(0).getString("name"));
    assertEquals(vhosts.getJsonObject(0), get("/api/v1/vhosts/" + vhosts.getJsonObject(0).getString("id")).getJsonObject("vhost"));
  }

  @Test
  void authRequiresCredentials() throws Exception {
    try (TestNode secured = TestNode.start(new JsonObject().put("http_api", new JsonObject().put("enabled", true)
        .put("auth", new JsonObject().put("enabled", true).put("username", "admin").put("password", "s3cret"))))) {
      URI uri = URI.create(secured.api("/api/v1/versions"));
      assertEquals(401, HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
      String wrong = "Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes(StandardCharsets.UTF_8));
      assertEquals(401, HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", wrong).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      String right = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", right).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals(0, new JsonObject(ok.body()).getInteger("code"));
    }
  }

  static JsonObject find(JsonArray items, String field, String value) {
    for (int i = 0; i < items.size(); i++) {
      if (value.equals(items.getJsonObject(i).getValue(field))) {
        return items.getJsonObject(i);
      }
    }
    return null;
  }

  static JsonObject get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.api(path))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), path);
    return new JsonObject(response.body());
  }

  /** {@link #get} inside a condition that cannot throw. */
  private static JsonObject getUnchecked(String path) {
    try {
      return get(path);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject delete(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.api(path))).DELETE().build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body());
  }
}
