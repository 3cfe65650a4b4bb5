package io.estuary.amf;

import io.netty.buffer.ByteBuf;

/**
 * AMF3 (Adobe AMF3 spec) values, read-only: RTMP peers send AMF3 inside AMF0 (marker 0x11) and the server answers
 * in AMF0.
 *
 * <p>Java mapping: undefined → {@link Amf0#UNDEFINED}, null → {@code null}, false/true → {@link Boolean}, integer
 * and double → {@link Double}, string, XML and XMLDocument → {@link String}, date → {@link java.time.Instant},
 * array → {@link java.util.ArrayList}, or {@link EcmaArray} when it has an associative part (dense items keyed
 * "0", "1", ... after the associative ones), object → {@link java.util.LinkedHashMap} (sealed then dynamic members),
 * ByteArray → {@code byte[]}. Externalizable objects are refused.
 */
public final class Amf3 {

  private Amf3() {
  }

  /** Reads one AMF3 value with fresh reference tables. When it throws the reader index is left where it was. */
  public static Object read(ByteBuf in) {
    int start = in.readerIndex();
    try {
      return new Amf3Reader(in).read(0);
    } catch (RuntimeException e) {
      in.readerIndex(start);
      throw e;
    }
  }
}
