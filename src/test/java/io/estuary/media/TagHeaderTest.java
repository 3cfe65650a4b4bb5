package io.estuary.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enhanced RTMP v2 tag headers (veovera enhanced-rtmp v2, "Enhanced Video" and "Enhanced Audio"), bytes built here from
 * the spec's bitstream tables: the first byte is IsExHeader | FrameType << 4 | PacketType for video, SoundFormat 9 << 4
 * | AudioPacketType for audio.
 */
class TagHeaderTest {

  private static ByteBuf bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return Unpooled.buffer(out.length).writeBytes(out); // not the unreleasable EMPTY_BUFFER for no bytes
  }

  private static <T> T read(Function<ByteBuf, T> parser, ByteBuf body) {
    try {
      return parser.apply(body);
    } finally {
      assertTrue(body.release());
    }
  }

  private static VideoTagHeader video(int... b) {
    return read(VideoTagHeader::parse, bytes(b));
  }

  private static AudioTagHeader audio(int... b) {
    return read(AudioTagHeader::parse, bytes(b));
  }

  @Test
  void codedFramesOfAvc1AndHvc1CarryACompositionTime() {
    // Keyframe, CodedFrames, "hvc1", SI24 80, then a NAL unit.
    VideoTagHeader hevc = video(0x91, 'h', 'v', 'c', '1', 0, 0, 80, 0, 0, 0, 2, 0x26, 1);
    assertEquals(FourCc.HVC1, hevc.codec());
    assertTrue(hevc.isKeyframe());
    assertTrue(hevc.isCodedFrames());
    assertFalse(hevc.isSequenceHeader());
    assertEquals(80, hevc.compositionTime());
    assertEquals(8, hevc.dataOffset());
    assertEquals(6, hevc.dataLength());

    VideoTagHeader avc = video(0xa1, 'a', 'v', 'c', '1', 0xff, 0xff, 0xd8, 0, 0, 0, 1, 0x41);
    assertFalse(avc.isKeyframe(), "FrameType 2: inter frame");
    assertEquals(-40, avc.compositionTime(), "SI24 is signed");
  }

  @Test
  void codedFramesOfOtherCodecsAndCodedFramesXHaveNone() {
    VideoTagHeader av1 = video(0x91, 'a', 'v', '0', '1', 0x12, 0, 0x0a);
    assertEquals(FourCc.AV01, av1.codec());
    assertEquals(0, av1.compositionTime());
    assertEquals(5, av1.dataOffset(), "the OBUs start right after the FourCC");

    VideoTagHeader x = video(0x93, 'h', 'v', 'c', '1', 0, 0, 0, 2, 0x26);
    assertTrue(x.isKeyframe());
    assertTrue(x.isCodedFrames());
    assertEquals(0, x.compositionTime(), "CodedFramesX: implied 0");
    assertEquals(5, x.dataOffset());

    VideoTagHeader vp9 = video(0xa1, 'v', 'p', '0', '9', 0x86);
    assertEquals(FourCc.VP09, vp9.codec());
    assertFalse(vp9.isKeyframe());
  }

  @Test
  void sequenceStartEndMetadataAndMpeg2tsStart() {
    VideoTagHeader start = video(0x90, 'v', 'p', '0', '9', 1, 0, 0, 0);
    assertTrue(start.isSequenceHeader());
    assertTrue(start.isKeyframe(), "as the legacy AVC sequence header");
    assertFalse(start.isCodedFrames());

    VideoTagHeader end = video(0x92, 'a', 'v', '0', '1');
    assertFalse(end.isSequenceHeader());
    assertFalse(end.isKeyframe(), "a sequence end is no place to start decoding");
    assertFalse(end.isCodedFrames());

    // FFmpeg 7.1 sends colorInfo metadata with FrameType 5: with PacketType Metadata it is no command.
    VideoTagHeader metadata = video(0xd4, 'h', 'v', 'c', '1', 2, 0, 9, 'c', 'o', 'l', 'o', 'r', 'I', 'n', 'f', 'o');
    assertEquals(VideoTagHeader.PACKET_METADATA, metadata.packetType());
    assertEquals(FourCc.HVC1, metadata.codec());
    assertFalse(metadata.isKeyframe());
    assertFalse(metadata.isSequenceHeader());
    assertFalse(metadata.isCodedFrames(), "not a frame");

    assertTrue(video(0x95, 'a', 'v', '0', '1', 0x80, 4, 0x81, 0, 0, 0).isSequenceHeader());
  }

  @Test
  void modExModifiersAreSkippedToTheRealPacketType() {
    // ModEx: size UI8 + 1 = 3, TimestampOffsetNano 0x0186a0, then ModExType 0 << 4 | CodedFrames.
    VideoTagHeader oneModEx = video(0x97, 2, 0x01, 0x86, 0xa0, 0x01, 'a', 'v', 'c', '1', 0, 0, 40, 9);
    assertEquals(VideoTagHeader.PACKET_CODED_FRAMES, oneModEx.packetType());
    assertEquals(FourCc.AVC1, oneModEx.codec());
    assertTrue(oneModEx.isKeyframe());
    assertEquals(40, oneModEx.compositionTime());
    assertEquals(13, oneModEx.dataOffset());

    // Two in a row, the second with the UI16 size escape (UI8 255 -> UI16 + 1 = 257 bytes).
    int[] body = new int[1 + 1 + 1 + 1 + 1 + 2 + 257 + 1 + 5];
    int i = 0;
    body[i++] = 0x97;
    body[i++] = 0; // size 1
    body[i++] = 0x55;
    body[i++] = 0x07; // ModExType 0, next: ModEx again
    body[i++] = 255;
    body[i++] = 0x01;
    body[i++] = 0x00; // UI16 256 + 1 = 257
    i += 257;
    body[i++] = 0x00; // next: SequenceStart
    body[i++] = 'a';
    body[i++] = 'v';
    body[i++] = '0';
    body[i++] = '1';
    body[i] = 0x81;
    VideoTagHeader twoModEx = video(body);
    assertTrue(twoModEx.isSequenceHeader());
    assertEquals(FourCc.AV01, twoModEx.codec());
    assertEquals(1, twoModEx.dataLength());

    assertThrows(MediaFormatException.class, () -> video(0x97, 9, 1, 2));
  }

  @Test
  void multitrackIsReadUpToItsFirstTrack() {
    // Multitrack, OneTrack | CodedFrames, "hvc1", track 3, SI24 0.
    VideoTagHeader one = video(0x96, 0x01, 'h', 'v', 'c', '1', 3, 0, 0, 0, 0x26);
    assertEquals(VideoTagHeader.MULTITRACK_ONE_TRACK, one.multitrackType());
    assertEquals(VideoTagHeader.PACKET_CODED_FRAMES, one.packetType());
    assertEquals(FourCc.HVC1, one.codec());
    assertEquals(3, one.track());
    assertTrue(one.isKeyframe());
    assertFalse(one.hasMoreTracks());

    // ManyTracksManyCodecs | SequenceStart: per track FourCC, TrackId, UI24 size.
    VideoTagHeader many = video(0x96, 0x20, 'a', 'v', '0', '1', 0, 0, 0, 2, 0x81, 0,
        'v', 'p', '0', '9', 1, 0, 0, 1, 1);
    assertTrue(many.isSequenceHeader(), "not misread as a FourCC starting with the multitrack byte");
    assertEquals(FourCc.AV01, many.codec());
    assertEquals(0, many.track());
    assertEquals(2, many.dataLength());
    assertTrue(many.hasMoreTracks());

    assertThrows(MediaFormatException.class, () -> video(0x96, 0x16, 'a', 'v', 'c', '1'), "Multitrack in Multitrack");
    assertThrows(MediaFormatException.class, () -> video(0x96, 0x11, 'a', 'v', 'c', '1', 0, 0, 0, 9),
        "a track longer than the body");
  }

  @Test
  void commandFramesCarryNoFourCc() {
    VideoTagHeader command = video(0xd0, 0);
    assertEquals(VideoTagHeader.PACKET_COMMAND, command.packetType());
    assertEquals(FourCc.NONE, command.codec());
    assertFalse(command.isKeyframe());
    assertFalse(command.isSequenceHeader());
    assertFalse(command.isCodedFrames());
  }

  @Test
  void legacyHeadersMapToThePacketTypes() {
    VideoTagHeader hevc = video(0x1c, 1, 0, 0, 40, 0, 0, 0, 2);
    assertEquals(FourCc.HVC1, hevc.codec());
    assertEquals(VideoTagHeader.PACKET_CODED_FRAMES, hevc.packetType());
    assertEquals(40, hevc.compositionTime());
    assertEquals(5, hevc.dataOffset());
    assertTrue(video(0x17, 0, 0, 0, 0, 1).isSequenceHeader());
    assertEquals(VideoTagHeader.PACKET_SEQUENCE_END, video(0x17, 2, 0, 0, 0).packetType());
    VideoTagHeader vp6 = video(0x14, 0, 9);
    assertTrue(vp6.isKeyframe(), "other legacy codecs: coded frames with their frame type");
    assertEquals(FourCc.NONE, vp6.codec());
  }

  @Test
  void badBodiesFailClearlyAndClassifyAsUnknown() {
    assertEquals("video tag truncated: 1 more bytes needed at byte 0, 0 left",
        assertThrows(MediaFormatException.class, () -> video()).getMessage());
    assertThrows(MediaFormatException.class, () -> video(0x91, 'h', 'v', 'c', '1', 0), "truncated SI24");
    assertEquals("video tag: reserved packet type 9",
        assertThrows(MediaFormatException.class, () -> video(0x99, 'a', 'v', 'c', '1')).getMessage());
    ByteBuf reserved = bytes(0x99, 'a', 'v', 'c', '1');
    assertSame(VideoTagHeader.UNKNOWN, VideoTagHeader.classify(reserved));
    assertFalse(FlvTags.isKeyframe(reserved));
    reserved.release();
  }

  @Test
  void enhancedAudio() {
    AudioTagHeader opus = audio(0x90, 'O', 'p', 'u', 's', 'O', 'p', 'u', 's', 'H', 'e', 'a', 'd');
    assertEquals(FourCc.OPUS, opus.codec());
    assertTrue(opus.isSequenceHeader());
    assertEquals(5, opus.dataOffset());
    assertEquals(-1, opus.legacyFlags());

    for (String codec : new String[] {"mp4a", "Opus", "fLaC", "ac-3", "ec-3", ".mp3"}) {
      AudioTagHeader frame = audio(0x91, codec.charAt(0), codec.charAt(1), codec.charAt(2), codec.charAt(3), 7);
      assertEquals(FourCc.of(codec), frame.codec(), codec);
      assertTrue(frame.isCodedFrames(), codec);
      assertFalse(frame.isSequenceHeader(), codec);
    }
    assertEquals(AudioTagHeader.PACKET_SEQUENCE_END, audio(0x92, 'f', 'L', 'a', 'C').packetType());
    AudioTagHeader multichannel = audio(0x94, 'O', 'p', 'u', 's', 1, 2, 0, 0, 0, 3);
    assertEquals(AudioTagHeader.PACKET_MULTICHANNEL_CONFIG, multichannel.packetType());
    assertFalse(multichannel.isSequenceHeader());
    assertFalse(multichannel.isCodedFrames());

    // ModEx (size 3) then CodedFrames; Multitrack ManyTracks | SequenceStart, "mp4a", track 1, UI24 2.
    AudioTagHeader modEx = audio(0x97, 2, 0, 0, 1, 0x01, 'a', 'c', '-', '3', 0x0b, 0x77);
    assertEquals(FourCc.AC3, modEx.codec());
    assertEquals(10, modEx.dataOffset());
    AudioTagHeader multitrack = audio(0x95, 0x10, 'm', 'p', '4', 'a', 1, 0, 0, 2, 0x12, 0x10, 2, 0, 0, 0);
    assertTrue(multitrack.isSequenceHeader());
    assertEquals(FourCc.MP4A, multitrack.codec());
    assertEquals(1, multitrack.track());
    assertEquals(2, multitrack.dataLength());

    assertThrows(MediaFormatException.class, () -> audio(0x93, 'O', 'p', 'u', 's'), "3 is reserved");
    assertThrows(MediaFormatException.class, () -> audio(0x90, 'O', 'p'));
  }

  @Test
  void legacyAudio() {
    AudioTagHeader aac = audio(0xaf, 0, 0x12, 0x10);
    assertTrue(aac.isSequenceHeader());
    assertEquals(FourCc.MP4A, aac.codec());
    assertEquals(2, aac.dataOffset());
    AudioTagHeader mp3 = audio(0x2e, 0xff, 0xfb);
    assertEquals(FourCc.MP3, mp3.codec());
    assertTrue(mp3.isCodedFrames());
    assertEquals(0x0e, mp3.legacyFlags(), "44 kHz, 16 bits, mono");
    assertEquals(1, mp3.dataOffset());
  }
}
