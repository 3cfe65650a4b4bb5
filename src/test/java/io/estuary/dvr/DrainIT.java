package io.estuary.dvr;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.JarNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM in the middle of a publish, on the packaged jar: the node drains and exits 0. The publisher is the node's own
 * ingest child (ffmpeg), recorded to HLS and to MP4; after the exit the playlist lists its last segment and that
 * segment probes, the recording was closed and renamed and decodes, on_dvr was told of it, the pid file is gone and the
 * child was stopped without a restart.
 */
class DrainIT {

  @TempDir
  Path dir;

  @Test
  void sigtermFinishesHlsAndDvrTellsOnDvrAndExitsZero() throws Exception {
    Path html = dir.resolve("html");
    Path media = Ffmpeg.media("h264-aac-640x360.flv");
    try (DvrHooks hooks = new DvrHooks();
         JarNode node = JarNode.alone(dir, "drain", ports -> """
             vhost __defaultVhost__ {
                 ingest cam {
                     enabled on;
                     input { type file; url %s; }
                     ffmpeg ffmpeg;
                     engine { enabled off; output rtmp://127.0.0.1:[port]/live?vhost=[vhost]/cam; }
                 }
                 hls { enabled on; hls_path %s; hls_fragment 2; }
                 dvr { enabled on; dvr_path %s/[app]/[stream].mp4; dvr_plan session; }
                 http_hooks { enabled on; on_dvr %s; }
             }
             """.formatted(media, html, html, hooks.url()))) {
      Path playlist = html.resolve("live/cam.m3u8");
      Await.until(Duration.ofSeconds(30), () -> segments(playlist).size() >= 2,
          () -> "two HLS segments written: " + node.readLogUnchecked());
      assertEquals(1, Recordings.files(html, ".mp4.tmp").size(), "recording: " + Recordings.files(html, ""));

      node.process().destroy(); // SIGTERM
      assertTrue(node.process().waitFor(30, TimeUnit.SECONDS), "the node exits: " + node.readLog());
      String log = node.readLog();
      assertEquals(0, node.process().exitValue(), log);
      assertTrue(log.contains("quit: drained"), log);
      assertTrue(log.contains("ingest cam: pid") && log.contains("stopped (exit code"), "the child was stopped: " + log);
      assertFalse(log.contains("restarting"), "no child is restarted on the way out: " + log);
      assertFalse(Files.exists(dir.resolve("drain.pid")), "the pid file is removed");

      // HLS: the last segment on disk is the playlist's last entry, and it probes.
      List<String> listed = segments(playlist);
      List<Path> written = Recordings.files(html, ".ts");
      assertFalse(written.isEmpty());
      Path last = written.stream().max((a, b) -> Long.compare(sequence(a), sequence(b))).orElseThrow();
      assertEquals(last.getFileName().toString(), Path.of(listed.get(listed.size() - 1)).getFileName().toString(),
          "the last segment is listed: " + Files.readString(playlist));
      JsonObject video = Ffmpeg.stream(new JsonObject(Ffmpeg.probe(last.toString(), "-show_streams"))
          .getJsonArray("streams"), "video");
      assertEquals("h264", video.getString("codec_name"));

      // DVR: closed, renamed, playable, told to on_dvr.
      assertEquals(List.of(), Recordings.files(html, ".tmp"), "nothing left half-written");
      List<Path> recorded = Recordings.files(html, ".mp4");
      assertEquals(1, recorded.size(), Recordings.files(html, "").toString());
      Path file = recorded.get(0);
      double seconds = Double.parseDouble(new JsonObject(Ffmpeg.probe(file.toString(), "-show_format"))
          .getJsonObject("format").getString("duration"));
      Recordings.assertPlayable(file, seconds);
      assertTrue(Math.abs(seconds - duration(playlist)) <= 2.5,
          "HLS carries the publish up to its end, as the recording does: " + seconds + " s recorded, playlist "
              + Files.readString(playlist));
      Await.until(Duration.ofSeconds(5), () -> !hooks.onDvr().isEmpty(), () -> "on_dvr: " + hooks.received);
      assertTrue(hooks.onDvr().get(0).getString("file").endsWith(file.getFileName().toString()),
          hooks.onDvr().toString());
    }
  }

  /**
   * {@code force_grace_quit on} makes SIGTERM a graceful quit, which keeps serving {@code grace_start_wait} ms first (a
   * minute here); a second SIGTERM meanwhile exits at once, still 0, and removes the pid file.
   */
  @Test
  void aSecondSigtermDuringAGracefulQuitExitsAtOnce() throws Exception {
    try (JarNode node = JarNode.alone(dir, "grace", ports -> "force_grace_quit on;\ngrace_start_wait 60000;\n")) {
      Await.until(Duration.ofSeconds(30), () -> node.apiUnchecked("/api/v1/versions") != null,
          () -> "the node answers: " + node.readLogUnchecked());
      assertTrue(Files.exists(dir.resolve("grace.pid")));
      node.process().destroy(); // SIGTERM
      node.awaitLog("graceful quit (force_grace_quit on): closing the listeners in 60000 ms", Duration.ofSeconds(10));
      assertTrue(node.apiUnchecked("/api/v1/versions") != null, "still serving during grace_start_wait");
      node.process().destroy(); // SIGTERM again
      assertTrue(node.process().waitFor(10, TimeUnit.SECONDS), "the second SIGTERM exits: " + node.readLog());
      assertEquals(0, node.process().exitValue(), node.readLog());
      assertTrue(node.readLog().contains("SIGTERM again: exiting now"), node.readLog());
      assertFalse(Files.exists(dir.resolve("grace.pid")), "the pid file is removed");
    }
  }

  /** The segment URIs of the playlist on disk, in order; none while it is not there. */
  private static List<String> segments(Path playlist) {
    List<String> uris = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(playlist)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          uris.add(line.trim());
        }
      }
    } catch (java.io.IOException e) {
      return List.of();
    }
    return uris;
  }

  /** The sum of the playlist's #EXTINF durations. */
  private static double duration(Path playlist) throws java.io.IOException {
    double total = 0;
    for (String line : Files.readAllLines(playlist)) {
      if (line.startsWith("#EXTINF:")) {
        total += Double.parseDouble(line.substring("#EXTINF:".length()).split(",")[0]);
      }
    }
    return total;
  }

  /** The [seq] of a segment named STREAM-SEQ.ts. */
  private static long sequence(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.length() - ".ts".length()));
  }
}
