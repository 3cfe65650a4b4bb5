package io.estuary.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.Ffmpeg7;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HLS and HTTP-TS of Enhanced RTMP publishes from FFmpeg 7.1: HEVC goes into MPEG-TS; a codec TS cannot carry (AV1)
 * is left out, said once, and the audio still plays.
 */
class HlsCodecsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path html;

  private TestNode start() throws Exception {
    return TestNode.start(new JsonObject()
        .put("http_api", new JsonObject().put("enabled", true))
        .put("http_server", new JsonObject().put("enabled", true).put("dir", html.toString()))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("hls", new JsonObject().put("enabled", true).put("hls_fragment", 2).put("hls_window", 10)
                .put("hls_path", html.toString()))
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", new JsonArray()
                .add("[vhost]/[app]/[stream].flv").add("[vhost]/[app]/[stream].ts"))))));
  }

  @Test
  void hevcGoesToHlsAndHttpTs() throws Exception {
    try (TestNode node = start(); LogCapture log = LogCapture.of("io.estuary")) {
      Ffmpeg.Run publisher = Ffmpeg7.publish(Ffmpeg.media("hevc-aac-640x360.flv"), node.rtmp("live/hevc"));
      try {
        node.awaitPublished("live/hevc");
        List<String> segments = segments(node, "live/hevc.m3u8", 3);

        JsonArray streams = new JsonObject(Ffmpeg.probe(node.http("live/hevc.m3u8"), "-show_streams"))
            .getJsonArray("streams");
        JsonObject video = Ffmpeg.stream(streams, "video");
        assertEquals("hevc", video.getString("codec_name"));
        assertEquals(640, video.getInteger("width"));
        assertEquals(360, video.getInteger("height"));
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
        for (String segment : segments) {
          String frames = Ffmpeg.probe(node.http("live/" + segment), "-select_streams", "v", "-read_intervals", "%+#1",
              "-show_entries", "frame=key_frame");
          JsonObject first = new JsonObject(frames).getJsonArray("frames").getJsonObject(0);
          assertEquals(1, first.getInteger("key_frame"), segment + " begins with a keyframe");
        }
        Ffmpeg.Run player = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
            "-i", node.http("live/hevc.m3u8"), "-t", "4", "-f", "null", "-"));
        assertTrue(player.waitFor(60), "ffmpeg plays the playlist");
        assertEquals(0, player.exitCode(), player.stderr());
        assertEquals("", player.stderr().trim(), "decodes with no error");

        JsonArray ts = new JsonObject(Ffmpeg7.probe(node.http("live/hevc.ts"), "-show_streams")).getJsonArray("streams");
        assertEquals("hevc", Ffmpeg.stream(ts, "video").getString("codec_name"));
        assertEquals(640, Ffmpeg.stream(ts, "video").getInteger("width"));
        assertEquals("aac", Ffmpeg.stream(ts, "audio").getString("codec_name"));

        assertEquals(new JsonObject().put("video", true).put("audio", true), hls(node, "hevc"));
        assertEquals(List.of(), log.lines().stream().filter(l -> l.contains("hevc") && l.startsWith("WARNING")).toList(),
            "no warning about the stream");
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void av1IsSkippedOnceAndTheAudioPlays() throws Exception {
    try (TestNode node = start(); LogCapture hlsLog = LogCapture.of("io.estuary.hls");
         LogCapture httpLog = LogCapture.of("io.estuary.http")) {
      Ffmpeg.Run publisher = Ffmpeg7.publish(Ffmpeg.media("av1-aac-640x360.flv"), node.rtmp("live/av1"));
      try {
        node.awaitPublished("live/av1");
        segments(node, "live/av1.m3u8", 2); // some seconds of AV1 frames have gone by
        JsonArray streams = new JsonObject(Ffmpeg.probe(node.http("live/av1.m3u8"), "-show_streams"))
            .getJsonArray("streams");
        assertEquals(1, streams.size(), "audio only: " + streams.encode());
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
        Ffmpeg.Run player = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
            "-i", node.http("live/av1.m3u8"), "-t", "3", "-f", "null", "-"));
        assertTrue(player.waitFor(60), "ffmpeg plays the playlist");
        assertEquals(0, player.exitCode(), player.stderr());

        List<String> skipped = hlsLog.lines().stream().filter(l -> l.contains("av01")).toList();
        assertEquals(1, skipped.size(), "one line for the stream, not one per frame: " + hlsLog.lines());
        assertTrue(skipped.get(0).contains("live/av1"), skipped.get(0));
        assertFalse(hlsLog.lines().stream().anyMatch(l -> l.contains("frame dropped")), hlsLog.lines().toString());
        assertEquals(new JsonObject().put("video", false).put("audio", true)
            .put("skipped", new JsonObject().put("video", "av01")), hls(node, "av1"));

        JsonArray ts = new JsonObject(Ffmpeg7.probe(node.http("live/av1.ts"), "-show_streams")).getJsonArray("streams");
        assertEquals(1, ts.size(), "HTTP-TS: audio only too: " + ts.encode());
        assertEquals("aac", Ffmpeg.stream(ts, "audio").getString("codec_name"));
        assertEquals(1, httpLog.lines().stream().filter(l -> l.contains("av01")).count(), httpLog.lines().toString());
      } finally {
        publisher.stop();
      }
    }
  }

  /** The segment names once the playlist lists at least {@code count}. */
  private static List<String> segments(TestNode node, String playlist, int count) throws InterruptedException {
    String m3u8 = Await.value(Duration.ofSeconds(40), () -> get(node.http(playlist)),
        p -> p.lines().filter(l -> l.endsWith(".ts")).count() >= count, () -> count + " segments in " + playlist);
    return m3u8.lines().filter(l -> l.endsWith(".ts")).toList();
  }

  /** The {@code "hls"} of live/{@code stream} in the API's stream list. */
  private static JsonObject hls(TestNode node, String stream) {
    JsonArray streams = new JsonObject(get(node.api("/api/v1/streams/"))).getJsonArray("streams");
    for (int i = 0; i < streams.size(); i++) {
      if (stream.equals(streams.getJsonObject(i).getString("name"))) {
        return streams.getJsonObject(i).getJsonObject("hls");
      }
    }
    throw new AssertionError("no stream " + stream + " in " + streams.encode());
  }

  /** The body of a 200 answer, or "" for anything else. */
  private static String get(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (Exception e) {
      return "";
    }
  }
}
