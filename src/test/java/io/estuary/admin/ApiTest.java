package io.estuary.admin;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestHttp;
import io.estuary.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS's HTTP API as a dashboard reads it, while real ffmpeg publishes and plays; kicking clients; the exporter. */
@ExtendWith(VertxExtension.class)
class ApiTest {

  static TestNode node;
  /** The dashboard: Vert.x's HTTP client, on the test's own Vert.x (not the node's). */
  static TestHttp http;
  Ffmpeg.Run publisher;
  Ffmpeg.Run player;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    node = TestNode.start(new JsonObject()
        .put("http_api", new JsonObject().put("enabled", true))
        .put("exporter", new JsonObject().put("enabled", true).put("label", "cn-beijing").put("tag", "cn-edge")));
    http = TestHttp.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @AfterEach
  void stopFfmpeg() throws Exception {
    for (Ffmpeg.Run run : new Ffmpeg.Run[] {publisher, player}) {
      if (run != null) {
        run.stop();
      }
    }
  }

  @Test
  void streamsAndClientsWhileLiveThenKicks(Vertx vertx, VertxTestContext ctx) throws Exception {
    publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/api"));
    node.awaitPublished("live/api");
    player = Ffmpeg.play(node.rtmp("live/api"), 0);
    // kbps is a 30 s window sampled every 10 s: 0 at first, as SRS.
    Await.eventually(vertx, Duration.ofSeconds(30), () -> apiStream("api"),
        s -> s != null && s.getJsonObject("kbps").getInteger("recv_30s") > 0,
        () -> "the stream is listed with its kbps"
    ).compose(stream -> {
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
      return get("/api/v1/streams/" + stream.getString("id")).map(one -> {
        JsonObject byId = one.getJsonObject("stream");
        assertEquals(stream.getString("name"), byId.getString("name"), "one stream by id");
        assertEquals(stream.getJsonObject("video"), byId.getJsonObject("video"));
        return stream;
      });
    }).compose(stream -> get("/api/v1/clients/?count=100").compose(list -> {
      JsonArray clients = list.getJsonArray("clients");
      String publisherId = stream.getJsonObject("publish").getString("cid");
      JsonObject pub = find(clients, "id", publisherId);
      assertNotNull(pub, "the publisher is a client: " + clients);
      assertEquals("fmle-publish", pub.getString("type"));
      assertTrue(pub.getBoolean("publish"));
      assertEquals("127.0.0.1", pub.getString("ip"));
      JsonObject play = find(clients, "type", "rtmp-play");
      assertNotNull(play, "the player is a client: " + clients);
      assertEquals(stream.getString("id"), play.getString("stream"));

      // Kick the player: its ffmpeg ends, the stream goes on.
      return delete("/api/v1/clients/" + play.getString("id")).compose(kicked -> {
        assertEquals(0, kicked.getInteger("code"));
        return player.exited(15);
      }).map(exit -> {
        assertTrue(publisher.isAlive(), "the publisher goes on");
        return publisherId;
      });
    })).compose(publisherId -> delete("/api/v1/clients/nobody12").compose(unknown -> {
      assertEquals(2049, unknown.getInteger("code"), "unknown client");
      return get("/api/v1/streams/vid-nobody");
    }).compose(unknown -> {
      assertEquals(2048, unknown.getInteger("code"), "unknown stream");
      // The exporter sees one live stream.
      return http.get("http://127.0.0.1:" + node.exporterPort + "/metrics");
    }).compose(metrics -> {
      assertTrue(metrics.body().contains("\nsrs_streams 1\n"), metrics.body());
      assertTrue(metrics.body().contains("label=\"cn-beijing\""), metrics.body());
      // Kick the publisher: the publish ends.
      return delete("/api/v1/clients/" + publisherId);
    })).compose(kicked -> {
      assertEquals(0, kicked.getInteger("code"));
      return publisher.exited(15);
    }).compose(exit -> Await.eventually(vertx, Duration.ofSeconds(15), () -> apiStream("api"),
        s -> s == null || !s.getJsonObject("publish").getBoolean("active"),
        () -> "the API shows the publish ended")
    ).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void envelopeVersionsSummariesVhosts(VertxTestContext ctx) {
    get("/api/v1/versions").compose(versions -> {
      assertEquals(0, versions.getInteger("code"));
      assertTrue(versions.getString("server").startsWith("vid-"), versions.encode());
      assertNotNull(versions.getString("service"));
      assertEquals(String.valueOf(ProcessHandle.current().pid()), versions.getString("pid"));
      assertEquals(0, versions.getJsonObject("data").getInteger("major"));
      return get("/api/v1/summaries");
    }).compose(body -> {
      JsonObject summaries = body.getJsonObject("data");
      assertTrue(summaries.getBoolean("ok"));
      assertTrue(summaries.getJsonObject("self").getLong("mem_kbyte") > 0, summaries.encode());
      assertTrue(summaries.getJsonObject("system").getInteger("cpus") > 0);
      return get("/api/v1/vhosts");
    }).compose(body -> {
      JsonObject first = body.getJsonArray("vhosts").getJsonObject(0);
      assertEquals("__defaultVhost__", first.getString("name"));
      return get("/api/v1/vhosts/" + first.getString("id")).map(one -> {
        assertEquals(first, one.getJsonObject("vhost"));
        return one;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void authRequiresCredentials(VertxTestContext ctx) throws Exception {
    TestNode secured = TestNode.start(new JsonObject().put("http_api", new JsonObject().put("enabled", true)
        .put("auth", new JsonObject().put("enabled", true).put("username", "admin").put("password", "s3cret"))));
    String url = secured.api("/api/v1/versions");
    http.get(url).compose(none -> {
      assertEquals(401, none.status(), "no credentials");
      return http.get(url, TestHttp.basic("admin", "nope"));
    }).compose(wrong -> {
      assertEquals(401, wrong.status(), "a wrong password");
      return http.get(url, TestHttp.basic("admin", "s3cret"));
    }).compose(right -> {
      assertEquals(200, right.status());
      assertEquals(0, right.json().getInteger("code"));
      return http.get(secured.api("/api/v1/clusters?vhost=__defaultVhost__&app=live&stream=s"));
    }).map(coworker -> {
      assertEquals(200, coworker.status(), "an origin-cluster coworker asks without credentials, as SRS's do");
      assertEquals(0, coworker.json().getInteger("code"));
      return coworker;
    }).eventually(() -> secured.vertx.close()).onComplete(ctx.succeedingThenComplete());
  }

  static JsonObject find(JsonArray items, String field, String value) {
    for (int i = 0; i < items.size(); i++) {
      if (value.equals(items.getJsonObject(i).getValue(field))) {
        return items.getJsonObject(i);
      }
    }
    return null;
  }

  /** The API's answer to GET {@code path}, which must be HTTP 200. */
  static Future<JsonObject> get(String path) {
    return http.get(node.api(path)).map(response -> {
      assertEquals(200, response.status(), path);
      return response.json();
    });
  }

  static Future<JsonObject> delete(String path) {
    return http.delete(node.api(path)).map(TestHttp.Response::json);
  }

  /** The stream named {@code name} in the API's stream list, or null. */
  static Future<JsonObject> apiStream(String name) {
    return get("/api/v1/streams/").map(streams -> find(streams.getJsonArray("streams"), "name", name));
  }
}
