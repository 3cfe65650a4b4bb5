package io.estuary.dvr;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.JarNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node recording MP4 is killed with SIGKILL in the middle of a publish: its NAME.mp4.tmp, written as fragmented MP4,
 * still probes as H.264 640x360 + AAC and ffmpeg decodes it with no error. Runs the packaged jar in its own process
 * (so that only it dies); needs the real mp4.FragmentedMp4Writer.
 */
class DvrKillIT {

  @TempDir
  Path dir;

  @Test
  void anMp4RecordingSurvivesSigkill() throws Exception {
    Path html = dir.resolve("html");
    try (JarNode node = JarNode.alone(dir, "dvr", ports -> """
        vhost __defaultVhost__ {
            dvr { enabled on; dvr_path %s/[app]/[stream].mp4; dvr_plan session; }
        }
        """.formatted(html))) {
      Await.until(Duration.ofSeconds(30), () -> node.apiUnchecked("/api/v1/versions") != null,
          () -> "the node answers: " + node.readLogUnchecked());
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmpUrl("crash"));
      try {
        // Well into the recording: 6 s of the stream (its own clock, from the API) are in.
        Await.until(Duration.ofSeconds(30), () -> videoFrames(node, "crash") >= 150,
            () -> "150 frames published: " + node.apiUnchecked("/api/v1/streams/"));
        node.kill();
        assertTrue(node.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "SIGKILL ends the node");
      } finally {
        publisher.stop();
      }
      List<Path> files = Recordings.files(html, ".mp4.tmp");
      assertEquals(1, files.size(), "the recording, never renamed: " + Recordings.files(html, ""));
      assertFalse(Recordings.files(html, ".mp4").size() > 0, "nothing closed it");
      Path file = files.get(0);
      JsonArray streams = new JsonObject(Ffmpeg.probe(file.toString(), "-show_streams")).getJsonArray("streams");
      JsonObject video = Ffmpeg.stream(streams, "video");
      assertEquals("h264", video.getString("codec_name"));
      assertEquals(640, video.getInteger("width"));
      assertEquals(360, video.getInteger("height"));
      assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
      Ffmpeg.Run decode = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i",
          file.toString(), "-f", "null", "-progress", "pipe:1", "-"));
      assertTrue(decode.waitFor(60));
      assertEquals(0, decode.exitCode(), decode.stderr());
      assertEquals("", decode.stderr().trim(), "the fragments before the kill decode with no error");
      assertTrue(decode.frames() >= 50, "at least a few seconds play: " + decode.frames() + " frames");
    }
  }

  /** The stream's video frames so far, from /api/v1/streams/, or 0. */
  private static long videoFrames(JarNode node, String stream) {
    JsonObject answer = node.apiUnchecked("/api/v1/streams/");
    if (answer == null) {
      return 0;
    }
    for (Object s : answer.getJsonArray("streams")) {
      JsonObject o = (JsonObject) s;
      if (stream.equals(o.getString("name"))) {
        return o.getLong("frames", 0L);
      }
    }
    return 0;
  }
}
