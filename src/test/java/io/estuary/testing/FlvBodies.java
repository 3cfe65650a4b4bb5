package io.estuary.testing;

import io.netty.buffer.ByteBufUtil;

import java.io.ByteArrayOutputStream;

/** FLV tag bodies and bytes written by hand, for codec and muxer tests. */
public final class FlvBodies {

  private FlvBodies() {
  }

  /** The bytes of a hex string; white space is ignored. */
  public static byte[] hex(String hex) {
    return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", ""));
  }

  /** A legacy FLV AVC video tag body: frame type, codec 7, AVCPacketType 1, composition time, NALUs. */
  public static byte[] video(boolean keyframe, int cts, byte[]... nalus) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(keyframe ? 0x17 : 0x27);
    b.write(1);
    b.write(cts >> 16);
    b.write(cts >> 8);
    b.write(cts);
    for (byte[] nalu : nalus) {
      b.write(nalu.length >>> 24);
      b.write(nalu.length >> 16);
      b.write(nalu.length >> 8);
      b.write(nalu.length);
      b.writeBytes(nalu);
    }
    return b.toByteArray();
  }
}
