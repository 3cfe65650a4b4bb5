package io.estuary.http;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.Await;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP-FLV from the HTTP server: real ffmpeg publishes over RTMP, real ffprobe/ffmpeg play over HTTP. */
class HttpFlvTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/test-www"))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", new JsonArray()
                .add("[vhost]/[app]/[stream].flv").add("[vhost]/[app]/[stream].ts").add("[vhost]/[app]/[stream].aac"))))));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void ffprobeAndThreePlayersDecodeTheStream() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
    try {
      node.awaitPublished("live/s");
      JsonArray streams = new JsonObject(Ffmpeg.probe(node.http("live/s.flv"), "-show_streams")).getJsonArray("streams");
      assertEquals(2, streams.size(), streams.encode());
      JsonObject video = Ffmpeg.stream(streams, "video");
      JsonObject audio = Ffmpeg.stream(streams, "audio");
      assertEquals("h264", video.getString("codec_name"));
      assertEquals(640, video.getInteger("width"));
      assertEquals(360, video.getInteger("height"));
      assertEquals("aac", audio.getString("codec_name"));
      assertEquals("44100", audio.getString("sample_rate"));

      double seconds = 8;
      List<Ffmpeg.Run> players = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        players.add(Ffmpeg.play(node.http("live/s.flv"), seconds));
      }
      Ffmpeg.assertDecoded(players, seconds);
    } finally {
      publisher.stop();
    }
  }

  @Test
  void tsAndAacMountsDecode() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/remux"));
    try {
      node.awaitFrames("live/remux", 1); // headers and a first frame are in
      JsonArray ts = new JsonObject(Ffmpeg.probe(node.http("live/remux.ts"), "-show_streams")).getJsonArray("streams");
      assertEquals("h264", Ffmpeg.stream(ts, "video").getString("codec_name"));
      assertEquals(640, Ffmpeg.stream(ts, "video").getInteger("width"));
      assertEquals("aac", Ffmpeg.stream(ts, "audio").getString("codec_name"));
      JsonArray aac = new JsonObject(Ffmpeg.probe(node.http("live/remux.aac"), "-show_streams")).getJsonArray("streams");
      assertEquals("aac", Ffmpeg.stream(aac, "audio").getString("codec_name"));
      assertEquals(2, Ffmpeg.stream(aac, "audio").getInteger("channels"));

      // Two TS players at once share one remuxer, and both decode.
      Ffmpeg.Run first = Ffmpeg.play(node.http("live/remux.ts"), 4);
      Ffmpeg.Run second = Ffmpeg.play(node.http("live/remux.ts"), 4);
      Ffmpeg.assertDecoded(List.of(first, second), 4);
    } finally {
      publisher.stop();
    }
  }

  @Test
  void anAudioOnlyStreamsFlvHeaderAnnouncesAudioOnly() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("aac-only.flv"), node.rtmp("live/radio"));
    try {
      Await.until(Duration.ofSeconds(20), () -> {
        var source = node.node.hub().get(new io.estuary.stream.StreamKey(io.estuary.stream.StreamKey.DEFAULT_VHOST,
            "live", "radio"));
        return source != null && source.audio() != null;
      }, () -> "the AAC sequence header of live/radio");
      HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(node.http("live/radio.flv"))).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      byte[] header;
      try (java.io.InputStream body = response.body()) {
        header = body.readNBytes(5);
      }
      assertEquals("FLV", new String(header, 0, 3, java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals(0x04, header[4], "guess_has_av (on by default): audio only, so players do not wait for video");
      JsonArray streams = new JsonObject(Ffmpeg.probe(node.http("live/radio.flv"), "-show_streams"))
          .getJsonArray("streams");
      assertEquals(1, streams.size(), streams.encode());
      assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
    } finally {
      publisher.stop();
    }
  }

  @Test
  void anUnpublishedStreamIs404() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(node.http("live/nobody.flv"))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, response.statusCode());
    assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "crossdomain on");
  }
}
