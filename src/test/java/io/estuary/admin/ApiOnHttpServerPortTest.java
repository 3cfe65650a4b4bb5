package io.estuary.admin;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's {@code full.conf} puts {@code http_api} and {@code http_server} on one port: that port serves the API (with
 * the API's auth) and the streams and files (without it), as SRS does.
 */
class ApiOnHttpServerPortTest {

  static TestNode node;
  static int port;

  @BeforeAll
  static void start() throws Exception {
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
  void theApiAnswersOnTheHttpServersPort() throws Exception {
    // Several requests: each must reach the API, whichever of the node's listeners accepts the connection.
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> versions = get("/api/v1/versions", true);
      assertEquals(200, versions.statusCode(), "request " + i + ": " + versions.body());
      assertEquals(0, new JsonObject(versions.body()).getInteger("code"), versions.body());
    }
    assertEquals(401, get("/api/v1/versions", false).statusCode(), "the API's auth applies to the API");
  }

  @Test
  void filesAndStreamsNeedNoApiCredentials() throws Exception {
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> index = get("/index.html", false);
      assertEquals(200, index.statusCode(), "request " + i + ": " + index.body());
      assertTrue(index.body().contains("<h1>estuary</h1>"), index.body());
    }
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/shared"));
    try {
      node.awaitPublished("live/shared");
      JsonArray streams = new JsonObject(Ffmpeg.probe("http://127.0.0.1:" + port + "/live/shared.flv", "-show_streams"))
          .getJsonArray("streams");
      assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
      assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
    } finally {
      publisher.stop();
    }
  }

  private static HttpResponse<String> get(String path, boolean credentials) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (credentials) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8)));
    }
    // A new connection per request, so each one is accepted anew.
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
