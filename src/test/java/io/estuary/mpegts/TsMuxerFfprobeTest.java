package io.estuary.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.FlvTags;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.FlvFile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ffprobe decodes what the muxer writes from the test media: the bar is what players see. */
class TsMuxerFfprobeTest {

  @TempDir
  Path dir;

  /**
   * Muxes the tags of {@code flv} with a timestamp below {@code untilMs} into a .ts file, as an HLS segmenter
   * would: PSI first and again before each video keyframe.
   */
  private Path mux(String flv, long untilMs, boolean hasVideo, boolean hasAudio) throws IOException {
    TsMuxer muxer = new TsMuxer();
    muxer.tracks(hasVideo, hasAudio);
    Path ts = dir.resolve(flv.replace(".flv", ".ts"));
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
    try (OutputStream file = Files.newOutputStream(ts)) {
      boolean psiWritten = false;
      for (FlvFile.Tag tag : FlvFile.read(Ffmpeg.media(flv))) {
        if (tag.timestamp() >= untilMs) {
          break;
        }
        ByteBuf body = Unpooled.directBuffer(tag.body().length).writeBytes(tag.body());
        try {
          if (tag.type() == FlvTags.TAG_VIDEO) {
            if (muxer.ready() && (!psiWritten || FlvTags.isKeyframe(body) && !FlvTags.isVideoSequenceHeader(body))) {
              muxer.writePsi(out);
              psiWritten = true;
            }
            muxer.writeVideo(body, tag.timestamp(), out);
          } else if (tag.type() == FlvTags.TAG_AUDIO) {
            if (muxer.ready() && !psiWritten) {
              muxer.writePsi(out);
              psiWritten = true;
            }
            muxer.writeAudio(body, tag.timestamp(), out);
          }
        } finally {
          assertTrue(body.release());
        }
        assertEquals(0, out.readableBytes() % 188);
        out.readBytes(file, out.readableBytes());
        out.clear();
      }
    } finally {
      assertTrue(out.release());
    }
    return ts;
  }

  private static JsonObject probe(Path ts) throws Exception {
    Ffmpeg.Run run = Ffmpeg.start(List.of("ffprobe", "-v", "error", "-show_streams", "-show_frames", "-of", "json",
        ts.toString()));
    assertTrue(run.waitFor(60), "ffprobe finished");
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stderr(), "ffprobe reports no errors");
    return new JsonObject(run.stdout());
  }

  private static JsonObject stream(JsonObject probe, String type) {
    for (Object s : probe.getJsonArray("streams")) {
      JsonObject stream = (JsonObject) s;
      if (type.equals(stream.getString("codec_type"))) {
        return stream;
      }
    }
    throw new AssertionError("no " + type + " stream in " + probe.getJsonArray("streams"));
  }

  private static List<JsonObject> frames(JsonObject probe, String type) {
    JsonArray frames = probe.getJsonArray("frames");
    return frames.stream().map(JsonObject.class::cast).filter(f -> type.equals(f.getString("media_type"))).toList();
  }

  private static void assertIncreasing(List<JsonObject> frames, String what) {
    long last = Long.MIN_VALUE;
    for (JsonObject frame : frames) {
      long pts = frame.getLong("pts");
      assertTrue(pts > last, what + " pts " + pts + " after " + last);
      last = pts;
    }
  }

  private static void assertAac(JsonObject probe) {
    JsonObject audio = stream(probe, "audio");
    assertEquals("aac", audio.getString("codec_name"));
    assertEquals("LC", audio.getString("profile"));
    assertEquals("44100", audio.getString("sample_rate"));
    assertEquals(2, audio.getInteger("channels"));
  }

  private static void assertH264(JsonObject probe) {
    JsonObject video = stream(probe, "video");
    assertEquals("h264", video.getString("codec_name"));
    assertEquals("Main", video.getString("profile"));
    assertEquals(640, video.getInteger("width"));
    assertEquals(360, video.getInteger("height"));
  }

  @Test
  void videoAndAudio() throws Exception {
    JsonObject probe = probe(mux("h264-aac-640x360.flv", 6000, true, true));
    assertH264(probe);
    assertAac(probe);
    List<JsonObject> video = frames(probe, "video");
    // 6 s at 25 fps: 150 frames
    assertTrue(Math.abs(video.size() - 150) <= 7, video.size() + " video frames");
    assertEquals(1, video.get(0).getInteger("key_frame"), "the first video frame is a keyframe");
    assertEquals(3, video.stream().filter(f -> f.getInteger("key_frame") == 1).count(), "a keyframe every 2 s");
    assertIncreasing(video, "video");
    List<JsonObject> audio = frames(probe, "audio");
    // 6 s of 1024-sample frames at 44.1 kHz: about 258
    assertTrue(Math.abs(audio.size() - 258) <= 13, audio.size() + " audio frames");
    assertIncreasing(audio, "audio");
  }

  @Test
  void audioOnly() throws Exception {
    JsonObject probe = probe(mux("aac-only.flv", Long.MAX_VALUE, false, true));
    assertEquals(1, probe.getJsonArray("streams").size());
    assertAac(probe);
    List<JsonObject> audio = frames(probe, "audio");
    assertTrue(Math.abs(audio.size() - 432) <= 22, audio.size() + " audio frames");
    assertIncreasing(audio, "audio");
  }

  @Test
  void videoOnly() throws Exception {
    JsonObject probe = probe(mux("h264-only.flv", Long.MAX_VALUE, true, false));
    assertEquals(1, probe.getJsonArray("streams").size());
    assertH264(probe);
    List<JsonObject> video = frames(probe, "video");
    assertTrue(Math.abs(video.size() - 250) <= 12, video.size() + " video frames");
    assertEquals(1, video.get(0).getInteger("key_frame"));
    assertIncreasing(video, "video");
  }
}
