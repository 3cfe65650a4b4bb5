package io.estuary.amf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Test buffers from hex, each released (and checked released) after the test. */
final class Buffers implements AfterEachCallback {

  private final List<ByteBuf> buffers = new ArrayList<>();

  /** A buffer holding the bytes written as hex; spaces and line breaks are ignored. */
  ByteBuf hex(String hex) {
    return track(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", ""))));
  }

  ByteBuf empty() {
    return track(Unpooled.buffer());
  }

  static String hexOf(ByteBuf buf) {
    return ByteBufUtil.hexDump(buf);
  }

  static String compact(String hex) {
    return hex.replaceAll("\\s", "").toLowerCase();
  }

  private ByteBuf track(ByteBuf buf) {
    buffers.add(buf);
    return buf;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (ByteBuf buf : buffers) {
      assertTrue(buf.release(), "buffer still referenced after the test");
    }
    buffers.clear();
  }
}
