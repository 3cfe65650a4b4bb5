package io.estuary.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Untrusted bytes: every failure is an AmfException that says what was wrong, and the reader index is kept. */
class MalformedInputTest {

  @RegisterExtension
  final Buffers buffers = new Buffers();

  private AmfException amf0Fails(ByteBuf in) {
    int start = in.readerIndex();
    AmfException e = assertThrows(AmfException.class, () -> Amf0.readAll(in));
    assertEquals(start, in.readerIndex(), "reader index must be restored");
    return e;
  }

  private AmfException amf0Fails(String hex) {
    return amf0Fails(buffers.hex(hex));
  }

  private AmfException amf3Fails(String hex) {
    ByteBuf in = buffers.hex(hex);
    AmfException e = assertThrows(AmfException.class, () -> Amf3.read(in));
    assertEquals(0, in.readerIndex(), "reader index must be restored");
    return e;
  }

  @Test
  void unknownMarker() {
    assertEquals("unknown AMF0 marker 0x1f at offset 9", amf0Fails("00 3F F0 00 00 00 00 00 00 1F").getMessage());
    assertEquals("unknown AMF0 marker 0x0d at offset 0", amf0Fails("0D").getMessage());
  }

  @Test
  void truncatedString() {
    assertEquals("AMF0 string of 9 bytes truncated, 3 readable", amf0Fails("02 00 09 61 62 63").getMessage());
    assertEquals("AMF0 string length of 2 bytes truncated, 1 readable", amf0Fails("02 00").getMessage());
  }

  @Test
  void truncatedNumber() {
    assertEquals("AMF0 number of 8 bytes truncated, 2 readable", amf0Fails("00 3F F0").getMessage());
  }

  @Test
  void hugeDeclaredLongStringIsRefusedBeforeAllocating() {
    AmfException e = amf0Fails("0C 7F FF FF FF 61 62 63");
    assertEquals("AMF0 long string of 2147483647 bytes truncated, 3 readable", e.getMessage());
    assertTrue(amf0Fails("0C FF FF FF FF 61").getMessage().contains("4294967295"));
    assertTrue(amf0Fails("0F 7F FF FF FF 61").getMessage().contains("AMF0 XML document of 2147483647 bytes"));
  }

  @Test
  void hugeDeclaredArrayCountIsRefusedBeforeAllocating() {
    assertEquals("AMF0 strict array of 4294967295 values truncated, 2 bytes readable",
        amf0Fails("0A FF FF FF FF 05 05").getMessage());
    assertTrue(amf3Fails("09 FF FF FF FF 01 05").getMessage().startsWith("AMF3 array of 268435455 items truncated"));
    assertTrue(amf3Fails("06 FF FF FF FF 61").getMessage().startsWith("AMF3 string of 268435455 bytes truncated"));
    assertTrue(amf3Fails("0C FF FF FF FF 61").getMessage().startsWith("AMF3 ByteArray of 268435455 bytes"));
  }

  @Test
  void depthBombOfNestedObjects() {
    ByteBuf in = buffers.empty();
    for (int i = 0; i < 1000; i++) {
      in.writeBytes(new byte[] {0x03, 0x00, 0x01, 'a'});
    }
    in.writeByte(0x05);
    for (int i = 0; i < 1000; i++) {
      in.writeBytes(new byte[] {0x00, 0x00, 0x09});
    }
    assertTrue(amf0Fails(in).getMessage().startsWith("AMF0 value nested deeper than 64"));
  }

  @Test
  void depthBombOfArraysAndAmf3() {
    ByteBuf strict = buffers.empty();
    for (int i = 0; i < 1000; i++) {
      strict.writeBytes(new byte[] {0x0A, 0x00, 0x00, 0x00, 0x01});
    }
    strict.writeByte(0x05);
    assertTrue(amf0Fails(strict).getMessage().contains("nested deeper than 64"));

    // AMF3 arrays of one element each, behind one 0x11: the depth carries over from AMF0 into AMF3.
    ByteBuf amf3 = buffers.empty().writeByte(0x11);
    for (int i = 0; i < 1000; i++) {
      amf3.writeBytes(new byte[] {0x09, 0x03, 0x01});
    }
    amf3.writeByte(0x01);
    assertTrue(amf0Fails(amf3).getMessage().startsWith("AMF3 value nested deeper than 64"));
  }

  @Test
  void externalizableAmf3Object() {
    // 0x07: inline traits, externalizable; class "x".
    AmfException e = amf0Fails("11 0A 07 03 78 00 00");
    assertTrue(e.getMessage().startsWith("externalizable AMF3 object not supported"), e.getMessage());
    assertTrue(amf3Fails("0A 07 03 78").getMessage().startsWith("externalizable AMF3 object not supported"));
  }

  @Test
  void emptySealedMemberName() {
    // 0x1B: inline traits, dynamic, 1 sealed member named "" (0x01), class "C". A fuzz finding: AMF0 cannot write it.
    assertEquals("empty AMF3 sealed member name at offset 4", amf3Fails("0A 1B 03 43 01 03").getMessage());
    assertTrue(amf0Fails("11 0A 1B 03 43 01 03").getMessage().startsWith("empty AMF3 sealed member name"));
  }

  @Test
  void badReferences() {
    assertTrue(amf0Fails("07 00 05").getMessage().startsWith("AMF0 reference 5 out of range"));
    assertTrue(amf3Fails("06 02").getMessage().startsWith("AMF3 string reference 1 out of range"));
    assertTrue(amf3Fails("0A 00").getMessage().startsWith("AMF3 object reference 0 out of range"));
    assertTrue(amf3Fails("0A 05").getMessage().startsWith("AMF3 traits reference 1 out of range"));
  }

  @Test
  void objectStructure() {
    assertEquals("AMF0 property name length of 2 bytes truncated, 0 readable",
        amf0Fails("03 00 01 61 05").getMessage());
    assertTrue(amf0Fails("03 00 00 05").getMessage().startsWith("AMF0 object-end marker expected"));
    assertTrue(amf0Fails("09").getMessage().startsWith("AMF0 object-end marker 0x09 outside an object"));
    assertTrue(amf0Fails("08 00 00 00 01 00 01 61").getMessage().startsWith("AMF0 marker of 1 byte truncated"));
  }

  @Test
  void truncatedAmf3() {
    assertEquals("AMF3 U29 of 1 byte truncated, 0 readable", amf3Fails("04 FF").getMessage());
    assertEquals("AMF3 double of 8 bytes truncated, 1 readable", amf3Fails("05 3F").getMessage());
    assertEquals("unknown AMF3 marker 0x0d at offset 1", amf0Fails("11 0D").getMessage());
  }

  @Test
  void failureLeavesEarlierValuesUnconsumed() {
    ByteBuf in = buffers.hex("02 00 01 61 02 00 09 61");
    amf0Fails(in);
    assertEquals("a", Amf0.read(in));
    assertThrows(AmfException.class, () -> Amf0.read(in));
    assertEquals(4, in.readerIndex());
  }

  @Test
  void referenceToAnEnclosingObjectIsACycle() {
    // A strict array of one value: reference 0, the array itself (found by AmfFuzzTest.amf0). Read, it could not be
    // written back: the server relays a publisher's metadata.
    assertEquals("AMF0 reference 0 to an object that contains it, at offset 6",
        amf0Fails("0A 00 00 00 01 07 00 00").getMessage());
    // The same object referenced twice side by side is no cycle.
    assertEquals(2, ((List<?>) Amf0.read(buffers.hex("0A 00 00 00 02 03 00 00 09 07 00 01"))).size());
  }

  @Test
  void amf3ReferenceToAnEnclosingObjectIsACycle() {
    // A dense array of one value: object reference 0, the array itself.
    assertEquals("AMF3 reference 0 to an object that contains it, at offset 5", amf3Fails("09 03 01 09 00").getMessage());
    // An object whose member is itself: traits inline, dynamic, no sealed names; key "a" then reference 0.
    assertEquals("AMF3 reference 0 to an object that contains it, at offset 7",
        amf3Fails("0A 0B 01 03 61 0A 00").getMessage());
    // An array holding an earlier, finished array twice is no cycle.
    assertEquals(3, ((List<?>) Amf3.read(buffers.hex("09 07 01 09 01 01 09 02 09 02"))).size());
  }
}
