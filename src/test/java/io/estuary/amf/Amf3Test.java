package io.estuary.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Amf3Test {

  @RegisterExtension
  final Buffers buffers = new Buffers();

  private Object read(String hex) {
    ByteBuf in = buffers.hex(hex);
    Object value = Amf3.read(in);
    assertFalse(in.isReadable(), "value not fully consumed");
    return value;
  }

  @Test
  void amf3WrappedCommandMessage() {
    // A type-17 command message body: a 0x00 format byte, then AMF0 values, some behind 0x11 (AMF0 spec 3.1).
    ByteBuf payload = buffers.hex("""
        00
        02 00 07 63 6F 6E 6E 65 63 74
        00 3F F0 00 00 00 00 00 00
        11 0A 0B 01
           07 61 70 70  06 09 6C 69 76 65
           0B 74 63 55 72 6C  06 21 72 74 6D 70 3A 2F 2F 68 6F 73 74 2F 6C 69 76 65
           09 6E 61 6D 65  06 02
           01
        11 04 FF FF FF FF
        11 04 81 00
        11 06 07 61 70 70""");
    // 0A 0B 01: object, inline traits (bit 1), dynamic (bit 3), no sealed members, anonymous class.
    // name: 06 02 is string reference 1 — "live" (table: app, live, tcUrl, rtmp://host/live).
    payload.skipBytes(1);
    List<Object> values = Amf0.readAll(payload);

    assertEquals(6, values.size());
    assertEquals("connect", values.get(0));
    assertEquals(1.0, values.get(1));
    Map<?, ?> command = assertInstanceOf(LinkedHashMap.class, values.get(2));
    assertEquals(List.of("app", "tcUrl", "name"), List.copyOf(command.keySet()));
    assertEquals("live", command.get("app"));
    assertEquals("rtmp://host/live", command.get("tcUrl"));
    assertEquals("live", command.get("name"));
    assertEquals(-1.0, values.get(3));
    assertEquals(128.0, values.get(4));
    assertEquals("app", values.get(5)); // each top-level value starts with empty reference tables
  }

  @Test
  void simpleValues() {
    assertSame(Amf0.UNDEFINED, read("00"));
    assertNull(read("01"));
    assertEquals(false, read("02"));
    assertEquals(true, read("03"));
    assertEquals(1.5, read("05 3F F8 00 00 00 00 00 00"));
  }

  @Test
  void integersAreSignExtended29Bit() {
    // AMF3 spec 1.3.1 and 3.6.
    assertEquals(0.0, read("04 00"));
    assertEquals(127.0, read("04 7F"));
    assertEquals(128.0, read("04 81 00"));
    assertEquals(16383.0, read("04 FF 7F"));
    assertEquals(16384.0, read("04 81 80 00"));
    assertEquals(268435455.0, read("04 BF FF FF FF"));
    assertEquals(-268435456.0, read("04 C0 80 80 00"));
    assertEquals(-1.0, read("04 FF FF FF FF"));
    assertInstanceOf(Double.class, read("04 01"));
  }

  @Test
  void emptyStringIsNeverReferenced() {
    // ["", "a", ref 0]: ref 0 is "a" because "" is not added to the string table (AMF3 spec 1.3.2).
    assertEquals(List.of("", "a", "a"), read("09 07 01 06 01 06 03 61 06 00"));
  }

  @Test
  void denseArrayIsArrayList() {
    Object value = read("09 05 01 04 01 06 03 78");
    assertEquals(ArrayList.class, value.getClass());
    assertEquals(List.of(1.0, "x"), value);
  }

  @Test
  void arrayWithAssociativePartIsEcmaArray() {
    // dense count 1, "k" → "v", end, then dense item 7
    Object value = read("09 03 03 6B 06 03 76 01 04 07");
    EcmaArray array = assertInstanceOf(EcmaArray.class, value);
    assertEquals(List.of("k", "0"), List.copyOf(array.keySet()));
    assertEquals("v", array.get("k"));
    assertEquals(7.0, array.get("0"));
  }

  @Test
  void sealedMembersAndTraitsReference() {
    // [{x: 1}, {x: 2}]: the second object refers to the first one's traits (header 0x01 = traits ref 0).
    Object value = read("09 05 01  0A 13 01 03 78 04 01  0A 01 04 02");
    assertEquals(List.of(Map.of("x", 1.0), Map.of("x", 2.0)), value);
  }

  @Test
  void sealedThenDynamicMembers() {
    // traits: dynamic, 1 sealed ("a"), class "C"; a = true; dynamic b = null
    Map<?, ?> object = assertInstanceOf(LinkedHashMap.class, read("0A 1B 03 43 03 61 03 03 62 01 01"));
    assertEquals(List.of("a", "b"), List.copyOf(object.keySet()));
    assertEquals(true, object.get("a"));
    assertNull(object.get("b"));
  }

  @Test
  void objectReferenceIsTheSameInstance() {
    // [{}, ref 1]: the array is object 0, the empty object 1.
    List<?> list = assertInstanceOf(List.class, read("09 05 01 0A 0B 01 01 0A 02"));
    assertEquals(Map.of(), list.get(0));
    assertSame(list.get(0), list.get(1));
  }

  @Test
  void dateXmlAndByteArray() {
    assertEquals(Instant.ofEpochMilli(1000), read("08 01 40 8F 40 00 00 00 00 00"));
    assertEquals("<a/>", read("0B 09 3C 61 2F 3E"));
    assertEquals("<a/>", read("07 09 3C 61 2F 3E"));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) read("0C 07 01 02 03"));
  }

  @Test
  void dateReferenceSharesTheObjectTable() {
    List<?> list = assertInstanceOf(List.class, read("09 05 01 08 01 40 8F 40 00 00 00 00 00 08 02"));
    assertEquals(Instant.ofEpochMilli(1000), list.get(0));
    assertSame(list.get(0), list.get(1));
  }
}
