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
 * Decodes one top-level AMF0 value. One instance per top-level value: it owns that value's reference table
 * (AMF0 spec 2.9) and, once a 0x11 marker is seen, the AMF3 reference tables.
 */
final class Amf0Reader {

  private final ByteBuf in;
  /** Objects, typed objects, ECMA and strict arrays in the order they began (AMF0 spec 2.9). */
  private final List<Object> references = new ArrayList<>();
  /** Indexes of {@link #references} still being read: a reference to one would make a cycle. */
  private final BitSet open = new BitSet();
  private Amf3Reader amf3;

  Amf0Reader(ByteBuf in) {
    this.in = in;
  }

  Object read(int depth) {
    if (depth > Amf0.MAX_DEPTH) {
      throw new AmfException("AMF0 value nested deeper than " + Amf0.MAX_DEPTH + " at offset " + in.readerIndex());
    }
    int offset = in.readerIndex();
    need(1, "AMF0 marker");
    int marker = in.readUnsignedByte();
    switch (marker) {
      case Amf0Marker.NUMBER:
        need(8, "AMF0 number");
        return in.readDouble();
      case Amf0Marker.BOOLEAN:
        need(1, "AMF0 boolean");
        return in.readByte() != 0;
      case Amf0Marker.STRING:
        return readShortString("AMF0 string");
      case Amf0Marker.OBJECT:
        return readObject(depth);
      case Amf0Marker.NULL:
        return null;
      case Amf0Marker.UNDEFINED:
        return Amf0.UNDEFINED;
      case Amf0Marker.REFERENCE:
        return readReference();
      case Amf0Marker.ECMA_ARRAY:
        return readEcmaArray(depth);
      case Amf0Marker.STRICT_ARRAY:
        return readStrictArray(depth);
      case Amf0Marker.DATE:
        // AMF0 spec 2.13: the time-zone field is reserved and ignored.
        need(10, "AMF0 date");
        double millis = in.readDouble();
        in.skipBytes(2);
        return Instant.ofEpochMilli((long) millis);
      case Amf0Marker.LONG_STRING:
        return readLongString("AMF0 long string");
      case Amf0Marker.XML_DOCUMENT:
        return readLongString("AMF0 XML document"); // AMF0 spec 2.17: encoded as a long string
      case Amf0Marker.TYPED_OBJECT:
        readShortString("AMF0 typed-object class name"); // AMF0 spec 2.18: the class name is dropped
        return readObject(depth);
      case Amf0Marker.AVMPLUS_OBJECT:
        // AMF0 spec 3.1: the next value, and only it, is AMF3.
        if (amf3 == null) {
          amf3 = new Amf3Reader(in);
        }
        return amf3.read(depth);
      case Amf0Marker.OBJECT_END:
        throw new AmfException("AMF0 object-end marker 0x09 outside an object at offset " + offset);
      default:
        throw new AmfException(String.format("unknown AMF0 marker 0x%02x at offset %d", marker, offset));
    }
  }

  private Map<String, Object> readObject(int depth) {
    Map<String, Object> object = new LinkedHashMap<>();
    int index = begin(object);
    while (true) {
      String key = readShortString("AMF0 property name");
      if (key.isEmpty()) {
        // AMF0 spec 2.5: an empty name then 0x09 ends the object.
        need(1, "AMF0 object-end marker");
        int end = in.readUnsignedByte();
        if (end != Amf0Marker.OBJECT_END) {
          throw new AmfException(String.format("AMF0 object-end marker expected after empty name, got 0x%02x at offset %d",
              end, in.readerIndex() - 1));
        }
        open.clear(index);
        return object;
      }
      object.put(key, read(depth + 1));
    }
  }

  private EcmaArray readEcmaArray(int depth) {
    need(4, "AMF0 ECMA array count");
    // AMF0 spec 2.10 gives a count, but encoders get it wrong, so entries are read until the end marker.
    in.skipBytes(4);
    EcmaArray array = new EcmaArray();
    int index = begin(array);
    while (in.isReadable()) {
      String key = readShortString("AMF0 ECMA array key");
      if (key.isEmpty()) {
        // Some encoders omit the 0x09 after the empty name; the buffer ending is then the end.
        if (!in.isReadable()) {
          break;
        }
        if (in.getUnsignedByte(in.readerIndex()) == Amf0Marker.OBJECT_END) {
          in.skipBytes(1);
          break;
        }
        // An entry with an empty name (SRS reads it too): read and dropped, since AMF0, which relays the array to
        // players, cannot write it (an empty name ends an array there).
        read(depth + 1);
        continue;
      }
      array.put(key, read(depth + 1));
    }
    open.clear(index);
    return array;
  }

  private List<Object> readStrictArray(int depth) {
    need(4, "AMF0 strict array count");
    long count = in.readUnsignedInt();
    // Every value takes at least its one marker byte, so a longer count cannot be honest.
    if (count > in.readableBytes()) {
      throw new AmfException("AMF0 strict array of " + count + " values truncated, " + in.readableBytes()
          + " bytes readable");
    }
    List<Object> list = new ArrayList<>((int) Math.min(count, Amf0.MAX_INITIAL_CAPACITY));
    int index = begin(list);
    for (long i = 0; i < count; i++) {
      list.add(read(depth + 1));
    }
    open.clear(index);
    return list;
  }

  private Object readReference() {
    need(2, "AMF0 reference");
    int index = in.readUnsignedShort();
    if (index >= references.size()) {
      throw new AmfException("AMF0 reference " + index + " out of range, " + references.size()
          + " objects so far, at offset " + (in.readerIndex() - 2));
    }
    if (open.get(index)) {
      // A value containing itself: Java collections could hold it, but no encoder could write it back (and the
      // server relays metadata), so it is refused here.
      throw new AmfException("AMF0 reference " + index + " to an object that contains it, at offset "
          + (in.readerIndex() - 2));
    }
    return references.get(index);
  }

  /** Adds a complex value to the reference table as it begins; its index stays open until it is read whole. */
  private int begin(Object value) {
    int index = references.size();
    references.add(value);
    open.set(index);
    return index;
  }

  private String readShortString(String what) {
    need(2, what + " length");
    int length = in.readUnsignedShort();
    return readUtf8(length, what);
  }

  private String readLongString(String what) {
    need(4, what + " length");
    long length = in.readUnsignedInt();
    return readUtf8(length, what);
  }

  private String readUtf8(long length, String what) {
    need(length, what);
    return in.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
  }

  private void need(long length, String what) {
    if (length > in.readableBytes()) {
      throw AmfException.truncated(what, length, in.readableBytes());
    }
  }
}
