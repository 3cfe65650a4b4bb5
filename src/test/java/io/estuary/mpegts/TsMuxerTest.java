package io.estuary.mpegts;

import static io.estuary.testing.FlvBodies.hex;
import static io.estuary.testing.FlvBodies.video;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.media.MediaFormatException;
import io.estuary.mpegts.TsReader.Packet;
import io.estuary.mpegts.TsReader.Pes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TsMuxerTest {

  /** The AVC sequence header of h264-aac-640x360.flv. */
  static final String AVC_SEQUENCE_HEADER = "1700000000014d401effe10018"
      + "674d401eeca05017fcb808800000030080000019078b16cb010004" + "68efbc80";
  static final byte[] SPS = hex("674d401eeca05017fcb808800000030080000019078b16cb");
  static final byte[] PPS = hex("68efbc80");
  static final String AAC_SEQUENCE_HEADER = "af001210";

  private final TsMuxer muxer = new TsMuxer();
  private final List<ByteBuf> buffers = new ArrayList<>();

  @AfterEach
  void releaseAll() {
    for (ByteBuf buf : buffers) {
      assertTrue(buf.release(), "buffer still referenced after the test");
    }
  }

  private ByteBuf buf(byte[] bytes) {
    ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes); // direct: tracked by the leak detector
    buffers.add(buf);
    return buf;
  }

  private ByteBuf out() {
    ByteBuf out = Unpooled.directBuffer();
    buffers.add(out);
    return out;
  }


  static byte[] aac(int length) {
    byte[] body = new byte[2 + length];
    body[0] = (byte) 0xaf;
    body[1] = 1;
    for (int i = 2; i < body.length; i++) {
      body[i] = (byte) i;
    }
    return body;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      b.writeBytes(part);
    }
    return b.toByteArray();
  }

  private void sequenceHeaders() {
    ByteBuf out = out();
    muxer.writeVideo(buf(hex(AVC_SEQUENCE_HEADER)), 0, out);
    muxer.writeAudio(buf(hex(AAC_SEQUENCE_HEADER)), 0, out);
    assertEquals(0, out.readableBytes(), "sequence headers emit nothing");
  }

  @Test
  void patAndPmtForVideoAndAudio() {
    ByteBuf out = out();
    muxer.writePsi(out);
    assertEquals(2 * 188, out.readableBytes());
    String ff = "ff".repeat(188);
    String pat = "47400010" + "00" + "00b00d0001c100000001f001" + "2e701905";
    assertEquals(pat + ff.substring(pat.length()), ByteBufUtil.hexDump(out, 0, 188));
    String pmt = "47500110" + "00" + "02b0170001c10000e100f000" + "1be100f000" + "0fe101f000" + "2f44b99b";
    assertEquals(pmt + ff.substring(pmt.length()), ByteBufUtil.hexDump(out, 188, 188));
  }

  @Test
  void pmtForAudioOnlyCarriesThePcrOnAudio() {
    muxer.tracks(false, true);
    ByteBuf out = out();
    muxer.writePsi(out);
    String pmt = "47500110" + "00" + "02b0120001c10000e101f000" + "0fe101f000" + "ece2b094";
    assertEquals(pmt, ByteBufUtil.hexDump(out, 188, pmt.length() / 2));
  }

  @Test
  void pmtForVideoOnly() {
    muxer.tracks(true, false);
    ByteBuf out = out();
    muxer.writePsi(out);
    List<Packet> packets = TsReader.packets(out);
    byte[] section = packets.get(1).payload();
    assertEquals("0002b0120001c10000e100f0001be100f000", ByteBufUtil.hexDump(section, 0, 18));
    ByteBuf crc = Unpooled.wrappedBuffer(section, 1, 21);
    assertEquals(0, Crc32.compute(crc, 0, 21), "CRC_32 over the whole section checks to 0");
  }

  @Test
  void pmtDeclaresMp3AfterAnMp3Frame() {
    ByteBuf out = out();
    muxer.writeAudio(buf(hex("2f fffb9064 00000000")), 0, out);
    out.clear();
    muxer.writePsi(out);
    assertEquals("03e102f000", ByteBufUtil.hexDump(TsReader.packets(out).get(1).payload(), 18, 5));
  }

  @Test
  void psiCountersWrap() {
    ByteBuf out = out();
    for (int i = 0; i < 18; i++) {
      muxer.writePsi(out);
    }
    List<Packet> packets = TsReader.packets(out);
    for (int i = 0; i < 18; i++) {
      assertEquals(i % 16, packets.get(2 * i).counter());
      assertEquals(i % 16, packets.get(2 * i + 1).counter());
    }
  }

  @Test
  void readyWhenTheDeclaredTracksHaveTheirSequenceHeaders() {
    assertFalse(muxer.ready());
    ByteBuf out = out();
    muxer.writeVideo(buf(hex(AVC_SEQUENCE_HEADER)), 0, out);
    assertFalse(muxer.ready());
    muxer.tracks(true, false);
    assertTrue(muxer.ready());
    muxer.tracks(true, true);
    muxer.writeAudio(buf(hex(AAC_SEQUENCE_HEADER)), 0, out);
    assertTrue(muxer.ready());
    assertEquals(640, muxer.avcConfig().width());
    assertEquals(44100, muxer.aacConfig().sampleRate());
    assertEquals(0, out.readableBytes());
  }

  /** An IDR access unit: AUD, SPS, PPS, then the NAL units of the tag, each behind a 4-byte start code. */
  @Test
  void idrAccessUnitGetsAudAndParameterSets() {
    sequenceHeaders();
    byte[] sei = hex("06 05 01 aa 80");
    byte[] idr = hex("65 88 84 00 33 ff");
    ByteBuf out = out();
    muxer.writeVideo(buf(video(true, 80, sei, idr)), 1000, out);
    List<Packet> packets = TsReader.packets(out);
    assertEquals(1, packets.size());
    Pes pes = TsReader.pes(packets, TsMuxer.VIDEO_PID).get(0);
    assertEquals(0xe0, pes.streamId());
    assertEquals(0, pes.packetLength(), "unbounded video PES");
    assertEquals(90000, pes.dts());
    assertEquals(97200, pes.pts());
    byte[] start = hex("00000001");
    assertArrayEquals(concat(hex("00000001 09 f0"), start, SPS, start, PPS, start, sei, start, idr), pes.data());
    Packet first = packets.get(0);
    assertTrue(first.randomAccess());
    assertTrue(first.hasPcr());
    assertEquals(90000, first.pcrBase());
  }

  /** An inter frame: its own AUD is replaced by ours, no parameter sets; PTS only when it equals DTS. */
  @Test
  void interFrameDropsItsAudAndHasNoParameterSets() {
    sequenceHeaders();
    byte[] slice = hex("41 9a 21 6c");
    ByteBuf out = out();
    muxer.writeVideo(buf(video(false, 0, hex("09 30"), slice)), 40, out);
    Pes pes = TsReader.pes(TsReader.packets(out), TsMuxer.VIDEO_PID).get(0);
    assertArrayEquals(concat(hex("00000001 09 f0 00000001"), slice), pes.data());
    assertEquals(3600, pes.pts());
    assertEquals(3600, pes.dts());
    assertFalse(pes.first().randomAccess());
    assertTrue(pes.first().hasPcr(), "PCR at every video PES start");
  }

  @Test
  void videoBeforeItsSequenceHeaderIsDropped() {
    ByteBuf out = out();
    muxer.writeVideo(buf(video(true, 0, hex("65 88"))), 0, out);
    muxer.writeAudio(buf(aac(10)), 0, out);
    assertEquals(0, out.readableBytes());
  }

  @Test
  void shorterNaluLengthPrefixes() {
    ByteBuf out = out();
    // the same record with lengthSizeMinusOne 1: two-byte NAL unit lengths
    muxer.writeVideo(buf(hex(AVC_SEQUENCE_HEADER.replace("1effe1", "1efde1"))), 0, out);
    muxer.writeVideo(buf(hex("27 01 000000 0003 419a21 0002 419b")), 0, out);
    Pes pes = TsReader.pes(TsReader.packets(out), TsMuxer.VIDEO_PID).get(0);
    assertArrayEquals(hex("00000001 09f0 00000001 419a21 00000001 419b"), pes.data());
  }

  @Test
  void negativeCompositionTimeAndLargeTimestampsWrapAt33Bits() {
    sequenceHeaders();
    ByteBuf out = out();
    long dtsMs = (1L << 33) / 90 + 1000; // past the 33-bit wrap at 26.5 hours
    muxer.writeVideo(buf(video(false, -40 & 0xffffff, hex("419a"))), dtsMs, out);
    Pes pes = TsReader.pes(TsReader.packets(out), TsMuxer.VIDEO_PID).get(0);
    long mask = (1L << 33) - 1;
    assertEquals(dtsMs * 90 & mask, pes.dts());
    assertEquals((dtsMs - 40) * 90 & mask, pes.pts());
  }

  /** 1.A.2.2: each raw AAC frame gets a 7-byte ADTS header; the audio PES is bounded. */
  @Test
  void aacFramesGetAdtsHeaders() {
    sequenceHeaders();
    ByteBuf out = out();
    muxer.writeAudio(buf(aac(371)), 57, out);
    List<Packet> packets = TsReader.packets(out);
    Pes pes = TsReader.pes(packets, TsMuxer.AAC_PID).get(0);
    assertEquals(0xc0, pes.streamId());
    assertEquals(57 * 90, pes.pts());
    assertEquals("fff150802f5ffc", ByteBufUtil.hexDump(pes.data(), 0, 7));
    assertArrayEquals(java.util.Arrays.copyOfRange(aac(371), 2, 373),
        java.util.Arrays.copyOfRange(pes.data(), 7, pes.data().length));
    assertEquals(8 + 7 + 371, pes.packetLength());
    assertFalse(packets.get(0).hasPcr(), "with video, the PCR is on the video PID");
  }

  @Test
  void audioOnlyCarriesThePcr() {
    muxer.tracks(false, true);
    sequenceHeaders();
    ByteBuf out = out();
    muxer.writeAudio(buf(aac(20)), 1000, out);
    Packet first = TsReader.packets(out).get(0);
    assertTrue(first.hasPcr());
    assertEquals(90000, first.pcrBase());
  }

  @Test
  void mp3FramesAsIs() {
    muxer.tracks(false, true);
    assertFalse(muxer.ready());
    ByteBuf out = out();
    muxer.writeAudio(buf(hex("2f fffb9064 0102030405")), 100, out);
    assertTrue(muxer.ready(), "MP3 needs no sequence header");
    Pes pes = TsReader.pes(TsReader.packets(out), TsMuxer.MP3_PID).get(0);
    assertArrayEquals(hex("fffb9064 0102030405"), pes.data());
    assertEquals(9000, pes.pts());
  }

  @Test
  void continuityCountersWrapPerPid() {
    sequenceHeaders();
    ByteBuf out = out();
    for (int i = 0; i < 20; i++) {
      muxer.writeAudio(buf(aac(300)), i * 23L, out); // two packets each
      muxer.writeVideo(buf(video(false, 0, new byte[50])), i * 40L, out); // one packet each
    }
    List<Packet> packets = TsReader.packets(out);
    List<Packet> audio = TsReader.packets(packets, TsMuxer.AAC_PID);
    List<Packet> video = TsReader.packets(packets, TsMuxer.VIDEO_PID);
    assertEquals(40, audio.size());
    assertEquals(20, video.size());
    for (int i = 0; i < audio.size(); i++) {
      assertEquals(i % 16, audio.get(i).counter());
    }
    for (int i = 0; i < video.size(); i++) {
      assertEquals(i % 16, video.get(i).counter());
    }
  }

  /**
   * Around the packet boundary: the last packet is filled by adaptation field stuffing, including the one-byte
   * form (adaptation_field_length 0), and the payload comes back whole.
   */
  @Test
  void stuffingFillsTheLastPacket() {
    muxer.tracks(true, true);
    sequenceHeaders();
    // Audio PES: 14-byte header + 7 ADTS + n; with video present, audio has no adaptation field of its own.
    for (int n = 150; n <= 380; n++) {
      ByteBuf out = out();
      muxer.writeAudio(buf(aac(n)), 0, out);
      List<Packet> packets = TsReader.packets(out);
      int total = 14 + 7 + n;
      assertEquals((total + 183) / 184, packets.size(), "packets for " + n);
      Packet last = packets.get(packets.size() - 1);
      int stuffing = 184 * packets.size() - total;
      if (stuffing == 0) {
        assertNull(last.adaptation(), "no adaptation field when the payload fits exactly, n " + n);
      } else {
        assertEquals(stuffing - 1, last.adaptation().length, "n " + n);
      }
      Pes pes = TsReader.pes(packets, TsMuxer.AAC_PID).get(0);
      assertEquals(7 + n, pes.data().length);
    }
  }

  @Test
  void malformedTagsThrowAndWriteNothing() {
    sequenceHeaders();
    ByteBuf out = out();
    MediaFormatException e = assertThrows(MediaFormatException.class,
        () -> muxer.writeVideo(buf(hex("27 01 000000 00000010 419a")), 0, out));
    assertEquals("AVC NAL unit of 16 bytes, 2 left in the tag", e.getMessage());
    e = assertThrows(MediaFormatException.class,
        () -> muxer.writeVideo(buf(hex("27 01 000000 00000002 419a 0000")), 0, out));
    assertEquals("AVC NAL unit length truncated: 2 of 4 bytes", e.getMessage());
    e = assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("27 01 00")), 0, out));
    assertEquals("video tag truncated: 3 more bytes needed at byte 2, 1 left", e.getMessage());
    e = assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("22 01 000000")), 0, out));
    assertEquals("unsupported video: codec id 2", e.getMessage());
    e = assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("91 68766331")), 0, out));
    assertEquals("video tag truncated: 3 more bytes needed at byte 5, 0 left", e.getMessage(), "no composition time");
    e = assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("91 617630")), 0, out));
    assertEquals("video tag truncated: 4 more bytes needed at byte 1, 3 left", e.getMessage(), "no whole FourCC");
    e = assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("97 05 0102")), 0, out));
    assertEquals("video tag truncated: 6 more bytes needed at byte 2, 2 left", e.getMessage(), "a ModEx of 6 bytes");
    e = assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("91 61763031 00")), 0, out));
    assertEquals("unsupported video: av01", e.getMessage());
    e = assertThrows(MediaFormatException.class, () -> muxer.writeAudio(buf(hex("af")), 0, out));
    assertEquals("audio tag truncated: 1 more bytes needed at byte 1, 0 left", e.getMessage(), "no AACPacketType");
    e = assertThrows(MediaFormatException.class, () -> muxer.writeAudio(buf(hex("7f 0000")), 0, out));
    assertEquals("unsupported sound format 7", e.getMessage());
    assertThrows(MediaFormatException.class, () -> muxer.writeVideo(buf(hex("17 00 000000 01 4d")), 0, out));
    assertEquals(0, out.readableBytes());
    // the muxer still works after a bad tag
    muxer.writeVideo(buf(video(true, 0, hex("65 88"))), 0, out);
    assertEquals(188, out.readableBytes());
  }

  @Test
  void bodiesAreReadNotConsumed() {
    ByteBuf body = buf(video(true, 0, hex("65 88")));
    ByteBuf out = out();
    muxer.writeVideo(buf(hex(AVC_SEQUENCE_HEADER)), 0, out);
    muxer.writeVideo(body, 0, out);
    assertEquals(0, body.readerIndex());
    assertEquals(1, body.refCnt());
  }

  // HEVC, legacy (codec id 12) and Enhanced RTMP (hvc1), as FFmpeg 7 and OBS send it.

  /** An hvcC (HevcConfigTest's): Main, level 3.1, 4-byte lengths, one VPS, SPS and PPS, and an SEI array. */
  static final String HVCC = "01 01 60000000 000000000000 5d f000 fc fd f8 f8 0000 0f 04"
      + "a0 0001 0003 400c01" + "a1 0001 0004 42010101" + "a2 0001 0002 4401" + "27 0001 0002 4e01";
  static final byte[] HEVC_PARAMETER_SETS = hex("00000001 400c01 00000001 42010101 00000001 4401");
  /** An HEVC access unit delimiter (NAL type 35, pic_type 2), as SRS writes it before every access unit. */
  static final byte[] HEVC_AUD = hex("00000001 460150");
  static final byte[] HEVC_IDR = hex("2601 af09 40"); // IDR_W_RADL (19)
  static final byte[] HEVC_TRAIL = hex("0201 d004"); // TRAIL_R (1)

  /** An Enhanced RTMP video body: ExHeader with frame type and PacketType, FourCC, then {@code rest}. */
  private static byte[] enhanced(boolean keyframe, int packetType, String fourCc, byte[] rest) {
    return concat(new byte[] {(byte) (0x80 | (keyframe ? 0x10 : 0x20) | packetType)},
        fourCc.getBytes(java.nio.charset.StandardCharsets.US_ASCII), rest);
  }

  /** NAL units behind 4-byte lengths. */
  private static byte[] lengthPrefixed(byte[]... nalus) {
    byte[] legacy = video(true, 0, nalus);
    return java.util.Arrays.copyOfRange(legacy, 5, legacy.length);
  }

  private Pes onlyVideoPes(ByteBuf out) {
    List<Pes> pes = TsReader.pes(TsReader.packets(out), TsMuxer.VIDEO_PID);
    assertEquals(1, pes.size());
    return pes.get(0);
  }

  @Test
  void enhancedHevcSequenceStartDeclaresHevcInThePmt() {
    muxer.tracks(true, false);
    ByteBuf out = out();
    muxer.writeVideo(buf(enhanced(true, 0, "hvc1", hex(HVCC))), 0, out);
    assertEquals(0, out.readableBytes(), "a sequence header emits nothing");
    assertTrue(muxer.ready());
    assertEquals(93, muxer.hevcConfig().level());
    muxer.writePsi(out);
    byte[] pmt = TsReader.packets(out).get(1).payload();
    assertEquals("24e100f000", ByteBufUtil.hexDump(pmt, 13, 5), "stream_type 0x24 (HEVC) on the video PID");
  }

  /** A keyframe: AUD, VPS, SPS, PPS, then the frame's NAL units in Annex B; CodedFrames' composition time in the PTS. */
  @Test
  void enhancedHevcKeyframeGetsAudAndParameterSetsInAnnexB() {
    ByteBuf out = out();
    muxer.writeVideo(buf(enhanced(true, 0, "hvc1", hex(HVCC))), 0, out);
    byte[] sei = hex("4e01 0501 aa80"); // prefix SEI (39)
    muxer.writeVideo(buf(enhanced(true, 1, "hvc1", concat(hex("000050"), lengthPrefixed(sei, HEVC_IDR)))), 1000, out);
    Pes pes = onlyVideoPes(out);
    byte[] start = hex("00000001");
    assertArrayEquals(concat(HEVC_AUD, HEVC_PARAMETER_SETS, start, sei, start, HEVC_IDR), pes.data());
    assertEquals(90000, pes.dts());
    assertEquals((1000 + 80) * 90, pes.pts(), "composition time 80 ms");
    assertTrue(pes.first().randomAccess());
  }

  /** CodedFramesX: no composition time (PTS = DTS); an inter frame has no parameter sets; the stream's AUD is ours. */
  @Test
  void enhancedHevcCodedFramesXInterFrame() {
    ByteBuf out = out();
    muxer.writeVideo(buf(enhanced(true, 0, "hvc1", hex(HVCC))), 0, out);
    byte[] aud = hex("4601 50");
    muxer.writeVideo(buf(enhanced(false, 3, "hvc1", lengthPrefixed(aud, HEVC_TRAIL))), 40, out);
    Pes pes = onlyVideoPes(out);
    assertArrayEquals(concat(HEVC_AUD, hex("00000001"), HEVC_TRAIL), pes.data());
    assertEquals(3600, pes.pts());
    assertEquals(3600, pes.dts());
    assertFalse(pes.first().randomAccess());
  }

  /** An IRAP NAL unit makes an access unit a keyframe even when the tag's frame type says otherwise. */
  @Test
  void hevcIrapPictureGetsParameterSetsWhateverTheFrameType() {
    ByteBuf out = out();
    muxer.writeVideo(buf(enhanced(true, 0, "hvc1", hex(HVCC))), 0, out);
    muxer.writeVideo(buf(enhanced(false, 3, "hvc1", lengthPrefixed(HEVC_IDR))), 0, out);
    assertArrayEquals(concat(HEVC_AUD, HEVC_PARAMETER_SETS, hex("00000001"), HEVC_IDR), onlyVideoPes(out).data());
  }

  /** Legacy codec id 12 (SRS, FFmpeg forks): the same Annex B. */
  @Test
  void legacyHevc() {
    ByteBuf out = out();
    muxer.writeVideo(buf(concat(hex("1c 00 000000"), hex(HVCC))), 0, out);
    byte[] body = video(true, 40, HEVC_IDR);
    body[0] = 0x1c;
    muxer.writeVideo(buf(body), 0, out);
    Pes pes = onlyVideoPes(out);
    assertArrayEquals(concat(HEVC_AUD, HEVC_PARAMETER_SETS, hex("00000001"), HEVC_IDR), pes.data());
    assertEquals(40 * 90, pes.pts());
  }

  /** ModEx (Enhanced RTMP v2): modifier data before the real PacketType and the FourCC, skipped. */
  @Test
  void modExPrefixIsSkipped() {
    ByteBuf out = out();
    muxer.writeVideo(buf(enhanced(true, 0, "hvc1", hex(HVCC))), 0, out);
    // An inter frame, PacketType 7 (ModEx), 3 bytes of data (a TimestampOffsetNano), then ModExType 0 | PacketType 3 (CodedFramesX).
    byte[] body = concat(hex("a7 02 0f4240 03"), "hvc1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        lengthPrefixed(HEVC_TRAIL));
    muxer.writeVideo(buf(body), 40, out);
    assertArrayEquals(concat(HEVC_AUD, hex("00000001"), HEVC_TRAIL), onlyVideoPes(out).data());
  }

  /** Enhanced avc1 works as the legacy AVC tag does. */
  @Test
  void enhancedAvc() {
    ByteBuf out = out();
    byte[] record = java.util.Arrays.copyOfRange(hex(AVC_SEQUENCE_HEADER), 5, hex(AVC_SEQUENCE_HEADER).length);
    muxer.writeVideo(buf(enhanced(true, 0, "avc1", record)), 0, out);
    muxer.writePsi(out);
    assertEquals("1be100f000", ByteBufUtil.hexDump(TsReader.packets(out).get(1).payload(), 13, 5));
    out.clear();
    byte[] idr = hex("65 88 84 00");
    muxer.writeVideo(buf(enhanced(true, 1, "avc1", concat(hex("000028"), lengthPrefixed(idr)))), 0, out);
    byte[] start = hex("00000001");
    Pes pes = onlyVideoPes(out);
    assertArrayEquals(concat(hex("00000001 09 f0"), start, SPS, start, PPS, start, idr), pes.data());
    assertEquals(40 * 90, pes.pts());
  }

  /** Enhanced RTMP audio (SoundFormat 9) with mp4a: the AudioSpecificConfig, then raw frames behind ADTS. */
  @Test
  void enhancedAac() {
    muxer.tracks(false, true);
    ByteBuf out = out();
    muxer.writeAudio(buf(hex("90 6d703461 1210")), 0, out);
    assertTrue(muxer.ready());
    muxer.writeAudio(buf(concat(hex("91 6d703461"), new byte[] {1, 2, 3})), 23, out);
    Pes pes = TsReader.pes(TsReader.packets(out), TsMuxer.AAC_PID).get(0);
    assertEquals("fff15080", ByteBufUtil.hexDump(pes.data(), 0, 4), "an ADTS header for 44.1 kHz stereo LC");
    assertEquals("010203", ByteBufUtil.hexDump(pes.data(), 7, 3));
  }

  @Test
  void unsupportedCodecsAreNamedOthersAreNot() {
    assertEquals("av01", unsupported(true, enhanced(true, 0, "av01", hex("81000c00"))));
    assertEquals("vp09", unsupported(true, enhanced(false, 3, "vp09", hex("00"))));
    assertEquals("Opus", unsupported(false, hex("91 4f707573 00")));
    assertEquals("codec id 4", unsupported(true, hex("14 00")), "legacy VP6");
    assertEquals("codec id 11", unsupported(false, hex("b2 00")), "legacy Speex");
    assertEquals("multitrack", unsupported(true, hex("96 00 68766331 00")), "one track, id 0, a SequenceStart");
    assertEquals("FourCC 0x00010203", unsupported(true, hex("91 00010203")));
    assertNull(unsupported(true, enhanced(true, 0, "hvc1", hex(HVCC))));
    assertNull(unsupported(true, enhanced(false, 3, "avc1", hex("00"))));
    assertNull(unsupported(true, hex("17 01 000000")));
    assertNull(unsupported(true, hex("1c 01 000000")));
    assertNull(unsupported(false, hex("af 01 00")));
    assertNull(unsupported(false, hex("2f fffb")));
    assertNull(unsupported(false, hex("91 2e6d7033 fffb")));
    assertNull(unsupported(true, hex("d0 00")), "a video command (frame type 5) carries no codec");
    assertNull(unsupported(true, new byte[0]));
    assertNull(unsupported(true, hex("91 6876")), "malformed: the muxer reports it");
  }

  private String unsupported(boolean video, byte[] body) {
    return TsMuxer.unsupportedCodec(video, buf(body));
  }

  /** Metadata (colour info), SequenceEnd and commands carry no frame: nothing is written, nothing thrown. */
  @Test
  void enhancedPacketsWithoutFramesWriteNothing() {
    ByteBuf out = out();
    muxer.writeVideo(buf(enhanced(true, 0, "hvc1", hex(HVCC))), 0, out);
    muxer.writeVideo(buf(enhanced(true, 4, "hvc1", hex("02 0009 636f6c6f72496e666f"))), 0, out);
    muxer.writeVideo(buf(enhanced(false, 2, "hvc1", new byte[0])), 0, out);
    muxer.writeVideo(buf(hex("d0 00")), 0, out);
    muxer.writeAudio(buf(hex("92 6d703461")), 0, out);
    assertEquals(0, out.readableBytes());
  }
}
