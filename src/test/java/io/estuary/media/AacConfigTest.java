package io.estuary.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.testing.TestMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class AacConfigTest {

  private static AacConfig parse(String hex) {
    ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
    try {
      AacConfig config = AacConfig.parse(buf);
      assertEquals(0, buf.readerIndex());
      return config;
    } finally {
      assertTrue(buf.release() || buf.capacity() == 0); // the shared empty buffer is not reference counted
    }
  }

  private static String fails(String hex) {
    return assertThrows(MediaFormatException.class, () -> parse(hex)).getMessage();
  }

  private static String adts(AacConfig config, int payloadLength) {
    ByteBuf out = Unpooled.buffer();
    try {
      config.adtsHeader(payloadLength, out);
      return ByteBufUtil.hexDump(out);
    } finally {
      assertTrue(out.release());
    }
  }

  @Test
  void sequenceHeaderOfTestMedia() throws Exception {
    byte[] body = TestMedia.sequenceHeader("h264-aac-640x360.flv", FlvTags.TAG_AUDIO);
    ByteBuf buf = Unpooled.wrappedBuffer(body).skipBytes(FlvTags.AAC_HEADER_LENGTH);
    AacConfig config;
    try {
      config = AacConfig.parse(buf);
    } finally {
      assertTrue(buf.release());
    }
    assertEquals(2, config.objectType());
    assertEquals("LC", config.profileName());
    assertEquals(44100, config.sampleRate());
    assertEquals(2, config.channels());
    assertEquals("AAC LC 44100 Hz 2 channels", config.toString());
  }

  @Test
  void goldenConfigs() {
    // 00010 0100 0010 0 (+ the 0x2b7 sync extension ffmpeg appends)
    AacConfig lc = parse("12 10 56 e5 00");
    assertEquals(2, lc.coreObjectType());
    assertEquals(2, lc.channelConfiguration());
    // Main, 48 kHz, mono: 00001 0011 0001
    AacConfig main = parse("09 88");
    assertEquals("Main", main.profileName());
    assertEquals(48000, main.sampleRate());
    assertEquals(1, main.channels());
    // channelConfiguration 7 is 8 channels: 00010 0011 0111
    assertEquals(8, parse("11 b8").channels());
  }

  /** Explicit SBR (HE-AAC): 00101 0110(24 kHz core) 0010 0011(48 kHz SBR) 00010(LC core). */
  @Test
  void explicitSbrKeepsTheCoreForAdts() {
    AacConfig he = parse("2B 11 88 00");
    assertEquals(5, he.objectType());
    assertEquals("HE", he.profileName());
    assertEquals(2, he.coreObjectType());
    assertEquals(24000, he.sampleRate());
    assertEquals(2, he.channels());
    // PS: 11101 0110 0001 0011 00010 = HE-AAC v2, 24 kHz core, mono core
    AacConfig hev2 = parse("EB 09 88 00");
    assertEquals("HEv2", hev2.profileName());
    assertEquals(2, hev2.coreObjectType());
    assertEquals(1, hev2.channels());
  }

  /** audioObjectType 31 escapes to 32 + 6 bits; samplingFrequencyIndex 0xf is followed by 24 bits of Hz. */
  @Test
  void escapesAndExplicitFrequency() {
    // 11111 000010 (type 34, Layer-3) 0011 (48 kHz) 0010
    AacConfig escaped = parse("F8 46 40");
    assertEquals(34, escaped.objectType());
    assertEquals("Other", escaped.profileName());
    assertEquals(48000, escaped.sampleRate());
    assertEquals(2, escaped.channels());
    // 00010 1111 <44100 = 0x00AC44 in 24 bits> 0010
    AacConfig explicit = parse("17 80 56 22 10");
    assertEquals(44100, explicit.sampleRate());
    assertEquals(2, explicit.channels());
    assertEquals("fff15080179ffc", adts(explicit, 181)); // 44100 is in the table: ADTS index 4
    // 00010 1111 <44000 = 0x00ABE0> 0010 -> not in the table: ADTS cannot carry it
    AacConfig odd = parse("17 80 55 F0 10");
    assertEquals(44000, odd.sampleRate());
    assertEquals("ADTS cannot carry the sample rate 44000 Hz", assertThrows(MediaFormatException.class,
        () -> adts(odd, 10)).getMessage());
  }

  /**
   * ISO/IEC 14496-3 1.A.2.2: FFF1 (MPEG-4, no CRC), profile 1 (LC), index 4 (44.1 kHz), 2 channels, length
   * 7 + 371 = 378, buffer fullness 0x7ff, one raw data block.
   */
  @Test
  void adtsHeaderForLcStereo441() {
    AacConfig lc = parse("12 10");
    assertEquals("fff150802f5ffc", adts(lc, 371));
    // the 13-bit length at its limits
    assertEquals("fff15080011ffc", adts(lc, 1)); // 8 bytes
    assertEquals("fff15083fffffc", adts(lc, AacConfig.MAX_ADTS_PAYLOAD)); // 8191 bytes
    assertEquals("AAC frame of 8185 bytes, ADTS carries at most 8184",
        assertThrows(MediaFormatException.class, () -> adts(lc, 8185)).getMessage());
    // Main mono 48 kHz: profile 0, index 3, channel 1
    assertEquals("fff10c40011ffc", adts(parse("09 88"), 1));
  }

  @Test
  void adtsCannotCarryEveryConfig() {
    assertEquals("ADTS cannot carry audioObjectType 34",
        assertThrows(MediaFormatException.class, () -> adts(parse("F8 46 40"), 10)).getMessage());
    assertEquals("ADTS cannot carry channelConfiguration 8",
        assertThrows(MediaFormatException.class, () -> adts(parse("12 40"), 10)).getMessage());
  }

  @Test
  void malformed() {
    assertEquals("AudioSpecificConfig truncated: 1 bytes, at least 2 needed", fails("12"));
    assertEquals("AudioSpecificConfig truncated: 0 bytes, at least 2 needed", fails(""));
    assertEquals("AudioSpecificConfig: reserved samplingFrequencyIndex 13", fails("16 90"));
    assertEquals("AudioSpecificConfig: audioObjectType 0 (null object)", fails("02 10"));
    assertTrue(fails("17 80").startsWith("AudioSpecificConfig truncated: 24 more bits needed"));
    assertTrue(fails("F8 4C").startsWith("AudioSpecificConfig truncated: "));
    assertEquals("AudioSpecificConfig: sampling frequency 0", fails("17 80 00 00 00"));
  }
}
