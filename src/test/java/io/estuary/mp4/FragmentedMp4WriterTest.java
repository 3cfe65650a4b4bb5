package io.estuary.mp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.FlvTags;
import io.estuary.mp4.FragmentedMp4FfprobeTest.Tag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer's boxes read back: when the init segment comes, where fragments are cut, and the index players seek by. */
class FragmentedMp4WriterTest {

  /** A top-level box: its type and where it starts in the file. */
  record Box(String type, int offset, int size) {
  }

  private static List<Box> boxes(ByteBuf file, int from, int to) {
    List<Box> boxes = new ArrayList<>();
    for (int i = from; i < to; ) {
      int size = file.getInt(i);
      assertTrue(size >= 8 && i + size <= to, "box at " + i + " of " + size + " bytes within " + to);
      boxes.add(new Box(file.toString(i + 4, 4, StandardCharsets.US_ASCII), i, size));
      i += size;
    }
    return boxes;
  }

  /** The first box of {@code type} inside the box {@code parent} (a plain box, its children after the header). */
  private static Box child(ByteBuf file, Box parent, String type) {
    return boxes(file, parent.offset() + 8, parent.offset() + parent.size()).stream()
        .filter(b -> b.type().equals(type)).findFirst().orElseThrow(() -> new AssertionError("no " + type));
  }

  private static ByteBuf writeAll(FragmentedMp4Writer writer, List<Tag> tags) {
    ByteBuf file = Unpooled.buffer();
    for (Tag tag : tags) {
      writer.write(tag.type(), tag.dts(), Unpooled.wrappedBuffer(tag.body()), file);
    }
    writer.finish(file);
    return file;
  }

  @Test
  void theIndexListsEachFragmentsKeyframeAndItsMoof() throws Exception {
    List<Tag> tags = FragmentedMp4FfprobeTest.flvTags("h264-aac-640x360.flv");
    FragmentedMp4Writer writer = new FragmentedMp4Writer(true, true);
    ByteBuf file = writeAll(writer, tags);
    List<Box> top = boxes(file, 0, file.writerIndex());
    assertEquals("ftyp", top.get(0).type());
    assertEquals("moov", top.get(1).type());
    Box mfra = top.get(top.size() - 1);
    assertEquals("mfra", mfra.type());
    List<Box> moofs = top.stream().filter(b -> b.type().equals("moof")).toList();
    assertEquals(10, moofs.size(), "20 s in 2 s GOPs: a fragment per GOP");
    assertEquals(moofs.size(), top.stream().filter(b -> b.type().equals("mdat")).count());

    // mfro, the file's last 16 bytes, says the mfra's size: a player finds the index from the end
    assertEquals(mfra.size(), file.getInt(file.writerIndex() - 4));
    Box tfra = child(file, mfra, "tfra");
    int at = tfra.offset() + 12;
    assertEquals(1, file.getInt(at), "the video track's index first");
    int entries = file.getInt(at + 8);
    assertEquals(moofs.size(), entries, "every fragment starts with a keyframe");
    int entry = at + 12;
    for (int i = 0; i < entries; i++, entry += 19) {
      long time = file.getLong(entry);
      long moof = file.getLong(entry + 8);
      assertEquals(moofs.get(i).offset(), moof, "entry " + i + " points at its moof");
      // keyframes every 2 s, presented 80 ms after they are decoded (B-frames), in 90 kHz
      assertEquals(i * 2 * 90000L + 80 * 90, time, "entry " + i);
    }
    assertEquals(20_000, writer.durationMs(), 100);
  }

  @Test
  void theInitSegmentWaitsForEveryAnnouncedTrack() throws Exception {
    List<Tag> tags = FragmentedMp4FfprobeTest.flvTags("h264-aac-640x360.flv");
    FragmentedMp4Writer writer = new FragmentedMp4Writer(true, true);
    ByteBuf out = Unpooled.buffer();
    Tag videoHeader = tags.stream().filter(t -> t.type() == FlvTags.TAG_VIDEO).findFirst().orElseThrow();
    Tag audioHeader = tags.stream().filter(t -> t.type() == FlvTags.TAG_AUDIO).findFirst().orElseThrow();
    writer.write(videoHeader.type(), 0, Unpooled.wrappedBuffer(videoHeader.body()), out);
    assertEquals(0, out.readableBytes(), "no init segment before the audio configuration");
    writer.write(FlvTags.TAG_SCRIPT, 0, Unpooled.wrappedBuffer(new byte[] {2, 0, 0}), out);
    assertEquals(0, out.readableBytes(), "script data is ignored");
    writer.write(audioHeader.type(), 0, Unpooled.wrappedBuffer(audioHeader.body()), out);
    List<Box> init = boxes(out, 0, out.writerIndex());
    assertEquals(List.of("ftyp", "moov"), init.stream().map(Box::type).toList());
    Box moov = init.get(1);
    Box mvex = child(out, moov, "mvex");
    assertEquals(2, boxes(out, mvex.offset() + 8, mvex.offset() + mvex.size()).size(), "a trex per track");
  }

  @Test
  void aFileWithoutItsConfigurationsIsEmptyAndAFinishedOneTakesNoMore() {
    FragmentedMp4Writer writer = new FragmentedMp4Writer(false, true);
    ByteBuf out = Unpooled.buffer();
    writer.write(FlvTags.TAG_AUDIO, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1, 0x21, 0x10}), out);
    writer.finish(out);
    assertEquals(0, out.readableBytes(), "raw AAC without its AudioSpecificConfig cannot be written");
    assertEquals(0, writer.durationMs());
    assertThrows(IllegalStateException.class,
        () -> writer.write(FlvTags.TAG_AUDIO, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xaf, 1}), out));
    assertThrows(IllegalArgumentException.class, () -> new FragmentedMp4Writer(false, false));
  }

  @Test
  void unsupportedCodecsAreNamed() {
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, body(0x17, 0x01, 0, 0, 0)), "AVC");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, enhanced(0x91, "hvc1")), "HEVC");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, enhanced(0x93, "av01")), "AV1");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, enhanced(0x93, "vp09")), "VP9");
    assertEquals("vp08", FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, enhanced(0x93, "vp08")));
    assertEquals("FLV video codec 2", FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, body(0x22, 0)),
        "Sorenson H.263");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_VIDEO, body(0x57, 0x00)), "a command frame");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, body(0xaf, 0x01)), "AAC");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, body(0x2f, 0xff)), "MP3");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, enhanced(0x91, "Opus")), "Opus");
    assertEquals("fLaC", FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, enhanced(0x91, "fLaC")));
    assertEquals("ac-3", FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, enhanced(0x91, "ac-3")));
    assertEquals("FLV sound format 11", FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, body(0xb2, 0)),
        "Speex");
    assertNull(FragmentedMp4Writer.unsupportedCodec(FlvTags.TAG_AUDIO, body()), "an empty body: write says");
  }

  private static ByteBuf body(int... bytes) {
    ByteBuf b = Unpooled.buffer(bytes.length);
    for (int x : bytes) {
      b.writeByte(x);
    }
    return b;
  }

  private static ByteBuf enhanced(int first, String fourCc) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(first);
    b.writeCharSequence(fourCc, StandardCharsets.US_ASCII);
    b.writeByte(0);
    return b;
  }
}
