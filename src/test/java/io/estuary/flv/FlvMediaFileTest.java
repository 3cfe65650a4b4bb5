package io.estuary.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.FlvTags;
import io.estuary.testing.Ffmpeg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the test media ({@link io.estuary.testing.MediaFiles}: what its recipes make, measured with ffprobe). */
class FlvMediaFileTest {

  private static final String FILE = "h264-aac-640x360.flv";

  /** What a tag was, kept after it is released. */
  record Summary(int type, long timestamp, int size, long crc, boolean keyframe, boolean sequenceHeader,
                 boolean endOfSequence) {
    static Summary of(FlvTag tag) {
      CRC32 crc = new CRC32();
      crc.update(tag.body().nioBuffer());
      return new Summary(tag.type(), tag.timestamp(), tag.body().readableBytes(), crc.getValue(),
          tag.isVideo() && FlvTags.isKeyframe(tag.body()),
          tag.isVideo() ? FlvTags.isVideoSequenceHeader(tag.body())
              : tag.isAudio() && FlvTags.isAudioSequenceHeader(tag.body()),
          tag.isVideo() && isAvcEndOfSequence(tag.body()));
    }

    /** AVCPacketType 2 (FLV spec E.4.3.1), which FFmpeg writes after the last frame. */
    private static boolean isAvcEndOfSequence(ByteBuf body) {
      return FlvTags.videoCodecId(body) == FlvTags.VIDEO_CODEC_AVC && body.readableBytes() >= 2
          && body.getByte(body.readerIndex() + 1) == 2;
    }

    /** A coded frame: an audio or video tag other than a sequence header. */
    boolean frame() {
      return type != FlvTags.TAG_SCRIPT && !sequenceHeader && !endOfSequence;
    }
  }

  private static List<Summary> summarizeAndRelease(List<FlvTag> tags) {
    List<Summary> summaries = new ArrayList<>();
    for (FlvTag tag : tags) {
      summaries.add(Summary.of(tag));
      tag.release();
    }
    return summaries;
  }

  private static List<Summary> readFile(Path path) throws IOException {
    return summarizeAndRelease(FlvReader.readFile(path));
  }

  @Test
  void readsTheWholeFileAsTheReadmeDescribesIt() throws IOException {
    Path path = Ffmpeg.media(FILE);
    List<FlvTag> tags = FlvReader.readFile(path);
    FlvTag script = tags.get(0);
    assertTrue(script.isScript());
    Map<String, Object> metadata = ScriptData.decode(script.body()).metadata();
    List<Summary> all = summarizeAndRelease(tags);

    assertEquals(640.0, metadata.get("width"));
    assertEquals(360.0, metadata.get("height"));
    List<Summary> video = all.stream().filter(s -> s.type() == FlvTags.TAG_VIDEO && s.frame()).toList();
    List<Summary> audio = all.stream().filter(s -> s.type() == FlvTags.TAG_AUDIO && s.frame()).toList();
    assertEquals(500, video.size(), "video frames");
    assertEquals(10, video.stream().filter(Summary::keyframe).count(), "keyframes");
    assertEquals(0, video.get(0).timestamp(), "first video DTS");
    assertTrue(video.get(0).keyframe());
    assertEquals(57, audio.get(0).timestamp(), 1, "first audio timestamp");
    assertEquals(1, all.stream().filter(s -> s.type() == FlvTags.TAG_VIDEO && s.sequenceHeader()).count());
    assertEquals(1, all.stream().filter(s -> s.type() == FlvTags.TAG_AUDIO && s.sequenceHeader()).count());
    assertEquals(1, all.stream().filter(Summary::endOfSequence).count());
    // Keyframes every 50 frames, 2 s apart at 25 fps.
    for (int i = 0; i < video.size(); i++) {
      assertEquals(i % 50 == 0, video.get(i).keyframe(), "frame " + i);
      assertEquals(i * 40L, video.get(i).timestamp(), "DTS of frame " + i);
    }
    // Every byte of the file is accounted for: header, tags, trailers.
    long framed = 13 + all.stream().mapToLong(s -> 11 + s.size() + 4).sum();
    assertEquals(Files.size(path), framed);
  }

  @Test
  void otherMediaFilesMatchTheReadme() throws IOException {
    try (FlvFile file = FlvFile.open(Ffmpeg.media("h264-only.flv"))) {
      assertEquals(new FlvHeader(1, false, true), file.header());
      List<Summary> all = new ArrayList<>();
      while (file.hasNext()) {
        all.add(summarizeAndRelease(List.of(file.next())).get(0));
      }
      assertFalse(file.truncated());
      assertEquals(250, all.stream().filter(s -> s.type() == FlvTags.TAG_VIDEO && s.frame()).count());
      assertEquals(5, all.stream().filter(s -> s.frame() && s.keyframe()).count());
      assertEquals(0, all.stream().filter(s -> s.type() == FlvTags.TAG_AUDIO).count());
    }
    try (FlvFile file = FlvFile.open(Ffmpeg.media("aac-only.flv"))) {
      assertEquals(new FlvHeader(1, true, false), file.header());
      int frames = 0;
      while (file.hasNext()) {
        FlvTag tag = file.next();
        if (tag.isAudio() && !FlvTags.isAudioSequenceHeader(tag.body())) {
          frames++;
        }
        tag.release();
      }
      assertEquals(432, frames, "AAC frames");
    }
  }

  @Test
  void randomSizedPiecesGiveTheSameTags() throws IOException {
    Path path = Ffmpeg.media(FILE);
    List<Summary> expected = readFile(path);
    ByteBuf input = Unpooled.wrappedBuffer(Files.readAllBytes(path));
    Random random = new Random(20240611);
    EmbeddedChannel channel = new EmbeddedChannel(new FlvDecoder());
    List<Summary> decoded = new ArrayList<>();
    int pieces = 0;
    for (int at = 0; at < input.readableBytes(); pieces++) {
      // Mostly small pieces, some single bytes, some larger than a keyframe.
      int n = switch (random.nextInt(4)) {
        case 0 -> 1 + random.nextInt(3);
        case 1, 2 -> 1 + random.nextInt(4096);
        default -> 1 + random.nextInt(65536);
      };
      n = Math.min(n, input.readableBytes() - at);
      channel.writeInbound(input.retainedSlice(at, n));
      at += n;
      for (FlvTag tag = channel.readInbound(); tag != null; tag = channel.readInbound()) {
        decoded.add(summarizeAndRelease(List.of(tag)).get(0));
      }
    }
    assertFalse(channel.finish());
    assertTrue(pieces > 100, "the file went in many pieces: " + pieces);
    assertEquals(expected, decoded);
    assertEquals(1, input.refCnt(), "references to the input left");
    assertTrue(input.release());
  }

  @Test
  void truncatedFileYieldsOnlyItsWholeTags(@TempDir Path dir) throws IOException {
    Path path = Ffmpeg.media(FILE);
    List<Summary> expected = readFile(path);
    byte[] bytes = Files.readAllBytes(path);
    int cut = 700_001; // inside a tag
    Path truncated = dir.resolve("truncated.flv");
    Files.write(truncated, Arrays.copyOf(bytes, cut));

    List<Summary> prefix = new ArrayList<>();
    try (FlvFile file = FlvFile.open(truncated)) {
      while (file.hasNext()) {
        prefix.add(summarizeAndRelease(List.of(file.next())).get(0));
      }
      assertTrue(file.truncated());
    }
    long prefixBytes = 13 + prefix.stream().mapToLong(s -> 11 + s.size() + 4).sum();
    assertTrue(prefixBytes <= cut && cut - prefixBytes < 11 + expected.get(prefix.size()).size() + 4,
        "every whole tag before the cut was read");
    assertEquals(expected.subList(0, prefix.size()), prefix);
  }

  @Test
  void streamCutShortWaitsAndResumesWhenTheRestArrives() throws IOException {
    Path path = Ffmpeg.media(FILE);
    List<Summary> expected = readFile(path);
    ByteBuf input = Unpooled.wrappedBuffer(Files.readAllBytes(path));
    int cut = 700_001;
    EmbeddedChannel channel = new EmbeddedChannel(new FlvDecoder());
    channel.writeInbound(input.retainedSlice(0, cut)); // no exception: the rest may yet come
    List<Summary> decoded = new ArrayList<>();
    for (FlvTag tag = channel.readInbound(); tag != null; tag = channel.readInbound()) {
      decoded.add(summarizeAndRelease(List.of(tag)).get(0));
    }
    assertTrue(decoded.size() > 100 && decoded.size() < expected.size());
    assertEquals(expected.subList(0, decoded.size()), decoded);
    channel.writeInbound(input.retainedSlice(cut, input.readableBytes() - cut));
    for (FlvTag tag = channel.readInbound(); tag != null; tag = channel.readInbound()) {
      decoded.add(summarizeAndRelease(List.of(tag)).get(0));
    }
    assertFalse(channel.finish());
    assertEquals(expected, decoded);
    assertEquals(1, input.refCnt());
    assertTrue(input.release());
  }
}
