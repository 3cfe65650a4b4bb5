package io.estuary.dvr;

import io.estuary.testing.Ffmpeg;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the DVR tests check of recorded files, with real ffprobe and ffmpeg. */
final class Recordings {

  private Recordings() {
  }

  /** ffmpeg publishing {@code seconds} of the test media (H.264 640x360 + AAC, 2 s GOPs) in real time, then ending. */
  static Ffmpeg.Run publish(String url, int seconds) throws IOException {
    return Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
        "-stream_loop", "-1", "-i", Ffmpeg.media("h264-aac-640x360.flv").toString(), "-t", String.valueOf(seconds),
        "-c", "copy", "-f", "flv", url));
  }

  /** The regular files under {@code dir} whose names end with {@code suffix}, sorted. */
  static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code file} probes as H.264 640x360 + AAC lasting {@code seconds} (±1 s), and ffmpeg decodes all of it with no
   * error and about every frame (25 fps).
   */
  static void assertPlayable(Path file, double seconds) throws Exception {
    JsonObject probe = new JsonObject(Ffmpeg.probe(file.toString(), "-show_streams", "-show_format"));
    JsonArray streams = probe.getJsonArray("streams");
    JsonObject video = Ffmpeg.stream(streams, "video");
    assertEquals("h264", video.getString("codec_name"), file + ": " + probe);
    assertEquals(640, video.getInteger("width"));
    assertEquals(360, video.getInteger("height"));
    assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"), file + ": " + probe);
    double duration = Double.parseDouble(probe.getJsonObject("format").getString("duration"));
    assertTrue(Math.abs(duration - seconds) <= 1.0, file + " lasts about " + seconds + " s: " + duration);
    Ffmpeg.Run decode = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(),
        "-map", "0:v", "-map", "0:a", "-f", "null", "-progress", "pipe:1", "-"));
    assertTrue(decode.waitFor(60), "ffmpeg decodes " + file);
    assertEquals(0, decode.exitCode(), decode.stderr());
    assertEquals("", decode.stderr().trim(), file + " decodes with no error");
    assertTrue(decode.frames() >= 0.95 * Ffmpeg.FPS * duration,
        file + ": decoded " + decode.frames() + " frames of " + Ffmpeg.FPS * duration);
  }

  /** Whether the first video frame of {@code file} is a keyframe. */
  static boolean startsWithKeyframe(Path file) throws Exception {
    String frames = Ffmpeg.probe(file.toString(), "-select_streams", "v", "-read_intervals", "%+#1",
        "-show_entries", "frame=key_frame,pict_type");
    return new JsonObject(frames).getJsonArray("frames").getJsonObject(0).getInteger("key_frame") == 1;
  }
}
