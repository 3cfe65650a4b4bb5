package io.estuary.http;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HLS: playlists and segments as SRS writes them, played by real ffmpeg. */
class HlsTest {

  private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path html;

  private TestNode start() throws Exception {
    return TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", html.toString()))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("hls", new JsonObject().put("enabled", true).put("hls_fragment", 2).put("hls_window", 6)
                .put("hls_dispose", 3).put("hls_path", html.toString())))));
  }

  @Test
  void segmentsStartAtKeyframesPlayAndAreDisposed() throws Exception {
    try (TestNode node = start()) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      String playlist;
      try {
        node.awaitPublished("live/s");
        playlist = Await.value(Duration.ofSeconds(30), () -> playlist(node, "live/s.m3u8"),
            p -> p.lines().filter(l -> l.endsWith(".ts")).count() >= 3, () -> "3 segments in the playlist");
        List<String> segments = playlist.lines().filter(l -> l.endsWith(".ts")).toList();
        assertTrue(playlist.contains("#EXT-X-TARGETDURATION:") && playlist.contains("#EXT-X-MEDIA-SEQUENCE:"), playlist);
        assertTrue(total(playlist) <= 6.0 + 0.001, "never more than hls_window seconds: " + playlist);
        for (String segment : segments) {
          String frames = Ffmpeg.probe(node.http("live/" + segment), "-select_streams", "v", "-read_intervals", "%+#1",
              "-show_entries", "frame=key_frame,pict_type");
          JsonObject first = new JsonObject(frames).getJsonArray("frames").getJsonObject(0);
          assertEquals(1, first.getInteger("key_frame"), segment + " begins with a keyframe");
        }
        assertTrue(Files.exists(html.resolve("live/s.m3u8")), "the playlist is written under hls_path");
        assertTrue(Files.exists(html.resolve("live/" + segments.get(segments.size() - 1))), "and the segments");

        Ffmpeg.Run player = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
            "-i", node.http("live/s.m3u8"), "-t", "4", "-f", "null", "-"));
        assertTrue(player.waitFor(60), "ffmpeg plays the playlist");
        assertEquals(0, player.exitCode(), player.stderr());
        assertEquals("", player.stderr().trim(), "decodes with no error");
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/s");
      Await.until(Duration.ofSeconds(20), () -> files(html).isEmpty(), // hls_dispose 3 s
          () -> "hls_dispose removes every file: " + files(html));
      assertEquals(404, status(node.http("live/s.m3u8")));
    }
  }

  @Test
  void audioOnlyStreamsGetPlayableHls() throws Exception {
    try (TestNode node = start()) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("aac-only.flv"), node.rtmp("live/radio"));
      try {
        node.awaitPublished("live/radio");
        Await.value(Duration.ofSeconds(30), () -> playlist(node, "live/radio.m3u8"),
            p -> p.lines().filter(l -> l.endsWith(".ts")).count() >= 2, () -> "2 segments in the playlist");
        JsonArray streams = new JsonObject(Ffmpeg.probe(node.http("live/radio.m3u8"), "-show_streams")).getJsonArray("streams");
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
        Ffmpeg.Run player = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
            "-i", node.http("live/radio.m3u8"), "-t", "3", "-f", "null", "-"));
        assertTrue(player.waitFor(60));
        assertEquals(0, player.exitCode(), player.stderr());
      } finally {
        publisher.stop();
      }
    }
  }

  private static double total(String playlist) {
    Matcher m = EXTINF.matcher(playlist);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return response.body();
  }

  private static int status(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The playlist now, or "" while there is none. */
  private static String playlist(TestNode node, String path) {
    try {
      return status(node.http(path)) == 200 ? get(node.http(path)) : "";
    } catch (Exception e) {
      return "";
    }
  }

  /** The regular files under {@code dir}. */
  private static List<Path> files(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
