package io.estuary.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF3 values. One instance owns the string, object and traits reference tables (AMF3 spec 2.2) for one
 * top-level read.
 */
final class Amf3Reader {

  private static final int UNDEFINED = 0x00;
  private static final int NULL = 0x01;
  private static final int FALSE = 0x02;
  private static final int TRUE = 0x03;
  private static final int INTEGER = 0x04;
  private static final int DOUBLE = 0x05;
  private static final int STRING = 0x06;
  private static final int XML_DOC = 0x07;
  private static final int DATE = 0x08;
  private static final int ARRAY = 0x09;
  private static final int OBJECT = 0x0A;
  private static final int XML = 0x0B;
  private static final int BYTE_ARRAY = 0x0C;

  private record Traits(boolean dynamic, List<String> sealedNames) {
  }

  private final ByteBuf in;
  private final List<String> strings = new ArrayList<>();
  private final List<Object> objects = new ArrayList<>();
  /** The object-table entries still being read (arrays, objects): a reference to one would make a value contain itself. */
  private final BitSet open = new BitSet();
  private final List<Traits> traits = new ArrayList<>();

  Amf3Reader(ByteBuf in) {
    this.in = in;
  }

  Object read(int depth) {
    if (depth > Amf0.MAX_DEPTH) {
      throw new AmfException("AMF3 value nested deeper than " + Amf0.MAX_DEPTH + " at offset " + in.readerIndex());
    }
    int offset = in.readerIndex();
    need(1, "AMF3 marker");
    int marker = in.readUnsignedByte();
    switch (marker) {
      case UNDEFINED:
        return Amf0.UNDEFINED;
      case NULL:
        return null;
      case FALSE:
        return Boolean.FALSE;
      case TRUE:
        return Boolean.TRUE;
      case INTEGER:
        // AMF3 spec 3.6: a 29-bit two's-complement integer.
        return (double) ((readU29() << 3) >> 3);
      case DOUBLE:
        need(8, "AMF3 double");
        return in.readDouble();
      case STRING:
        return readString();
      case XML_DOC:
      case XML:
        return readXml();
      case DATE:
        return readDate();
      case ARRAY:
        return readArray(depth);
      case OBJECT:
        return readObject(depth);
      case BYTE_ARRAY:
        return readByteArray();
      default:
        throw new AmfException(String.format("unknown AMF3 marker 0x%02x at offset %d", marker, offset));
    }
  }

  /** AMF3 spec 1.3.1: 1 to 4 bytes, 7 bits each with a continuation bit, all 8 bits of the fourth. */
  private int readU29() {
    int value = 0;
    for (int i = 0; i < 3; i++) {
      need(1, "AMF3 U29");
      int b = in.readUnsignedByte();
      value = (value << 7) | (b & 0x7F);
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    need(1, "AMF3 U29");
    return (value << 8) | in.readUnsignedByte();
  }

  /** AMF3 spec 1.3.2: low bit 0 is a string reference; the empty string is never added to the table. */
  private String readString() {
    int header = readU29();
    if ((header & 1) == 0) {
      int index = header >> 1;
      if (index >= strings.size()) {
        throw outOfRange("string", index, strings.size());
      }
      return strings.get(index);
    }
    String s = readUtf8(header >> 1, "AMF3 string");
    if (!s.isEmpty()) {
      strings.add(s);
    }
    return s;
  }

  private Object readXml() {
    int header = readU29();
    if ((header & 1) == 0) {
      return objectReference(header >> 1);
    }
    String xml = readUtf8(header >> 1, "AMF3 XML");
    objects.add(xml); // AMF3 spec 3.9, 3.13: XML goes in the object table, not the string table
    return xml;
  }

  private Object readDate() {
    int header = readU29();
    if ((header & 1) == 0) {
      return objectReference(header >> 1);
    }
    need(8, "AMF3 date");
    Instant date = Instant.ofEpochMilli((long) in.readDouble());
    objects.add(date);
    return date;
  }

  private Object readArray(int depth) {
    int header = readU29();
    if ((header & 1) == 0) {
      return objectReference(header >> 1);
    }
    int denseCount = header >> 1;
    // AMF3 spec 3.11: associative part first, ended by the empty string, then the dense part.
    String key = readString();
    if (key.isEmpty()) {
      checkCount(denseCount, "AMF3 array");
      List<Object> list = new ArrayList<>(Math.min(denseCount, Amf0.MAX_INITIAL_CAPACITY));
      int index = opened(list);
      for (int i = 0; i < denseCount; i++) {
        list.add(read(depth + 1));
      }
      open.clear(index);
      return list;
    }
    EcmaArray array = new EcmaArray();
    int index = opened(array); // reading the first key touched only the string table, so the index is the array's own
    while (!key.isEmpty()) {
      array.put(key, read(depth + 1));
      key = readString();
    }
    checkCount(denseCount, "AMF3 array");
    for (int i = 0; i < denseCount; i++) {
      array.put(Integer.toString(i), read(depth + 1));
    }
    open.clear(index);
    return array;
  }

  private Object readObject(int depth) {
    int header = readU29();
    if ((header & 1) == 0) {
      return objectReference(header >> 1);
    }
    Traits objectTraits;
    if ((header & 2) == 0) {
      int index = header >> 2;
      if (index >= traits.size()) {
        throw outOfRange("traits", index, traits.size());
      }
      objectTraits = traits.get(index);
    } else {
      // AMF3 spec 3.12: U29O-traits carries externalizable (bit 2), dynamic (bit 3) and the sealed count.
      String className = readString();
      if ((header & 4) != 0) {
        throw new AmfException("externalizable AMF3 object not supported (class '" + className + "')");
      }
      int sealedCount = header >> 4;
      checkCount(sealedCount, "AMF3 traits");
      List<String> names = new ArrayList<>(Math.min(sealedCount, Amf0.MAX_INITIAL_CAPACITY));
      for (int i = 0; i < sealedCount; i++) {
        int offset = in.readerIndex();
        String name = readString();
        if (name.isEmpty()) {
          // AMF0, which relays the value to players, has no empty property name (it ends an object).
          throw new AmfException("empty AMF3 sealed member name at offset " + offset);
        }
        names.add(name);
      }
      objectTraits = new Traits((header & 8) != 0, names);
      traits.add(objectTraits);
    }
    Map<String, Object> object = new LinkedHashMap<>();
    int index = opened(object);
    for (String name : objectTraits.sealedNames()) {
      object.put(name, read(depth + 1));
    }
    if (objectTraits.dynamic()) {
      for (String key = readString(); !key.isEmpty(); key = readString()) {
        object.put(key, read(depth + 1));
      }
    }
    open.clear(index);
    return object;
  }

  private Object readByteArray() {
    int header = readU29();
    if ((header & 1) == 0) {
      return objectReference(header >> 1);
    }
    int length = header >> 1;
    need(length, "AMF3 ByteArray");
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    objects.add(bytes);
    return bytes;
  }

  private Object objectReference(int index) {
    if (index >= objects.size()) {
      throw outOfRange("object", index, objects.size());
    }
    if (open.get(index)) {
      // As in AMF0: Java collections could hold a value containing itself, but no encoder could write it back (and the
      // server relays what it reads), so it is refused.
      throw new AmfException("AMF3 reference " + index + " to an object that contains it, at offset "
          + in.readerIndex());
    }
    return objects.get(index);
  }

  /** Adds {@code value} to the object table as being read; its index. */
  private int opened(Object value) {
    objects.add(value);
    int index = objects.size() - 1;
    open.set(index);
    return index;
  }

  private AmfException outOfRange(String table, int index, int size) {
    return new AmfException("AMF3 " + table + " reference " + index + " out of range, " + size
        + " in table, at offset " + in.readerIndex());
  }

  /** Every item takes at least one byte, so a longer declared count cannot be honest. */
  private void checkCount(int count, String what) {
    if (count > in.readableBytes()) {
      throw new AmfException(what + " of " + count + " items truncated, " + in.readableBytes() + " bytes readable");
    }
  }

  private String readUtf8(int length, String what) {
    need(length, what);
    return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
  }

  private void need(int length, String what) {
    if (length > in.readableBytes()) {
      throw AmfException.truncated(what, length, in.readableBytes());
    }
  }
}
