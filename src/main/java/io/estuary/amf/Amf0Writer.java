package io.estuary.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Encodes Java values as AMF0; the mapping is the reverse of {@link Amf0Reader}. No references are written. */
final class Amf0Writer {

  private static final int MAX_SHORT_STRING = 0xFFFF;

  private static final int AMF3_BYTE_ARRAY = 0x0C;
  /** A U29 holds 29 bits; the length takes 28 of them next to the inline flag. */
  private static final int MAX_U29_LENGTH = (1 << 28) - 1;

  private Amf0Writer() {
  }

  static void write(ByteBuf out, Object value, int depth) {
    if (depth > Amf0.MAX_DEPTH) {
      // Also stops a self-referencing map or list, which would otherwise recurse forever.
      throw new IllegalArgumentException("AMF0 value nested deeper than " + Amf0.MAX_DEPTH);
    }
    if (value == null) {
      out.writeByte(Amf0Marker.NULL);
    } else if (value == Amf0.UNDEFINED) {
      out.writeByte(Amf0Marker.UNDEFINED);
    } else if (value instanceof Number n) {
      out.writeByte(Amf0Marker.NUMBER);
      out.writeDouble(n.doubleValue());
    } else if (value instanceof Boolean b) {
      out.writeByte(Amf0Marker.BOOLEAN);
      out.writeByte(b ? 1 : 0);
    } else if (value instanceof String s) {
      writeString(out, s);
    } else if (value instanceof EcmaArray array) {
      // AMF0 spec 2.10: the count is advisory, the entries end like an object's.
      out.writeByte(Amf0Marker.ECMA_ARRAY);
      out.writeInt(array.size());
      writeProperties(out, array, depth);
    } else if (value instanceof Map<?, ?> map) {
      out.writeByte(Amf0Marker.OBJECT);
      writeProperties(out, map, depth);
    } else if (value instanceof List<?> list) {
      out.writeByte(Amf0Marker.STRICT_ARRAY);
      out.writeInt(list.size());
      for (Object item : list) {
        write(out, item, depth + 1);
      }
    } else if (value instanceof Instant instant) {
      // AMF0 spec 2.13: milliseconds since the epoch, then a time zone that "should be" 0.
      out.writeByte(Amf0Marker.DATE);
      out.writeDouble(epochMillis(instant));
      out.writeShort(0);
    } else if (value instanceof byte[] bytes) {
      writeByteArray(out, bytes);
    } else {
      throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
    }
  }

  /**
   * An AMF3 ByteArray (what {@link Amf3} reads one as) has no AMF0 form of its own: it goes behind the avmplus-object
   * marker, as AMF3 (AMF0 spec 3.1, AMF3 spec 3.14), length and inline flag in a U29.
   */
  private static void writeByteArray(ByteBuf out, byte[] bytes) {
    if (bytes.length > MAX_U29_LENGTH) {
      throw new IllegalArgumentException("AMF3 ByteArray of " + bytes.length + " bytes exceeds " + MAX_U29_LENGTH);
    }
    out.writeByte(Amf0Marker.AVMPLUS_OBJECT);
    out.writeByte(AMF3_BYTE_ARRAY);
    int u29 = bytes.length << 1 | 1;
    if (u29 < 0x80) {
      out.writeByte(u29);
    } else if (u29 < 0x4000) {
      out.writeByte(u29 >> 7 | 0x80).writeByte(u29 & 0x7f);
    } else if (u29 < 0x200000) {
      out.writeByte(u29 >> 14 | 0x80).writeByte(u29 >> 7 & 0x7f | 0x80).writeByte(u29 & 0x7f);
    } else {
      out.writeByte(u29 >> 22 | 0x80).writeByte(u29 >> 15 & 0x7f | 0x80).writeByte(u29 >> 8 & 0x7f | 0x80)
          .writeByte(u29 & 0xff);
    }
    out.writeBytes(bytes);
  }

  private static long epochMillis(Instant instant) {
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("AMF0 date out of range: " + instant, e);
    }
  }

  private static void writeString(ByteBuf out, String s) {
    int length = ByteBufUtil.utf8Bytes(s);
    if (length > MAX_SHORT_STRING) {
      out.writeByte(Amf0Marker.LONG_STRING); // AMF0 spec 2.14: a u32 length
      out.writeInt(length);
    } else {
      out.writeByte(Amf0Marker.STRING);
      out.writeShort(length);
    }
    out.writeCharSequence(s, StandardCharsets.UTF_8);
  }

  private static void writeProperties(ByteBuf out, Map<?, ?> map, int depth) {
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        throw new IllegalArgumentException("AMF0 object key must be a String, got " + entry.getKey());
      }
      writeKey(out, key);
      write(out, entry.getValue(), depth + 1);
    }
    // AMF0 spec 2.5: an empty key then the object-end marker closes the property list.
    out.writeShort(0);
    out.writeByte(Amf0Marker.OBJECT_END);
  }

  private static void writeKey(ByteBuf out, String key) {
    int length = ByteBufUtil.utf8Bytes(key);
    if (length > MAX_SHORT_STRING) {
      throw new IllegalArgumentException("AMF0 property name of " + length + " bytes exceeds 65535");
    }
    if (length == 0) {
      // An empty name would be read back as the end of the object.
      throw new IllegalArgumentException("AMF0 property name must not be empty");
    }
    out.writeShort(length);
    out.writeCharSequence(key, StandardCharsets.UTF_8);
  }
}
