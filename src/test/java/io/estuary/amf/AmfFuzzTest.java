package io.estuary.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz targets for the AMF readers, which parse what clients put in connect, publish and play commands and in
 * metadata. Only {@link AmfException} may escape a read, a failed read leaves the reader index where it was, and what
 * was read can be written back as AMF0 (the server relays a publisher's metadata to its players).
 */
@Timeout(10)
class AmfFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void amf0(byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    List<Object> values;
    try {
      values = Amf0.readAll(in);
    } catch (AmfException e) {
      assertEquals(0, in.readerIndex(), "reader index after a failed read");
      return;
    }
    ByteBuf out = Unpooled.buffer();
    try {
      Amf0.writeAll(out, values.toArray());
    } finally {
      out.release();
    }
  }

  @FuzzTest(maxDuration = "2m")
  void amf3(byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    Object value;
    try {
      value = Amf3.read(in);
    } catch (AmfException e) {
      assertEquals(0, in.readerIndex(), "reader index after a failed read");
      return;
    }
    ByteBuf out = Unpooled.buffer();
    try {
      Amf0.write(out, value);
    } finally {
      out.release();
    }
  }
}
