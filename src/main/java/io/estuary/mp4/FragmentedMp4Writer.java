package io.estuary.mp4;

import io.netty.buffer.ByteBuf;

/**
 * STUB: the signatures of the hub-mp4 branch's fragmented MP4 writer, so that the DVR compiles before it lands. The
 * integrator replaces this file with the real writer.
 */
public final class FragmentedMp4Writer {

  public FragmentedMp4Writer(boolean hasVideo, boolean hasAudio) {
    throw new UnsupportedOperationException("stub: the real writer comes from the hub-mp4 branch");
  }

  public void write(int tagType, long dtsMs, ByteBuf body, ByteBuf out) {
    throw new UnsupportedOperationException("stub");
  }

  public void finish(ByteBuf out) {
    throw new UnsupportedOperationException("stub");
  }

  public static String unsupportedCodec(int tagType, ByteBuf body) {
    throw new UnsupportedOperationException("stub");
  }

  public long durationMs() {
    throw new UnsupportedOperationException("stub");
  }
}
