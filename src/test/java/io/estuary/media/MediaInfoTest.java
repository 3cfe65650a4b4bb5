package io.estuary.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the API shows of a stream's codecs ({@link VideoInfo}, {@link AudioInfo}), from sequence headers and first
 * frames. HEVC, AV1 and VP9 bodies are captured from FFmpeg 7.1 (libx265, libaom/libsvtav1, libvpx-vp9 at 640x360)
 * publishing over Enhanced RTMP; the others are built here from their specs.
 */
class MediaInfoTest {

  /** HEVC SequenceStart: ExHeader, "hvc1", HEVCDecoderConfigurationRecord with FFmpeg's VPS, SPS and PPS. */
  private static final String HEVC_START = "90 68766331"
      + "0101600000009000000000003ff000fcfdf8f800000f 03"
      + "a0 0001 0018 40010c01ffff01600000030090000003000003003f959409"
      + "a1 0001 002b 42010101600000030090000003000003003fa005020171f2e595952930bc05a02000000300200000030321"
      + "a2 0001 0006 4401c073c189";
  /** AV1 SequenceStart: av1C 0x81, profile 0 level 1, then configOBUs: a sequence header OBU of 11 bytes. */
  private static final String AV1_START = "90 61763031 81010c00 0a0b0000000cc4ff6700be0010";
  /** AV1 keyframe: a temporal delimiter OBU, then the sequence header OBU again, then (cut here) the frame. */
  private static final String AV1_KEYFRAME = "91 61763031 1200 0a0b0000000cc4ff6712be401032a17b1000";
  /** VP9 SequenceStart: vpcC version 1, flags 0, profile 0, level 21, 8 bits 4:2:0, BT.709-ish colour, no init data. */
  private static final String VP9_START = "90 76703039 01000000 00 15 82 02 02 02 0000";
  /** VP9 keyframe: uncompressed header with frame_sync_code 49 83 42 and 639 x 359 (minus 1), cut after it. */
  private static final String VP9_KEYFRAME = "91 76703039 824983420027f016760838241c185c1008f05f";
  private static final String VP9_INTER_FRAME = "a1 76703039 86004092f0c12e0400e67f91";
  private static final String AVC_RECORD = "01 4d 40 1e ff e1 0018 674d401eeca05017fcb808800000030080000019078b16cb"
      + " 01 0004 68efbc80";

  private static <T> T read(Function<ByteBuf, T> parser, String hex) {
    ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
    try {
      return parser.apply(body);
    } finally {
      assertTrue(body.release());
    }
  }

  private static VideoInfo video(String hex) {
    return read(VideoInfo::parse, hex);
  }

  private static AudioInfo audio(String hex) {
    return read(AudioInfo::parse, hex);
  }

  private static String ascii(String s) {
    return ByteBufUtil.hexDump(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void h264FromLegacyAndEnhancedSequenceStarts() {
    VideoInfo legacy = video("17 00 000000 " + AVC_RECORD);
    assertEquals(new VideoInfo("H264", "Main", "3", 640, 360, false), legacy);
    assertEquals(legacy, video("90 61766331 " + AVC_RECORD), "Enhanced RTMP avc1 SequenceStart");
  }

  @Test
  void hevcFromItsSps() {
    VideoInfo info = video(HEVC_START);
    assertEquals(new VideoInfo("HEVC", "Main", "2.1", 640, 360, false), info);
    // The legacy codec id 12 carries the same record after a 5-byte header.
    assertEquals(info, video("1c 00 000000" + HEVC_START.substring(HEVC_START.indexOf("0101"))));
  }

  @Test
  void hevcSpsConformanceWindowSubLayersAndEmulationPrevention() {
    SpsWriter w = new SpsWriter()
        .u(4, 0).u(3, 1).u(1, 1) // vps id, max_sub_layers_minus1 1, temporal_id_nesting
        .u(2, 0).u(1, 1).u(5, 2).u(32, 0x20000000L).u(32, 0).u(16, 0).u(8, 153) // Main10, High tier, level 5.1
        .u(1, 1).u(1, 1).u(2 * 7, 0) // sub-layer 0: profile and level present; reserved_zero_2bits
        .u(32, 0).u(32, 0).u(24, 0).u(8, 90) // sub_layer profile (88 bits) and level
        .ue(0).ue(1) // sps id, chroma 4:2:0
        .ue(1920).ue(1088).u(1, 1).ue(0).ue(0).ue(0).ue(4); // 1920x1088 less 8 rows
    byte[] avcStyle = w.nal();
    byte[] nal = new byte[avcStyle.length + 1];
    nal[0] = 0x42;
    nal[1] = 0x01;
    System.arraycopy(avcStyle, 1, nal, 2, avcStyle.length - 1);
    HevcSps sps = HevcSps.parse(nal);
    assertEquals(new HevcSps(2, 1, 153, 1, 1920, 1080), sps);
    assertEquals("Main10", sps.profileName());
    assertEquals("5.1", sps.levelName());
    assertEquals("4", HevcSps.levelName(120));
    assertThrows(MediaFormatException.class, () -> HevcSps.parse(new byte[] {0x40, 0x01, 0, 0}), "a VPS");
  }

  @Test
  void av1FromTheSequenceHeaderInConfigObus() {
    assertEquals(new VideoInfo("AV1", "Main", "2.1", 640, 360, false), video(AV1_START));
  }

  @Test
  void av1WithoutConfigObusTakesItsSizeFromTheFirstKeyframe() {
    VideoInfo start = video("90 61763031 81010c00");
    assertEquals(new VideoInfo("AV1", "Main", "2.1", 0, 0, true), start);
    assertEquals(new VideoInfo("AV1", "Main", "2.1", 640, 360, false), read(start::withKeyframe, AV1_KEYFRAME));
    // An MPEG2TSSequenceStart carries the AV1 video descriptor (tag 0x80): profile and level, no size.
    assertEquals(start, video("95 61763031 80 04 81010c00"));
  }

  @Test
  void av1ObuWhoseExtensionByteIsMissingIsTruncated() {
    // The last OBU (no size field) says it has an extension byte, and the body ends at its header.
    assertThrows(MediaFormatException.class, () -> video("90 61763031 81010c00 0c"), "in configOBUs");
    VideoInfo start = video("90 61763031 81010c00");
    assertThrows(MediaFormatException.class, () -> read(start::withKeyframe, "91 61763031 12000c"), "in a keyframe");
  }

  @Test
  void vp9TakesItsSizeFromTheFirstKeyframeOnce() {
    VideoInfo start = video(VP9_START);
    assertEquals(new VideoInfo("VP9", "Profile0", "2.1", 0, 0, true), start);
    VideoInfo sized = read(start::withKeyframe, VP9_KEYFRAME);
    assertEquals(new VideoInfo("VP9", "Profile0", "2.1", 640, 360, false), sized);
    assertEquals(sized, read(sized::withKeyframe, VP9_INTER_FRAME), "once known, later frames are not read");
    assertThrows(MediaFormatException.class, () -> read(start::withKeyframe, VP9_INTER_FRAME), "not a keyframe");
    assertFalse(start.sizeUnknown().awaitsKeyframe());
  }

  @Test
  void unknownAndMalformedVideo() {
    assertNull(video("90 61626364 00"), "a FourCC named nowhere");
    assertThrows(MediaFormatException.class, () -> video("91 76703039 82"), "coded frames are no sequence header");
    assertThrows(MediaFormatException.class, () -> video("90 61763031 01010c00"), "av1C marker missing");
    assertThrows(MediaFormatException.class, () -> video("90 76703039 0100"), "vpcC truncated");
    assertEquals(new VideoInfo("HEVC", null, null, 0, 0, false), VideoInfo.codecOnly(FourCc.HVC1));
  }

  @Test
  void aacLegacyAndEnhanced() {
    AudioInfo legacy = audio("af 00 1210");
    assertEquals(new AudioInfo("AAC", 44100, 2, "LC"), legacy);
    assertEquals(legacy, audio("90 6d703461 1210"), "mp4a SequenceStart");
    assertEquals(new AudioInfo("AAC", 0, 0, null), audio("af 01 2100"), "a raw frame says the codec alone");
  }

  @Test
  void opusFromItsIdentificationHeader() {
    // RFC 7845 5.1: "OpusHead", version 1, 2 channels, pre-skip 312, input rate 44100 (LE), gain 0, mapping 0.
    AudioInfo opus = audio("90 4f707573 " + ascii("OpusHead") + "01 02 3801 44ac0000 0000 00");
    assertEquals(new AudioInfo("Opus", 48000, 2, null), opus);
    assertThrows(MediaFormatException.class, () -> audio("90 4f707573 " + ascii("OpusTags") + "0102"));
  }

  @Test
  void flacFromStreamInfo() {
    // STREAMINFO: block sizes 4096/4096, frame sizes 0/0, then 48000 Hz (20 bits), 6 channels - 1, 24 bits - 1, ...
    String streamInfo = "1000 1000 000000 000000 0bb8 0b 70 00000000" + "00".repeat(16);
    AudioInfo expected = new AudioInfo("FLAC", 48000, 6, null);
    assertEquals(expected, audio("90 664c6143 " + streamInfo), "bare");
    assertEquals(expected, audio("90 664c6143 80000022 " + streamInfo), "with its metadata block header");
    assertEquals(expected, audio("90 664c6143 664c6143 80000022 " + streamInfo), "with the fLaC marker too");
    assertThrows(MediaFormatException.class, () -> audio("90 664c6143 1000"));
  }

  @Test
  void mp3FromTheFirstFrameHeader() {
    // Legacy SoundFormat 2; MPEG-1 layer III, 128 kbit/s, 48 kHz, joint stereo; and MPEG-2 24 kHz mono.
    assertEquals(new AudioInfo("MP3", 48000, 2, null), audio("2f fffb9444"));
    assertEquals(new AudioInfo("MP3", 24000, 1, null), audio("91 2e6d7033 fff394c4"));
    assertEquals(new AudioInfo("MP3", 22050, 1, null), audio("2a 00000000"), "no frame header: the tag's flags");
  }

  @Test
  void ac3AndEac3FromTheFirstFrameHeader() {
    // AC-3: sync, crc1, fscod 0 (48 kHz) frmsizecod 0x1c, bsid 8 bsmod 0, acmod 7 (3/2) + cmix/surmix, lfeon 1.
    assertEquals(new AudioInfo("AC3", 48000, 6, null), audio("91 61632d33 0b77 0000 1c 40 e1 40"));
    // acmod 2 (stereo): dsurmod, then lfeon 0.
    assertEquals(new AudioInfo("AC3", 48000, 2, null), audio("91 61632d33 0b77 0000 1c 40 40 00"));
    // E-AC-3: sync, strmtyp 0 substreamid 0 frmsiz, fscod 1 (44.1 kHz) numblkscod 3, acmod 2, lfeon 0, bsid 16.
    assertEquals(new AudioInfo("EAC3", 44100, 2, null), audio("91 65632d33 0b77 00ff 74 80"));
    assertThrows(MediaFormatException.class, () -> audio("91 61632d33 0000 0000 1c40"), "no syncword");
    assertEquals(new AudioInfo("AC3", 0, 0, null), audio("90 61632d33"), "a sequence start says the codec alone");
  }

  @Test
  void unknownAudio() {
    assertNull(audio("7f 00"), "G.711: not named here");
    assertEquals(new AudioInfo("Opus", 0, 0, null), AudioInfo.codecOnly(FourCc.OPUS));
  }
}
