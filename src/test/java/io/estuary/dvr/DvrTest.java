package io.estuary.dvr;

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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DVR end to end: ffmpeg publishes 10 s of H.264 + AAC; the recordings are probed and decoded by real ffprobe/ffmpeg;
 * on_dvr reaches a hook service; the API shows the recording. The .mp4 tests need the real mp4.FragmentedMp4Writer.
 */
class DvrTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private TestNode start(DvrHooks hooks, JsonObject dvr) throws Exception {
    return TestNode.start(new JsonObject()
        .put("http_api", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("dvr", dvr.put("enabled", true))
            .put("http_hooks", new JsonObject().put("enabled", true).put("on_dvr", hooks.url())))));
  }

  @Test
  void sessionFlvRecordsThePublishAsOnePlayableFile() throws Exception {
    session(".flv");
  }

  /** Needs the real mp4.FragmentedMp4Writer (the hub-mp4 branch). */
  @Test
  void sessionMp4RecordsThePublishAsOnePlayableFile() throws Exception {
    session(".mp4");
  }

  private void session(String extension) throws Exception {
    try (DvrHooks hooks = new DvrHooks();
         TestNode node = start(hooks, new JsonObject().put("dvr_path", dir + "/[app]/[stream].[timestamp]" + extension))) {
      Ffmpeg.Run publisher = Recordings.publish(node.rtmp("live/rec"), 10);
      try {
        node.awaitPublished("live/rec");
        // While recording: NAME.tmp, and the API says so.
        Path tmp = Await.value(Duration.ofSeconds(15), () -> Recordings.files(dir, extension + ".tmp"),
            l -> !l.isEmpty(), () -> "a " + extension + ".tmp file while recording").get(0);
        assertEquals(List.of(), Recordings.files(dir, extension), "not renamed while recording");
        JsonObject dvr = Await.value(Duration.ofSeconds(15), () -> streamDvr(node, "rec"),
            d -> d != null && d.getString("file") != null, () -> "the API shows the recording");
        assertEquals(true, dvr.getBoolean("recording"));
        assertEquals("session", dvr.getString("plan"));
        assertEquals(extension.substring(1), dvr.getString("container"));
        assertEquals(tmp.toString(), dvr.getString("file") + ".tmp");
        assertTrue(publisher.waitFor(60), "the publisher sends 10 s and ends");
        assertEquals(0, publisher.exitCode(), publisher.stderr());
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/rec");
      List<JsonObject> onDvr = Await.value(Duration.ofSeconds(15), hooks::onDvr, l -> !l.isEmpty(), () -> "on_dvr");
      List<Path> files = Recordings.files(dir, extension);
      assertEquals(1, files.size(), "one file per session: " + files);
      assertEquals(List.of(), Recordings.files(dir, ".tmp"), "renamed when closed");
      assertTrue(files.get(0).getFileName().toString().matches("rec\\.\\d{13}\\" + extension), files.toString());
      JsonObject event = onDvr.get(0);
      assertEquals(files.get(0).toString(), event.getString("file"));
      assertEquals(Path.of("").toAbsolutePath().toString(), event.getString("cwd"));
      for (String field : List.of("server_id", "service_id", "client_id", "ip", "vhost", "app", "tcUrl", "stream",
          "param", "stream_url", "stream_id")) {
        assertTrue(event.containsKey(field), "SRS's on_dvr field " + field + ": " + event);
      }
      assertEquals("live", event.getString("app"));
      assertEquals("rec", event.getString("stream"));
      assertEquals("/live/rec", event.getString("stream_url"));
      assertTrue(event.getString("tcUrl").contains("/live"), event.toString());
      Recordings.assertPlayable(files.get(0), 10);
      assertEquals(1, hooks.onDvr().size(), "on_dvr once per file");
    }
  }

  @Test
  void segmentPlanCutsAFileAtTheFirstKeyframeAfterDvrDuration() throws Exception {
    try (DvrHooks hooks = new DvrHooks();
         TestNode node = start(hooks, new JsonObject().put("dvr_path", dir + "/[app]/[stream].[timestamp].flv")
             .put("dvr_plan", "segment").put("dvr_duration", 4))) {
      Ffmpeg.Run publisher = Recordings.publish(node.rtmp("live/seg"), 10);
      try {
        node.awaitPublished("live/seg");
        // The first segment is closed and reported while the publish goes on.
        Await.until(Duration.ofSeconds(20), () -> hooks.onDvr().size() >= 1, () -> "the first segment's on_dvr");
        Await.until(Duration.ofSeconds(10), () -> Recordings.files(dir, ".flv.tmp").size() == 1,
            () -> "the next segment is being written (opened on the disk thread after the first is closed): "
                + Recordings.files(dir, ".flv.tmp"));
        assertTrue(publisher.waitFor(60), "the publisher sends 10 s and ends");
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/seg");
      Await.until(Duration.ofSeconds(15), () -> Recordings.files(dir, ".tmp").isEmpty(), () -> "every file closed");
      List<Path> files = Recordings.files(dir, ".flv");
      assertTrue(files.size() >= 2, "10 s in segments of 4 s: " + files);
      Set<String> reported = Await.value(Duration.ofSeconds(15),
          () -> hooks.onDvr().stream().map(e -> e.getString("file")).collect(Collectors.toSet()),
          s -> s.size() >= files.size(), () -> "on_dvr for every file");
      assertEquals(files.stream().map(Path::toString).collect(Collectors.toSet()), reported, "on_dvr per file, its path");
      assertEquals(files.size(), hooks.onDvr().size(), "once per file");
      double total = 0;
      for (Path file : files) {
        assertTrue(Recordings.startsWithKeyframe(file), file + " starts with a keyframe");
        JsonObject format = new JsonObject(Ffmpeg.probe(file.toString(), "-show_format")).getJsonObject("format");
        double duration = Double.parseDouble(format.getString("duration"));
        assertTrue(duration <= 4 + 2 + 0.5, file + " is cut at the first keyframe after 4 s (2 s GOPs): " + duration);
        total += duration;
      }
      assertTrue(Math.abs(total - 10) <= 1.5, "the segments hold the 10 s: " + total);
    }
  }

  @Test
  void dvrApplyRecordsOnlyTheStreamsItNames() throws Exception {
    try (DvrHooks hooks = new DvrHooks();
         TestNode node = start(hooks, new JsonObject().put("dvr_path", dir + "/[app]/[stream].flv")
             .put("dvr_apply", "live/wanted"))) {
      Ffmpeg.Run other = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/other"));
      Ffmpeg.Run wanted = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/wanted"));
      try {
        node.awaitPublished("live/other");
        node.awaitPublished("live/wanted");
        Await.until(Duration.ofSeconds(15), () -> Files.exists(dir.resolve("live/wanted.flv.tmp")),
            () -> "live/wanted is recorded");
        node.awaitFrames("live/other", 50);
        assertEquals(null, streamDvr(node, "other"), "live/other is not recorded");
        assertEquals(List.of(dir.resolve("live/wanted.flv.tmp")), Recordings.files(dir, ""));
      } finally {
        other.stop();
        wanted.stop();
      }
    }
  }

  /** The "dvr" object of live/{@code stream} in /api/v1/streams/, or null. */
  static JsonObject streamDvr(TestNode node, String stream) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.api("/api/v1/streams/"))).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonArray streams = new JsonObject(response.body()).getJsonArray("streams");
      for (int i = 0; i < streams.size(); i++) {
        JsonObject s = streams.getJsonObject(i);
        if (stream.equals(s.getString("name"))) {
          return s.getJsonObject("dvr");
        }
      }
      return null;
    } catch (Exception e) {
      return null;
    }
  }
}
