package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex helpers for golden-byte tests. */
final class Bytes {
  private Bytes() {
  }

  /** A buffer from hex digits; spaces and line breaks are ignored. */
  static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
  }

  /** The readable bytes as hex, and releases the buffer (asserting it was the last reference). */
  static String hexAndRelease(ByteBuf buf) {
    String hex = ByteBufUtil.hexDump(buf);
    if (!buf.release()) {
      throw new AssertionError("buffer still referenced after release: refCnt " + buf.refCnt());
    }
    return hex;
  }

  static byte[] bytesAndRelease(ByteBuf buf) {
    byte[] bytes = ByteBufUtil.getBytes(buf);
    if (!buf.release()) {
      throw new AssertionError("buffer still referenced after release: refCnt " + buf.refCnt());
    }
    return bytes;
  }
}
