package io.estuary.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvReader;
import io.estuary.flv.FlvTag;
import io.estuary.media.AudioTagHeader;
import io.estuary.media.FlvTags;
import io.estuary.media.MediaFormatException;
import io.estuary.media.VideoTagHeader;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.Ffmpeg7;
import io.estuary.testing.OggOpus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What players make of the MP4 files the writer makes from the test media: FFmpeg's ffprobe and ffmpeg (Debian's for
 * H.264, AAC and MP3, 7.1 for HEVC, AV1, VP9 and Opus) find the codecs, the size and the duration, decode every frame without
 * an error, seek, and read a file cut after a fragment (a recording that crashed) as well.
 */
class FragmentedMp4FfprobeTest {

  /** The files are left in target/ for a look with other players. */
  private static final Path DIR = Path.of("target", "mp4-writer");

  /** A tag to feed: type, DTS, body. */
  record Tag(int type, long dts, byte[] body) {
  }

  /** A written file, a copy of it cut after its third fragment, and what went in. */
  record Written(Path file, Path cut, long videoFrames, long audioFrames, long durationMs, int malformed) {
  }

  /** FFmpeg's programs: Debian's or 7.1. */
  record Tools(String ffmpeg, String ffprobe) {
    static final Tools DEBIAN = new Tools("ffmpeg", "ffprobe");

    static Tools seven() {
      return new Tools(Ffmpeg7.ffmpeg(), Ffmpeg7.ffprobe());
    }

    JsonObject probe(Path file, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(ffprobe, "-v", "error", "-of", "json"));
      command.addAll(List.of(args));
      command.add(file.toString());
      Ffmpeg.Run run = run(command);
      return new JsonObject(run.stdout());
    }

    /** ffmpeg decoding all of {@code file}: its stderr, which must be empty. */
    void decodesCleanly(Path file) throws Exception {
      run(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-"));
    }

    private static Ffmpeg.Run run(List<String> command) throws Exception {
      Ffmpeg.Run run = Ffmpeg.start(command);
      if (!run.waitFor(120)) {
        run.stop();
        throw new AssertionError(command + " did not finish: " + run.stderr());
      }
      assertEquals(0, run.exitCode(), command + ": " + run.stderr());
      assertEquals("", run.stderr().strip(), command + " reported errors");
      return run;
    }
  }

  /** The tags of an FLV test file, read with the production reader. */
  static List<Tag> flvTags(String media) throws IOException {
    List<Tag> tags = new ArrayList<>();
    try (FlvFile file = FlvFile.open(Ffmpeg.media(media), PooledByteBufAllocator.DEFAULT,
        FlvReader.DEFAULT_MAX_TAG_SIZE)) {
      while (file.hasNext()) {
        FlvTag tag = file.next();
        try {
          byte[] body = new byte[tag.body().readableBytes()];
          tag.body().getBytes(tag.body().readerIndex(), body);
          tags.add(new Tag(tag.type(), tag.timestamp(), body));
        } finally {
          assertTrue(tag.release());
        }
      }
    }
    return tags;
  }

  /** Enhanced RTMP Opus tags around FFmpeg's Ogg Opus packets: the OpusHead as SequenceStart, 20 ms packets. */
  static List<Tag> opusTags() throws IOException {
    OggOpus opus = OggOpus.read(Ffmpeg.media("opus-48k.ogg"));
    List<Tag> tags = new ArrayList<>();
    tags.add(new Tag(FlvTags.TAG_AUDIO, 0, opusBody(AudioTagHeader.PACKET_SEQUENCE_START, opus.head())));
    for (int i = 0; i < opus.packets().size(); i++) {
      tags.add(new Tag(FlvTags.TAG_AUDIO, i * 20L, opusBody(AudioTagHeader.PACKET_CODED_FRAMES, opus.packets().get(i))));
    }
    return tags;
  }

  private static byte[] opusBody(int packetType, byte[] data) {
    ByteBuf b = Unpooled.buffer(5 + data.length);
    b.writeByte(FlvTags.AUDIO_FORMAT_EX_HEADER << 4 | packetType);
    b.writeBytes(new byte[] {'O', 'p', 'u', 's'});
    b.writeBytes(data);
    return b.array();
  }

  /** Writes {@code tags} to {@code name} in target/, and a copy cut after the third fragment. */
  static Written write(String name, List<Tag> tags, boolean hasVideo, boolean hasAudio) throws IOException {
    Files.createDirectories(DIR);
    Path file = DIR.resolve(name);
    FragmentedMp4Writer writer = new FragmentedMp4Writer(hasVideo, hasAudio);
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
    List<Long> ends = new ArrayList<>(); // the file's size after each write that appended something
    long videoFrames = 0;
    long audioFrames = 0;
    long size = 0;
    int malformed = 0;
    try (OutputStream stream = Files.newOutputStream(file)) {
      for (Tag tag : tags) {
        ByteBuf body = PooledByteBufAllocator.DEFAULT.directBuffer(tag.body().length).writeBytes(tag.body());
        try {
          writer.write(tag.type(), tag.dts(), body, out);
          // counted once the writer took the body: a malformed one is no frame
          if (tag.type() == FlvTags.TAG_VIDEO && VideoTagHeader.parse(body).isCodedFrames()) {
            videoFrames++;
          } else if (tag.type() == FlvTags.TAG_AUDIO && AudioTagHeader.parse(body).isCodedFrames()) {
            audioFrames++;
          }
        } catch (MediaFormatException e) {
          assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
          assertEquals(0, out.readableBytes(), "nothing appended for a malformed body: " + e.getMessage());
          malformed++;
        } finally {
          assertTrue(body.release(), "the writer does not keep the body");
        }
        if (out.isReadable()) {
          size += out.readableBytes();
          ends.add(size);
          out.readBytes(stream, out.readableBytes());
          out.clear();
        }
      }
      writer.finish(out);
      out.readBytes(stream, out.readableBytes());
    } finally {
      assertTrue(out.release());
    }
    assertTrue(ends.size() > 4, "an init segment and fragments: " + ends);
    Path cut = DIR.resolve("cut-" + name);
    byte[] all = Files.readAllBytes(file);
    Files.write(cut, java.util.Arrays.copyOf(all, (int) (long) ends.get(3))); // init + 3 fragments
    return new Written(file, cut, videoFrames, audioFrames, writer.durationMs(), malformed);
  }

  /** Codec, size, duration, every frame decoded, seeking to 5 s, and the cut file: what a user of a recording sees. */
  private static void assertPlays(Tools tools, Written mp4, String videoCodec, String audioCodec, double seconds)
      throws Exception {
    JsonObject probe = tools.probe(mp4.file(), "-show_streams", "-show_format");
    JsonArray streams = probe.getJsonArray("streams");
    assertTrue(probe.getJsonObject("format").getString("format_name").contains("mp4"), probe.encodePrettily());
    double duration = Double.parseDouble(probe.getJsonObject("format").getString("duration"));
    assertEquals(seconds, duration, 0.25, "duration: " + probe.encodePrettily());
    assertEquals(seconds * 1000, mp4.durationMs(), 250, "the writer's duration");
    if (videoCodec != null) {
      JsonObject video = Ffmpeg.stream(streams, "video");
      assertEquals(videoCodec, video.getString("codec_name"));
      assertEquals(640, video.getInteger("width"));
      assertEquals(360, video.getInteger("height"));
      JsonObject counted = tools.probe(mp4.file(), "-count_frames", "-select_streams", "v:0",
          "-show_entries", "stream=nb_read_frames");
      assertEquals(String.valueOf(mp4.videoFrames()),
          counted.getJsonArray("streams").getJsonObject(0).getString("nb_read_frames"), "every video frame decodes");

      JsonObject seek = tools.probe(mp4.file(), "-read_intervals", "5%+#1", "-select_streams", "v:0",
          "-show_entries", "frame=pts_time,key_frame");
      JsonArray frames = seek.getJsonArray("frames");
      JsonObject first = frames == null || frames.isEmpty() ? null : frames.getJsonObject(0);
      assertTrue(first != null && Double.parseDouble(first.getString("pts_time")) >= 3.9
          && Double.parseDouble(first.getString("pts_time")) <= 5.1, "seeking to 5 s lands on the keyframe at 4 s: "
          + seek.encodePrettily());
      assertEquals(1, first.getInteger("key_frame"));
    }
    if (audioCodec != null) {
      JsonObject audio = Ffmpeg.stream(streams, "audio");
      assertEquals(audioCodec, audio.getString("codec_name"));
      assertEquals(2, audio.getInteger("channels"));
      JsonObject counted = tools.probe(mp4.file(), "-count_packets", "-select_streams", "a:0",
          "-show_entries", "stream=nb_read_packets");
      assertEquals(String.valueOf(mp4.audioFrames()),
          counted.getJsonArray("streams").getJsonObject(0).getString("nb_read_packets"), "every audio frame is there");
    }
    tools.decodesCleanly(mp4.file());

    JsonObject cut = tools.probe(mp4.cut(), "-show_streams", "-show_format");
    double cutDuration = Double.parseDouble(cut.getJsonObject("format").getString("duration"));
    assertTrue(cutDuration > 0.5 && cutDuration < seconds - 1, "a file cut after a fragment still says its duration: "
        + cutDuration);
    if (videoCodec != null) {
      assertEquals(videoCodec, Ffmpeg.stream(cut.getJsonArray("streams"), "video").getString("codec_name"));
    }
    tools.decodesCleanly(mp4.cut());
  }

  @Test
  void h264AndAacPlayInDebiansFfmpeg() throws Exception {
    Written mp4 = write("h264-aac.mp4", flvTags("h264-aac-640x360.flv"), true, true);
    assertEquals(500, mp4.videoFrames());
    assertPlays(Tools.DEBIAN, mp4, "h264", "aac", 20);
  }

  @Test
  void hevcAndAacPlayInFfmpeg7() throws Exception {
    assertPlays(Tools.seven(), write("hevc-aac.mp4", flvTags("hevc-aac-640x360.flv"), true, true), "hevc", "aac", 10);
  }

  @Test
  void av1AndAacPlayInFfmpeg7() throws Exception {
    assertPlays(Tools.seven(), write("av1-aac.mp4", flvTags("av1-aac-640x360.flv"), true, true), "av1", "aac", 10);
  }

  @Test
  void vp9AndAacPlayInFfmpeg7() throws Exception {
    assertPlays(Tools.seven(), write("vp9-aac.mp4", flvTags("vp9-aac-640x360.flv"), true, true), "vp9", "aac", 10);
  }

  @Test
  void opusPlaysInFfmpeg7() throws Exception {
    assertPlays(Tools.seven(), write("opus.mp4", opusTags(), false, true), null, "opus", 10);
  }

  @Test
  void aacAloneIsCutAboutEverySecond() throws Exception {
    Written mp4 = write("aac.mp4", flvTags("aac-only.flv"), false, true);
    assertPlays(Tools.DEBIAN, mp4, null, "aac", 10);
    JsonObject cut = Tools.DEBIAN.probe(mp4.cut(), "-show_format");
    assertEquals(3, Double.parseDouble(cut.getJsonObject("format").getString("duration")), 0.2,
        "three fragments of about a second");
  }

  @Test
  void mp3PlaysInDebiansFfmpeg() throws Exception {
    assertPlays(Tools.DEBIAN, write("mp3.mp4", flvTags("mp3-44k.flv"), false, true), null, "mp3", 10);
  }

  /** A malformed body in the middle of a recording fails alone: nothing is written for it, and the file still plays. */
  @Test
  void aMalformedBodyFailsAloneAndTheFilePlays() throws Exception {
    List<Tag> tags = new ArrayList<>(flvTags("h264-aac-640x360.flv"));
    byte[] truncatedAvc = {0x27, 0x01, 0x00}; // AVC NALU packet cut inside its composition time
    byte[] reservedAac = {(byte) 0xaf, 0x07, 0x01};
    byte[] badConfig = {0x17, 0x00, 0, 0, 0, 0x01, 0x4d}; // an AVC sequence header cut in its record
    // In a real recording, after its start: each fails alone, the writer goes on.
    List<Tag> withBad = new ArrayList<>();
    for (int i = 0; i < tags.size(); i++) {
      withBad.add(tags.get(i));
      if (i == 200) {
        withBad.add(new Tag(FlvTags.TAG_VIDEO, tags.get(i).dts(), truncatedAvc));
        withBad.add(new Tag(FlvTags.TAG_AUDIO, tags.get(i).dts(), reservedAac));
        withBad.add(new Tag(FlvTags.TAG_VIDEO, tags.get(i).dts(), badConfig));
      }
    }
    Written mp4 = write("h264-aac-malformed.mp4", withBad, true, true);
    assertEquals(3, mp4.malformed(), "each malformed body failed");
    assertEquals(500, mp4.videoFrames());
    assertPlays(Tools.DEBIAN, mp4, "h264", "aac", 20);
  }
}
