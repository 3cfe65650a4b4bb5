package io.estuary.rtmp;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.Ffmpeg7;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enhanced RTMP video from a real FFmpeg 7.1 publisher (HEVC, AV1, VP9, each with AAC): FFmpeg 7.1's ffprobe reads
 * the same codec and size over RTMP and HTTP-FLV, a late joiner starts on a keyframe after the sequence header, the
 * API names the codec and size as SRS does, and the exporter counts the stream under its codecs.
 */
class EnhancedRtmpTest {

  @ParameterizedTest
  @CsvSource({"hevc-aac-640x360.flv, hevc, HEVC", "av1-aac-640x360.flv, av1, AV1", "vp9-aac-640x360.flv, vp9, VP9"})
  void ffmpeg7PublishesAndPlaysEveryCodec(String file, String ffprobeCodec, String apiCodec) throws Exception {
    try (TestNode node = TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true))
        .put("http_api", new JsonObject().put("enabled", true))
        .put("exporter", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", "[vhost]/[app]/[stream].flv")))))) {
      Ffmpeg.Run publisher = Ffmpeg7.publish(Ffmpeg.media(file), node.rtmp("live/" + ffprobeCodec));
      try {
        node.awaitPublished("live/" + ffprobeCodec);
        // Join late: past the first keyframe (the test media has one every 2 s at 25 fps), so that the gop cache holds
        // a keyframe and the frames after it, and players start from the cache, not with the publisher.
        Await.value(Duration.ofSeconds(20), () -> firstStream(node), s -> s != null && s.getLong("frames", 0L) > 60,
            () -> "60 frames of " + file + " published");
        for (String url : new String[] {node.rtmp("live/" + ffprobeCodec), node.http("live/" + ffprobeCodec + ".flv")}) {
          JsonObject probe = new JsonObject(Ffmpeg7.probe(url, "-show_streams", "-select_streams", "v",
              "-read_intervals", "%+#1", "-show_frames"));
          JsonObject video = Ffmpeg.stream(probe.getJsonArray("streams"), "video");
          assertEquals(ffprobeCodec, video.getString("codec_name"), url);
          assertEquals(640, video.getInteger("width"), url);
          assertEquals(360, video.getInteger("height"), url);
          JsonArray frames = probe.getJsonArray("frames");
          assertEquals(1, frames.getJsonObject(0).getInteger("key_frame"), url + ": a late joiner starts on a keyframe");
        }
        JsonObject stream = firstStream(node);
        JsonObject video = stream.getJsonObject("video");
        assertEquals(apiCodec, video.getString("codec"), stream.encodePrettily());
        assertEquals(640, video.getInteger("width"), stream.encodePrettily());
        assertEquals(360, video.getInteger("height"), stream.encodePrettily());
        assertEquals("AAC", stream.getJsonObject("audio").getString("codec"), stream.encodePrettily());
        assertEquals(44100, stream.getJsonObject("audio").getInteger("sample_rate"), stream.encodePrettily());

        String metrics = get("http://127.0.0.1:" + node.exporterPort + "/metrics");
        assertTrue(metrics.contains("srs_streams_codec{type=\"video\",codec=\"" + apiCodec + "\"} 1\n"), metrics);
        assertTrue(metrics.contains("srs_streams_codec{type=\"audio\",codec=\"AAC\"} 1\n"), metrics);
      } finally {
        publisher.stop();
      }
    }
  }

  /** The first stream the API lists, or null. */
  private static JsonObject firstStream(TestNode node) {
    try {
      JsonArray streams = new JsonObject(get(node.api("/api/v1/streams/"))).getJsonArray("streams");
      return streams == null || streams.isEmpty() ? null : streams.getJsonObject(0);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
