package io.estuary.amf;

import static io.estuary.amf.Buffers.compact;
import static io.estuary.amf.Buffers.hexOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class Amf0Test {

  @RegisterExtension
  final Buffers buffers = new Buffers();

  /** Writes the value, checks the exact bytes, reads them back and returns what was read. */
  private Object golden(Object value, String expectedHex) {
    ByteBuf out = buffers.empty();
    Amf0.write(out, value);
    assertEquals(compact(expectedHex), hexOf(out));
    Object read = Amf0.read(out);
    assertFalse(out.isReadable(), "value not fully consumed");
    assertEquals(value, read);
    return read;
  }

  private Object roundTrip(Object value) {
    ByteBuf out = buffers.empty();
    Amf0.write(out, value);
    Object read = Amf0.read(out);
    assertFalse(out.isReadable(), "value not fully consumed");
    return read;
  }

  @Test
  void number() {
    assertInstanceOf(Double.class, golden(1.0, "00 3F F0 00 00 00 00 00 00"));
    golden(-0.5, "00 BF E0 00 00 00 00 00 00");
  }

  @Test
  void anyNumberIsWrittenAsAmf0Number() {
    assertEquals(1.0, roundTrip(1));
    assertEquals(3.0, roundTrip(3L));
    assertEquals(2.5, roundTrip(2.5f));
  }

  @Test
  void booleans() {
    assertSame(Boolean.TRUE, golden(true, "01 01"));
    assertSame(Boolean.FALSE, golden(false, "01 00"));
  }

  @Test
  void string() {
    golden("app", "02 00 03 61 70 70");
    golden("", "02 00 00");
    golden("é", "02 00 02 C3 A9"); // length counts UTF-8 bytes, not chars
  }

  @Test
  void nullAndUndefined() {
    assertNull(golden(null, "05"));
    assertSame(Amf0.UNDEFINED, golden(Amf0.UNDEFINED, "06"));
    assertSame(Undefined.INSTANCE, Amf0.UNDEFINED);
  }

  @Test
  void object() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("a", 1.0);
    Object read = golden(object, "03 00 01 61 00 3F F0 00 00 00 00 00 00 00 00 09");
    assertEquals(LinkedHashMap.class, read.getClass());
  }

  @Test
  void objectKeepsInsertionOrder() {
    Map<String, Object> object = new LinkedHashMap<>();
    for (String key : List.of("z", "b", "y", "a", "x")) {
      object.put(key, key);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> read = (Map<String, Object>) roundTrip(object);
    assertEquals(List.of("z", "b", "y", "a", "x"), new ArrayList<>(read.keySet()));
  }

  @Test
  void anyMapIsWrittenAsObject() {
    Map<String, Object> map = new HashMap<>();
    map.put("k", "v");
    ByteBuf out = buffers.empty();
    Amf0.write(out, map);
    assertEquals(compact("03 00 01 6B 02 00 01 76 00 00 09"), hexOf(out));
  }

  @Test
  void ecmaArray() {
    EcmaArray array = new EcmaArray();
    array.put("duration", 0.0);
    array.put("width", 1280.0);
    Object read = golden(array, """
        08 00 00 00 02
        00 08 64 75 72 61 74 69 6F 6E 00 00 00 00 00 00 00 00 00
        00 05 77 69 64 74 68 00 40 94 00 00 00 00 00 00
        00 00 09""");
    assertEquals(EcmaArray.class, read.getClass());
  }

  @Test
  void strictArray() {
    List<Object> list = Arrays.asList(1.0, "a", null);
    Object read = golden(list, "0A 00 00 00 03 00 3F F0 00 00 00 00 00 00 02 00 01 61 05");
    assertEquals(ArrayList.class, read.getClass());
  }

  @Test
  void date() {
    // 1000 ms = 0x408F400000000000, then the time zone written as 0 (AMF0 spec 2.13).
    Object read = golden(Instant.ofEpochMilli(1000), "0B 40 8F 40 00 00 00 00 00 00 00");
    assertInstanceOf(Instant.class, read);
  }

  @Test
  void dateTimeZoneIsIgnoredOnRead() {
    assertEquals(Instant.ofEpochMilli(1000), Amf0.read(buffers.hex("0B 40 8F 40 00 00 00 00 00 FF 88")));
  }

  @Test
  void longStringAbove65535Bytes() {
    String text = "a".repeat(65536);
    ByteBuf out = buffers.empty();
    Amf0.write(out, text);
    assertEquals(1 + 4 + 65536, out.readableBytes());
    assertEquals(compact("0C 00 01 00 00 61"), hexOf(out.slice(0, 6)));
    assertEquals(text, Amf0.read(out));
    assertFalse(out.isReadable());
  }

  @Test
  void stringOfExactly65535BytesStaysShort() {
    String text = "b".repeat(65535);
    ByteBuf out = buffers.empty();
    Amf0.write(out, text);
    assertEquals(compact("02 FF FF 62"), hexOf(out.slice(0, 4)));
    assertEquals(text, Amf0.read(out));
  }

  @Test
  void multiByteCharactersCountTowardsTheLongStringThreshold() {
    String text = "é".repeat(40000); // 40000 chars, 80000 UTF-8 bytes
    ByteBuf out = buffers.empty();
    Amf0.write(out, text);
    assertEquals(compact("0C 00 01 38 80"), hexOf(out.slice(0, 5)));
    assertEquals(text, Amf0.read(out));
  }

  @Test
  void nestedValuesRoundTrip() {
    EcmaArray metadata = new EcmaArray();
    metadata.put("encoder", "Lavf59.27.100");
    metadata.put("tags", new ArrayList<>(List.of("x", 2.0)));
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("meta", metadata);
    object.put("when", Instant.ofEpochMilli(1_700_000_000_000L));
    object.put("nothing", null);
    object.put("undef", Amf0.UNDEFINED);
    object.put("long", "L".repeat(70000));
    object.put("list", new ArrayList<>(Arrays.asList(new LinkedHashMap<>(Map.of("k", true)), null)));
    Object read = roundTrip(object);
    assertEquals(object, read);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) read;
    assertEquals(EcmaArray.class, map.get("meta").getClass());
  }

  @Test
  void writeAllAndReadAll() {
    ByteBuf out = buffers.empty();
    Amf0.writeAll(out, "onStatus", 0, null, Amf0.UNDEFINED, "end");
    assertEquals(compact("02 00 08 6F 6E 53 74 61 74 75 73 00 00 00 00 00 00 00 00 00 05 06 02 00 03 65 6E 64"),
        hexOf(out));
    assertEquals(Arrays.asList("onStatus", 0.0, null, Amf0.UNDEFINED, "end"), Amf0.readAll(out));
    assertFalse(out.isReadable());
  }

  @Test
  void readAllOfNothingIsEmpty() {
    assertTrue(Amf0.readAll(buffers.empty()).isEmpty());
  }

  @Test
  void typedObjectReadsAsObjectWithoutClassName() {
    ByteBuf in = buffers.hex("10 00 03 46 6F 6F 00 01 61 01 01 00 00 09");
    Object read = Amf0.read(in);
    assertEquals(LinkedHashMap.class, read.getClass());
    assertEquals(Map.of("a", true), read);
  }

  @Test
  void referenceReturnsTheReferencedObject() {
    // [ {a: true}, ref 1 ]: the strict array is reference 0, the object reference 1 (AMF0 spec 2.9).
    ByteBuf in = buffers.hex("0A 00 00 00 02 03 00 01 61 01 01 00 00 09 07 00 01");
    List<?> list = (List<?>) Amf0.read(in);
    assertEquals(Map.of("a", true), list.get(0));
    assertSame(list.get(0), list.get(1));
  }

  @Test
  void xmlDocumentReadsAsString() {
    assertEquals("<a/>", Amf0.read(buffers.hex("0F 00 00 00 04 3C 61 2F 3E")));
  }

  @Test
  void ecmaArrayWithWrongCountIsReadToItsEndMarker() {
    // Declares 5 entries, has 1, then a further value follows the end marker.
    ByteBuf in = buffers.hex("08 00 00 00 05 00 01 61 01 01 00 00 09 02 00 01 62");
    assertEquals(Map.of("a", true), Amf0.read(in));
    assertEquals("b", Amf0.read(in));
  }

  @Test
  void ecmaArrayWithoutEndMarkerEndsWithTheBuffer() {
    assertEquals(Map.of("a", true), Amf0.read(buffers.hex("08 00 00 00 01 00 01 61 01 01")));
    assertEquals(Map.of("a", true), Amf0.read(buffers.hex("08 00 00 00 01 00 01 61 01 01 00 00")));
  }

  @Test
  void ecmaArrayEntryWithAnEmptyNameIsDroppedAndTheRestWritesBack() {
    // a = true, "" = 5.0, b = "c", end. A fuzz finding: the entry named "" could not be written back as AMF0.
    Object read = Amf0.read(buffers.hex("08 00 00 00 03 00 01 61 01 01 00 00 00 40 14 00 00 00 00 00 00"
        + " 00 01 62 02 00 01 63 00 00 09"));
    assertEquals(Map.of("a", true, "b", "c"), read);
    ByteBuf out = buffers.empty();
    Amf0.write(out, read);
    assertEquals(read, Amf0.read(out));
  }

  @Test
  void unsupportedJavaTypeIsRefusedAndNothingWritten() {
    ByteBuf out = buffers.empty();
    Amf0.write(out, "kept");
    int written = out.writerIndex();
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("ok", 1.0);
    object.put("bad", new Object());
    assertThrows(IllegalArgumentException.class, () -> Amf0.write(out, object));
    assertThrows(IllegalArgumentException.class, () -> Amf0.writeAll(out, 1.0, 'c'));
    assertThrows(IllegalArgumentException.class, () -> Amf0.write(out, Map.of(1, "non-string key")));
    assertEquals(written, out.writerIndex());
  }

  @Test
  void selfReferencingMapIsRefusedNotAStackOverflow() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("self", object);
    assertThrows(IllegalArgumentException.class, () -> Amf0.write(buffers.empty(), object));
  }

  @Test
  void amf3ByteArrayIsWrittenBackAsAmf3() {
    // Found by AmfFuzzTest.amf3: an AMF3 ByteArray read from a client had no AMF0 form, so it could not be relayed.
    ByteBuf out = buffers.empty();
    Amf0.write(out, new byte[] {1, 2, 3});
    assertEquals("110c07010203", hexOf(out));
    byte[] large = new byte[300]; // a two-byte U29: 300 << 1 | 1 = 0x259
    Amf0.write(out.clear(), large);
    assertEquals("110c8459", hexOf(out).substring(0, 8));
    assertArrayEquals(large, (byte[]) Amf0.read(out));
  }

  @Test
  void amf3ValueInsideAmf0Object() {
    // {x: avmplus-object(AMF3 integer 5)}
    ByteBuf in = buffers.hex("03 00 01 78 11 04 05 00 00 09");
    assertEquals(Map.of("x", 5.0), Amf0.read(in));
  }

  @Test
  void stringsDecodeAsUtf8() {
    byte[] utf8 = "直播".getBytes(StandardCharsets.UTF_8);
    ByteBuf in = buffers.empty().writeByte(0x02).writeShort(utf8.length).writeBytes(utf8);
    assertEquals("直播", Amf0.read(in));
  }
}
