package io.estuary.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.estuary.amf.Amf0;
import io.estuary.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptDataTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private static Map<String, Object> properties() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("width", 1280.0);
    map.put("height", 720.0);
    map.put("encoder", "obs-output module (libobs version 30.0.0)");
    return map;
  }

  private static ByteBuf amf(Object... values) {
    ByteBuf body = Unpooled.buffer();
    Amf0.writeAll(body, values);
    return body;
  }

  @Test
  void setDataFrameFromAnRtmpPublisher() {
    ByteBuf body = amf("@setDataFrame", "onMetaData", new EcmaArray(properties()));
    ScriptData script = ScriptData.decode(body);
    assertEquals("@setDataFrame", script.name());
    assertTrue(script.isMetaData());
    assertEquals(properties(), script.metadata());
    assertEquals(0, body.readerIndex(), "the shared body is not consumed");

    // What players get: onMetaData with the same properties, byte for byte what FlvWriter writes.
    ByteBuf forPlayers = script.asOnMetaData().encode(ALLOC);
    ByteBuf written = FlvWriter.onMetaData(ALLOC, properties());
    assertEquals(ByteBufUtil.hexDump(written), ByteBufUtil.hexDump(forPlayers));
    assertTrue(forPlayers.release());
    assertTrue(written.release());
    assertTrue(body.release());
  }

  @Test
  void onMetaDataWithAnObjectInsteadOfAnEcmaArray() {
    ByteBuf body = amf("onMetaData", properties()); // AMF0 object, marker 0x03: some encoders send this
    assertEquals(0x03, body.getByte(13));
    ScriptData script = ScriptData.decode(body);
    assertTrue(script.isMetaData());
    assertEquals(properties(), script.metadata());
    assertTrue(body.release());
  }

  @Test
  void otherScriptDataIsNotMetadata() {
    ByteBuf body = amf("onCuePoint", Map.of("name", "ad", "time", 12.5));
    ScriptData script = ScriptData.decode(body);
    assertFalse(script.isMetaData());
    assertEquals(Map.of(), script.metadata());
    assertEquals(List.of(Map.of("name", "ad", "time", 12.5)), script.values());
    assertTrue(body.release());
  }

  @Test
  void setDataFrameOfSomethingElseIsNotMetadata() {
    ByteBuf body = amf("@setDataFrame", "onTextData", Map.of("text", "hi"));
    assertFalse(ScriptData.decode(body).isMetaData());
    assertTrue(body.release());
  }

  @Test
  void encodeRoundTrips() {
    ScriptData script = new ScriptData("onCuePoint", List.of("x", 1.0, true));
    ByteBuf body = script.encode(ALLOC);
    assertEquals(script, ScriptData.decode(body));
    assertTrue(body.release());
  }

  @Test
  void notAmf0() {
    ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("02000a6f6e4d657461"));  // string cut short
    FlvFormatException e = assertThrows(FlvFormatException.class, () -> ScriptData.decode(body));
    assertTrue(e.getMessage().startsWith("script data is not valid AMF0"), e.getMessage());
    assertEquals(0, body.readerIndex());
    assertTrue(body.release());
  }

  @Test
  void firstValueMustBeAName() {
    ByteBuf body = amf(1.0, "onMetaData");
    assertThrows(FlvFormatException.class, () -> ScriptData.decode(body));
    ByteBuf empty = Unpooled.buffer(0);
    assertThrows(FlvFormatException.class, () -> ScriptData.decode(empty));
    assertTrue(body.release());
    assertTrue(empty.release());
  }
}
