package io.estuary.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * AMF0 (Adobe AMF0 spec) values as carried by RTMP command and data messages.
 *
 * <p>Java mapping: number → {@link Double}, boolean → {@link Boolean}, string and long string → {@link String},
 * object and typed object → {@link java.util.LinkedHashMap}, ECMA array → {@link EcmaArray}, strict array →
 * {@link ArrayList}, null → {@code null}, undefined → {@link #UNDEFINED}, date → {@link java.time.Instant},
 * XML document → {@link String}. A value behind the avmplus-object marker 0x11 is read as AMF3 ({@link Amf3}); an AMF3
 * ByteArray ({@code byte[]}) is written back that way.
 *
 * <p>Readers keep no state between calls: reference tables live for one top-level value. When a read fails the
 * reader index is left where it was.
 */
public final class Amf0 {

  public static final Object UNDEFINED = Undefined.INSTANCE;

  /** Deepest nesting of objects and arrays accepted, so hostile input cannot exhaust the stack. */
  static final int MAX_DEPTH = 64;

  /** Declared element counts are untrusted: collections start no larger than this and grow as values arrive. */
  static final int MAX_INITIAL_CAPACITY = 256;

  private Amf0() {
  }

  /** Reads one AMF0 value. */
  public static Object read(ByteBuf in) {
    int start = in.readerIndex();
    try {
      return new Amf0Reader(in).read(0);
    } catch (RuntimeException e) {
      in.readerIndex(start);
      throw e;
    }
  }

  /** Reads AMF0 values until the buffer is exhausted; each value has its own reference tables (AMF0 spec 2.9). */
  public static List<Object> readAll(ByteBuf in) {
    int start = in.readerIndex();
    List<Object> values = new ArrayList<>();
    try {
      while (in.isReadable()) {
        values.add(new Amf0Reader(in).read(0));
      }
      return values;
    } catch (RuntimeException e) {
      in.readerIndex(start);
      throw e;
    }
  }

  /**
   * Writes one value as AMF0. Leaves {@code out} unchanged when it throws.
   *
   * @throws IllegalArgumentException for a Java type with no AMF0 form, a non-String map key or nesting deeper
   *     than {@value #MAX_DEPTH}
   */
  public static void write(ByteBuf out, Object value) {
    int start = out.writerIndex();
    try {
      Amf0Writer.write(out, value, 0);
    } catch (RuntimeException e) {
      out.writerIndex(start);
      throw e;
    }
  }

  /** Writes the values in order, as in a command message body. Leaves {@code out} unchanged when it throws. */
  public static void writeAll(ByteBuf out, Object... values) {
    int start = out.writerIndex();
    try {
      for (Object value : values) {
        Amf0Writer.write(out, value, 0);
      }
    } catch (RuntimeException e) {
      out.writerIndex(start);
      throw e;
    }
  }
}
