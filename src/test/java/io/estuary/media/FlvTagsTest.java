package io.estuary.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Classifying tag bodies from their first bytes: legacy FLV (FLV spec E.4.2, E.4.3) and Enhanced RTMP. */
class FlvTagsTest {

  private static ByteBuf bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return Unpooled.wrappedBuffer(out);
  }

  @Test
  void fourCcPacksFourCharacters() {
    assertEquals(0x61766331, FourCc.AVC1);
    assertEquals("hvc1", FourCc.toString(FourCc.HVC1));
    assertEquals(".mp3", FourCc.toString(FourCc.MP3));
    assertEquals("none", FourCc.toString(FourCc.NONE));
  }

  @Test
  void legacyAvc() {
    ByteBuf sequenceHeader = bytes(0x17, 0, 0, 0, 0, 1, 0x64);
    assertEquals(FourCc.AVC1, FlvTags.videoFourCc(sequenceHeader));
    assertTrue(FlvTags.isKeyframe(sequenceHeader));
    assertTrue(FlvTags.isVideoSequenceHeader(sequenceHeader));
    assertFalse(FlvTags.isVideoExHeader(sequenceHeader));

    ByteBuf interFrame = bytes(0x27, 1, 0, 0, 0x28, 0, 0, 0, 1, 0x41);
    assertEquals(FourCc.AVC1, FlvTags.videoFourCc(interFrame));
    assertFalse(FlvTags.isKeyframe(interFrame));
    assertFalse(FlvTags.isVideoSequenceHeader(interFrame));
  }

  @Test
  void legacyHevcIsCodecIdTwelve() {
    ByteBuf keyframe = bytes(0x1c, 1, 0, 0, 0);
    assertEquals(FourCc.HVC1, FlvTags.videoFourCc(keyframe));
    assertTrue(FlvTags.isKeyframe(keyframe));
    assertFalse(FlvTags.isVideoSequenceHeader(keyframe));
  }

  @Test
  void enhancedVideoHeader() {
    // IsExHeader 0x80 | FrameType 1 (key) << 4 | PacketType 0 (SequenceStart), FourCC "hvc1", then the record.
    ByteBuf sequenceStart = bytes(0x90, 'h', 'v', 'c', '1', 1, 2, 3);
    assertTrue(FlvTags.isVideoExHeader(sequenceStart));
    assertEquals(FourCc.HVC1, FlvTags.videoFourCc(sequenceStart));
    assertTrue(FlvTags.isKeyframe(sequenceStart));
    assertTrue(FlvTags.isVideoSequenceHeader(sequenceStart));

    ByteBuf codedFramesX = bytes(0x93, 'a', 'v', '0', '1', 0x12, 0);
    assertEquals(FourCc.AV01, FlvTags.videoFourCc(codedFramesX));
    assertTrue(FlvTags.isKeyframe(codedFramesX));
    assertFalse(FlvTags.isVideoSequenceHeader(codedFramesX));

    ByteBuf interFrame = bytes(0xa1, 'v', 'p', '0', '9', 0, 0, 0, 5);
    assertEquals(FourCc.VP09, FlvTags.videoFourCc(interFrame));
    assertFalse(FlvTags.isKeyframe(interFrame), "FrameType 2: inter frame");

    ByteBuf sequenceEnd = bytes(0x92, 'a', 'v', 'c', '1');
    assertFalse(FlvTags.isVideoSequenceHeader(sequenceEnd));

    ByteBuf mpeg2tsSequenceStart = bytes(0x95, 'a', 'v', '0', '1', 0x80);
    assertTrue(FlvTags.isVideoSequenceHeader(mpeg2tsSequenceStart));

    assertEquals(FourCc.NONE, FlvTags.videoFourCc(bytes(0x91, 'a', 'v')), "truncated FourCC");
  }

  @Test
  void audio() {
    ByteBuf aacSequenceHeader = bytes(0xaf, 0, 0x12, 0x10);
    assertEquals(FourCc.MP4A, FlvTags.audioFourCc(aacSequenceHeader));
    assertTrue(FlvTags.isAudioSequenceHeader(aacSequenceHeader));
    ByteBuf aacRaw = bytes(0xaf, 1, 0x21);
    assertFalse(FlvTags.isAudioSequenceHeader(aacRaw));
    assertEquals(FourCc.MP3, FlvTags.audioFourCc(bytes(0x2f, 0xff, 0xfb)));
    assertEquals(FourCc.NONE, FlvTags.audioFourCc(bytes(0x7f, 1)), "G.711 A-law: no FourCC here");

    // SoundFormat 9 (ExHeader) | AudioPacketType 0 (SequenceStart), FourCC "Opus".
    ByteBuf opusStart = bytes(0x90, 'O', 'p', 'u', 's', 'O', 'p', 'u', 's');
    assertEquals(FourCc.OPUS, FlvTags.audioFourCc(opusStart));
    assertTrue(FlvTags.isAudioSequenceHeader(opusStart));
    assertFalse(FlvTags.isAudioSequenceHeader(bytes(0x91, 'O', 'p', 'u', 's', 1)));
  }

  @Test
  void emptyBodies() {
    assertEquals(FourCc.NONE, FlvTags.fourCc(FlvTags.TAG_VIDEO, Unpooled.EMPTY_BUFFER));
    assertEquals(FourCc.NONE, FlvTags.fourCc(FlvTags.TAG_AUDIO, Unpooled.EMPTY_BUFFER));
    assertEquals(FourCc.NONE, FlvTags.fourCc(FlvTags.TAG_SCRIPT, bytes(2, 0, 10)));
  }
}
