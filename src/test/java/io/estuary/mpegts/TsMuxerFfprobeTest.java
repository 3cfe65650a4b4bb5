package io.estuary.mpegts;

import io.estuary.testing.FlvBodies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvReader;
import io.estuary.flv.FlvTag;
import io.estuary.media.FlvTags;
import io.estuary.testing.Ffmpeg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    // Pooled: each tag is a separately counted slice the paranoid leak detector tracks.
    try (OutputStream file = Files.newOutputStream(ts);
         FlvFile tags = FlvFile.open(Ffmpeg.media(flv), PooledByteBufAllocator.DEFAULT,
             FlvReader.DEFAULT_MAX_TAG_SIZE)) {
      boolean psiWritten = false;
      while (tags.hasNext()) {
        FlvTag tag = tags.next();
        if (tag.timestamp() >= untilMs) {
          tag.release();
          break;
        }
        ByteBuf body = tag.body();
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

  /**
   * HEVC: libx265 writes Annex B with an AUD per access unit; the test turns it into FLV bodies (codec id 12) with
   * an hvcC sequence header and the in-band VPS/SPS/PPS removed, so the muxer's own insertion must carry them.
   */
  @Test
  void hevcVideo() throws Exception {
    Path raw = dir.resolve("in.hevc");
    Ffmpeg.Run encode = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "2", "-c:v", "libx265",
        "-x265-params", "log-level=error:aud=1:bframes=0:keyint=25:min-keyint=25:scenecut=0", "-f", "hevc",
        raw.toString()));
    assertTrue(encode.waitFor(60), "ffmpeg finished");
    assertEquals(0, encode.exitCode(), encode.stderr());
    List<List<byte[]>> accessUnits = new ArrayList<>();
    List<byte[]> parameterSets = new ArrayList<>(List.of(new byte[0], new byte[0], new byte[0]));
    for (byte[] nal : annexB(Files.readAllBytes(raw))) {
      int type = nal[0] >> 1 & 0x3f;
      if (type == 35) {
        accessUnits.add(new ArrayList<>());
      } else if (type >= 32 && type <= 34) {
        parameterSets.set(type - 32, nal);
      } else {
        accessUnits.get(accessUnits.size() - 1).add(nal);
      }
    }
    assertEquals(50, accessUnits.size());

    TsMuxer muxer = new TsMuxer();
    muxer.tracks(true, false);
    Path ts = dir.resolve("hevc.ts");
    ByteBuf out = Unpooled.directBuffer();
    try (OutputStream file = Files.newOutputStream(ts)) {
      ByteBuf header = Unpooled.wrappedBuffer(hevcSequenceHeader(parameterSets));
      muxer.writeVideo(header, 0, out);
      assertTrue(header.release());
      assertEquals(1, muxer.hevcConfig().profile());
      muxer.writePsi(out);
      assertEquals(0x24, out.getUnsignedByte(188 + 17), "PMT stream_type: HEVC");
      long dts = 0;
      for (List<byte[]> au : accessUnits) {
        boolean keyframe = au.stream().anyMatch(nal -> (nal[0] >> 1 & 0x3f) >= 16 && (nal[0] >> 1 & 0x3f) <= 23);
        ByteBuf body = Unpooled.wrappedBuffer(FlvBodies.video(keyframe, 0, au.toArray(new byte[0][])));
        body.setByte(0, (keyframe ? 0x10 : 0x20) | 12);
        if (keyframe && dts > 0) {
          muxer.writePsi(out);
        }
        muxer.writeVideo(body, dts, out);
        assertTrue(body.release());
        dts += 40;
      }
      out.readBytes(file, out.readableBytes());
    } finally {
      assertTrue(out.release());
    }
    JsonObject probe = probe(ts);
    JsonObject video = stream(probe, "video");
    assertEquals("hevc", video.getString("codec_name"));
    assertEquals(320, video.getInteger("width"));
    assertEquals(240, video.getInteger("height"));
    List<JsonObject> frames = frames(probe, "video");
    assertEquals(50, frames.size());
    assertEquals(1, frames.get(0).getInteger("key_frame"));
    assertEquals(2, frames.stream().filter(f -> f.getInteger("key_frame") == 1).count());
    assertIncreasing(frames, "video");
  }

  /** NAL units between Annex B start codes, trailing zero bytes dropped. */
  private static List<byte[]> annexB(byte[] d) {
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i + 2 < d.length; i++) {
      if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
        starts.add(i + 3);
        i += 2;
      }
    }
    List<byte[]> nals = new ArrayList<>();
    for (int n = 0; n < starts.size(); n++) {
      int from = starts.get(n);
      int to = n + 1 < starts.size() ? starts.get(n + 1) - 3 : d.length;
      while (to > from && d[to - 1] == 0) {
        to--;
      }
      nals.add(java.util.Arrays.copyOfRange(d, from, to));
    }
    return nals;
  }

  /** An FLV HEVC sequence header: the 5-byte tag header and an hvcC with one VPS, SPS and PPS array. */
  private static byte[] hevcSequenceHeader(List<byte[]> vpsSpsPps) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {0x1c, 0, 0, 0, 0});
    b.writeBytes(FlvBodies.hex("01 01 60000000 000000000000 5d f000 fc fd f8 f8 0000 0f 03"));
    for (int t = 0; t < 3; t++) {
      byte[] nal = vpsSpsPps.get(t);
      b.write(0x80 | 32 + t);
      b.write(0);
      b.write(1);
      b.write(nal.length >> 8);
      b.write(nal.length);
      b.writeBytes(nal);
    }
    return b.toByteArray();
  }
}
