package io.estuary.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enhanced RTMP v2 multitrack bodies (veovera enhanced-rtmp v2, ExAudioTagBody / ExVideoTagBody), built here from the
 * spec's bitstream: every track is read, and track 0 is rendered as the plain body a legacy player reads.
 */
class MultitrackTagTest {

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static ByteBuf body(int... b) {
    return Unpooled.wrappedBuffer(bytes(b));
  }

  private static byte[] data(ByteBuf body, AudioTagHeader track) {
    return ByteBufUtil.getBytes(track.data(body));
  }

  private static byte[] data(ByteBuf body, VideoTagHeader track) {
    return ByteBufUtil.getBytes(track.data(body));
  }

  private static byte[] singleTrack(ByteBuf body, AudioTagHeader track) {
    ByteBuf out = Unpooled.buffer(track.singleTrackSize());
    track.writeSingleTrack(body, out);
    assertTrue(out.writerIndex() <= track.singleTrackSize());
    return ByteBufUtil.getBytes(out);
  }

  private static byte[] singleTrack(ByteBuf body, VideoTagHeader track) {
    ByteBuf out = Unpooled.buffer(track.singleTrackSize());
    track.writeSingleTrack(body, out);
    assertTrue(out.writerIndex() <= track.singleTrackSize());
    return ByteBufUtil.getBytes(out);
  }

  @Test
  void audioOneTrack() {
    // SoundFormat 9 | Multitrack, OneTrack | SequenceStart, "mp4a", track 0, AudioSpecificConfig (AAC LC, 44.1 kHz, 2ch)
    ByteBuf body = body(0x95, 0x00, 'm', 'p', '4', 'a', 0, 0x12, 0x10);
    List<AudioTagHeader> tracks = AudioTagHeader.parseTracks(body);
    assertEquals(1, tracks.size());
    assertEquals(0, tracks.get(0).track());
    assertEquals(FourCc.MP4A, tracks.get(0).codec());
    assertTrue(tracks.get(0).isSequenceHeader());
    assertArrayEquals(bytes(0x12, 0x10), data(body, tracks.get(0)));
    assertArrayEquals(bytes(0xaf, 0x00, 0x12, 0x10), singleTrack(body, tracks.get(0)), "legacy AAC sequence header");
  }

  @Test
  void audioManyTracksShareOneCodec() {
    // ManyTracks | CodedFrames, "mp4a", then track 0 (2 bytes), track 1 (3 bytes)
    ByteBuf body = body(0x95, 0x11, 'm', 'p', '4', 'a', 0, 0, 0, 2, 0x21, 0x22, 1, 0, 0, 3, 0x31, 0x32, 0x33);
    List<AudioTagHeader> tracks = AudioTagHeader.parseTracks(body);
    assertEquals(2, tracks.size());
    assertEquals(List.of(0, 1), tracks.stream().map(AudioTagHeader::track).toList());
    assertEquals(List.of(FourCc.MP4A, FourCc.MP4A), tracks.stream().map(AudioTagHeader::codec).toList());
    assertArrayEquals(bytes(0x21, 0x22), data(body, tracks.get(0)));
    assertArrayEquals(bytes(0x31, 0x32, 0x33), data(body, tracks.get(1)));
    assertTrue(tracks.get(1).isCodedFrames());
    assertArrayEquals(bytes(0xaf, 0x01, 0x21, 0x22), singleTrack(body, tracks.get(0)), "legacy AAC raw frame");
    assertEquals(tracks.get(0), AudioTagHeader.parse(body), "parse reads the first track");
  }

  @Test
  void audioManyTracksManyCodecs() {
    // ManyTracksManyCodecs | CodedFrames: "Opus" track 1 first, then "mp4a" track 0
    ByteBuf body = body(0x95, 0x21, 'O', 'p', 'u', 's', 1, 0, 0, 2, 0xf8, 0xff,
        'm', 'p', '4', 'a', 0, 0, 0, 1, 0x21);
    List<AudioTagHeader> tracks = AudioTagHeader.parseTracks(body);
    assertEquals(List.of(1, 0), tracks.stream().map(AudioTagHeader::track).toList());
    assertEquals(List.of(FourCc.OPUS, FourCc.MP4A), tracks.stream().map(AudioTagHeader::codec).toList());
    assertArrayEquals(bytes(0xf8, 0xff), data(body, tracks.get(0)));
    assertArrayEquals(bytes(0x21), data(body, tracks.get(1)));
    assertArrayEquals(bytes(0x91, 'O', 'p', 'u', 's', 0xf8, 0xff), singleTrack(body, tracks.get(0)),
        "Opus has no legacy form: Enhanced RTMP CodedFrames without multitrack");
    assertArrayEquals(bytes(0xaf, 0x01, 0x21), singleTrack(body, tracks.get(1)));
  }

  @Test
  void audioBadMultitrackBodiesFailClearly() {
    MediaFormatException e = assertThrows(MediaFormatException.class, () -> AudioTagHeader.parseTracks(
        body(0x95, 0x11, 'm', 'p', '4', 'a', 0, 0, 0, 1, 0x21, 1, 0, 0, 9, 0x31)));
    assertEquals("audio tag: track 1 of 9 bytes, 1 left", e.getMessage(), "the second track is checked too");
    assertThrows(MediaFormatException.class, () -> AudioTagHeader.parseTracks(body(0x95, 0x31, 'm', 'p', '4', 'a')),
        "AvMultitrackType 3 is reserved");
    assertThrows(MediaFormatException.class, () -> AudioTagHeader.parseTracks(body(0x95, 0x13, 'm', 'p', '4', 'a')),
        "AudioPacketType 3 is reserved");
  }

  @Test
  void videoOneTrack() {
    // IsExHeader | Key | Multitrack, OneTrack | CodedFrames, "avc1", track 0, CTS 40, NALU bytes
    ByteBuf body = body(0x96, 0x01, 'a', 'v', 'c', '1', 0, 0, 0, 40, 0x65, 0x88);
    List<VideoTagHeader> tracks = VideoTagHeader.parseTracks(body);
    assertEquals(1, tracks.size());
    VideoTagHeader t = tracks.get(0);
    assertTrue(t.isKeyframe());
    assertEquals(40, t.compositionTime());
    assertArrayEquals(bytes(0x65, 0x88), data(body, t));
    assertArrayEquals(bytes(0x17, 0x01, 0, 0, 40, 0x65, 0x88), singleTrack(body, t), "legacy AVC NALU, key, CTS 40");
  }

  @Test
  void videoManyTracksEachWithItsCompositionTime() {
    // Inter | Multitrack, ManyTracks | CodedFrames, "avc1": track 0 (CTS 0, 1 byte), track 2 (CTS 80, 2 bytes)
    ByteBuf body = body(0xa6, 0x11, 'a', 'v', 'c', '1', 0, 0, 0, 4, 0, 0, 0, 0x41,
        2, 0, 0, 5, 0, 0, 80, 0x41, 0x9a);
    List<VideoTagHeader> tracks = VideoTagHeader.parseTracks(body);
    assertEquals(List.of(0, 2), tracks.stream().map(VideoTagHeader::track).toList());
    assertEquals(List.of(0, 80), tracks.stream().map(VideoTagHeader::compositionTime).toList());
    assertArrayEquals(bytes(0x41), data(body, tracks.get(0)));
    assertArrayEquals(bytes(0x41, 0x9a), data(body, tracks.get(1)));
    assertArrayEquals(bytes(0x27, 0x01, 0, 0, 0, 0x41), singleTrack(body, tracks.get(0)), "legacy AVC, inter");
  }

  @Test
  void videoManyTracksManyCodecs() {
    // Key | Multitrack, ManyTracksManyCodecs | SequenceStart: "hvc1" track 0, "av01" track 1
    ByteBuf body = body(0x96, 0x20, 'h', 'v', 'c', '1', 0, 0, 0, 2, 0x01, 0x02,
        'a', 'v', '0', '1', 1, 0, 0, 3, 0x81, 0x00, 0x0c);
    List<VideoTagHeader> tracks = VideoTagHeader.parseTracks(body);
    assertEquals(List.of(FourCc.HVC1, FourCc.AV01), tracks.stream().map(VideoTagHeader::codec).toList());
    assertEquals(List.of(0, 1), tracks.stream().map(VideoTagHeader::track).toList());
    assertTrue(tracks.get(1).isSequenceHeader());
    assertArrayEquals(bytes(0x81, 0x00, 0x0c), data(body, tracks.get(1)));
    assertArrayEquals(bytes(0x90, 'h', 'v', 'c', '1', 0x01, 0x02), singleTrack(body, tracks.get(0)),
        "hvc1 in Enhanced RTMP without multitrack: key SequenceStart");
    VideoTagHeader single = VideoTagHeader.parse(Unpooled.wrappedBuffer(singleTrack(body, tracks.get(0))));
    assertEquals(-1, single.multitrackType());
    assertTrue(single.isSequenceHeader());
  }

  @Test
  void videoHevcCodedFramesKeepTheirCompositionTimeInTheSingleTrack() {
    ByteBuf body = body(0xa6, 0x01, 'h', 'v', 'c', '1', 0, 0, 0, 40, 0x02, 0x01);
    VideoTagHeader t = VideoTagHeader.parseTracks(body).get(0);
    byte[] single = singleTrack(body, t);
    assertArrayEquals(bytes(0xa1, 'h', 'v', 'c', '1', 0, 0, 40, 0x02, 0x01), single);
    assertEquals(40, VideoTagHeader.parse(Unpooled.wrappedBuffer(single)).compositionTime());
  }

  @Test
  void aPlainBodyIsItsOwnOnlyTrack() {
    ByteBuf aac = body(0xaf, 0x01, 0x21);
    assertEquals(List.of(AudioTagHeader.parse(aac)), AudioTagHeader.parseTracks(aac));
    ByteBuf avc = body(0x17, 0x01, 0, 0, 0, 0x65);
    assertEquals(List.of(VideoTagHeader.parse(avc)), VideoTagHeader.parseTracks(avc));
  }
}
