package io.estuary.admin;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestHttp;
import io.estuary.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's {@code full.conf} puts {@code http_api} and {@code http_server} on one port: that port serves the API (with
 * the API's auth) and the streams and files (without it), as SRS does.
 */
@ExtendWith(VertxExtension.class)
class ApiOnHttpServerPortTest {

  /** Requests to send to each path: each must reach the right handler, whichever listener accepts it. */
  static final int REQUESTS = 12;

  static TestNode node;
  static int port;
  /** A new connection per request, so each one is accepted anew. */
  static TestHttp http;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    http = TestHttp.create(vertx);
    Path www = Files.createTempDirectory("estuary-www");
    Files.writeString(www.resolve("index.html"), "<h1>estuary</h1>");
    port = TestNode.freePort();
    String listen = "127.0.0.1:" + port;
    node = TestNode.start(new JsonObject()
        .put("http_api", new JsonObject().put("enabled", true).put("listen", new JsonArray().add(listen))
            .put("auth", new JsonObject().put("enabled", true).put("username", "admin").put("password", "secret")))
        .put("http_server", new JsonObject().put("enabled", true).put("listen", new JsonArray().add(listen))
            .put("dir", www.toString()))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", "[vhost]/[app]/[stream].flv")))));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void theApiAnswersOnTheHttpServersPort(VertxTestContext ctx) {
    Checkpoint answered = ctx.checkpoint(REQUESTS + 1);
    for (int i = 0; i < REQUESTS; i++) {
      String request = "request " + i;
      http.get(url("/api/v1/versions"), TestHttp.basic("admin", "secret")).onComplete(ctx.succeeding(versions -> ctx.verify(() -> {
        assertEquals(200, versions.status(), request + ": " + versions.body());
        assertEquals(0, versions.json().getInteger("code"), versions.body());
        answered.flag();
      })));
    }
    http.get(url("/api/v1/versions")).onComplete(ctx.succeeding(refused -> ctx.verify(() -> {
      assertEquals(401, refused.status(), "the API's auth applies to the API");
      answered.flag();
    })));
  }

  @Test
  void filesNeedNoApiCredentials(VertxTestContext ctx) {
    Checkpoint served = ctx.checkpoint(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      String request = "request " + i;
      http.get(url("/index.html")).onComplete(ctx.succeeding(index -> ctx.verify(() -> {
        assertEquals(200, index.status(), request + ": " + index.body());
        assertTrue(index.body().contains("<h1>estuary</h1>"), index.body());
        served.flag();
      })));
    }
  }

  @Test
  void theConsoleCallsTheApiOnItsOwnOriginAndDirKeepsItsIndex(VertxTestContext ctx) {
    Checkpoint answered = ctx.checkpoint(3);
    http.get(url("/console/settings.json")).onComplete(ctx.succeeding(settings -> ctx.verify(() -> {
      assertEquals(200, settings.status(), "the console needs no API credentials: " + settings.body());
      assertEquals(new JsonObject().put("port", port).put("same_origin", true), settings.json().getJsonObject("api"));
      answered.flag();
    })));
    http.get(url("/console/")).onComplete(ctx.succeeding(page -> ctx.verify(() -> {
      assertEquals(200, page.status(), page.body());
      assertTrue(page.body().contains("<title>Estuary console</title>"), page.body());
      answered.flag();
    })));
    http.get(url("/")).onComplete(ctx.succeeding(index -> ctx.verify(() -> {
      assertTrue(index.body().contains("<h1>estuary</h1>"), "dir's own index.html, not the console link: " + index.body());
      answered.flag();
    })));
  }

  @Test
  void streamsNeedNoApiCredentials() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/shared"));
    try {
      node.awaitPublished("live/shared");
      JsonArray streams = new JsonObject(Ffmpeg.probe(url("/live/shared.flv"), "-show_streams")).getJsonArray("streams");
      assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
      assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
    } finally {
      publisher.stop();
    }
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }
}
