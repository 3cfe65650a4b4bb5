package io.estuary.rtmp;

import io.estuary.amf.Amf0;
import io.estuary.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Enhanced RTMP v2's connect properties, read and written (spec: "Enhancing NetConnection connect Command"). */
class RtmpCapabilitiesTest {

  @Test
  void aLegacyConnectAnnouncesNothing() {
    Map<String, Object> ffmpeg = new LinkedHashMap<>();
    ffmpeg.put("app", "live");
    ffmpeg.put("type", "nonprivate");
    ffmpeg.put("flashVer", "FMLE/3.0 (compatible; Lavf61.7.100)");
    ffmpeg.put("tcUrl", "rtmp://127.0.0.1:1935/live");
    RtmpCapabilities read = RtmpCapabilities.from(ffmpeg);
    assertEquals(RtmpCapabilities.NONE, read);
    assertFalse(read.announced());
    assertFalse(read.reconnect());
    Map<String, Object> written = new LinkedHashMap<>();
    read.writeTo(written);
    assertTrue(written.isEmpty(), written.toString());
  }

  @Test
  void readsWhatAnEnhancedClientAnnounces() {
    Map<String, Object> connect = new LinkedHashMap<>();
    connect.put("app", "live");
    connect.put("fourCcList", List.of("av01", "vp09", "hvc1", 7.0)); // a number is no FourCC: left out
    Map<String, Object> video = new LinkedHashMap<>();
    video.put("hvc1", 3.0);
    video.put("av01", "all"); // not a number: left out
    connect.put("videoFourCcInfoMap", video);
    EcmaArray audio = new EcmaArray(); // readers take an ECMA array where an object was meant
    audio.put("*", 4.0);
    audio.put("Opus", 1.0);
    connect.put("audioFourCcInfoMap", audio);
    connect.put("capsEx", 3.0);

    RtmpCapabilities read = RtmpCapabilities.from(connect);
    assertEquals(List.of("av01", "vp09", "hvc1"), read.fourCcList());
    assertEquals(Map.of("hvc1", 3), read.videoFourCcInfoMap());
    assertEquals(RtmpCapabilities.CAN_DECODE | RtmpCapabilities.CAN_ENCODE, read.videoFlags("hvc1"));
    assertEquals(0, read.videoFlags("vp09"));
    assertEquals(RtmpCapabilities.CAN_FORWARD, read.audioFlags("Opus"), "the wildcard overrides a named codec");
    assertEquals(RtmpCapabilities.CAN_FORWARD, read.audioFlags("fLaC"));
    assertTrue(read.reconnect());
    assertTrue(read.multitrack());
  }

  @Test
  void writtenPropertiesReadBackThroughAmf0() {
    RtmpCapabilities offer = new RtmpCapabilities(List.of("hvc1", "Opus"), Map.of("hvc1", 4), Map.of("Opus", 4),
        RtmpCapabilities.CAPS_EX_RECONNECT);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("fmsVer", "FMS/3,5,3,888");
    offer.writeTo(properties);
    ByteBuf wire = Unpooled.buffer();
    try {
      Amf0.write(wire, properties);
      @SuppressWarnings("unchecked")
      Map<String, Object> back = (Map<String, Object>) Amf0.read(wire);
      assertEquals(offer, RtmpCapabilities.from(back));
      assertEquals(1.0, back.get("capsEx"));
    } finally {
      assertTrue(wire.release());
    }
  }
}
