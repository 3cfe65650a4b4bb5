package io.estuary.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * An audio (8) or video (9) message. The payload is the FLV tag body (FLV spec E.4.2 / E.4.3, or enhanced
 * RTMP), reference counted: whoever holds the record owns one reference and must release it.
 */
public record Media(int typeId, int streamId, long timestamp, ByteBuf payload) implements RtmpMessage, ReferenceCounted {

  public boolean isAudio() {
    return typeId == TYPE_AUDIO;
  }

  public boolean isVideo() {
    return typeId == TYPE_VIDEO;
  }

  @Override public int refCnt() { return payload.refCnt(); }
  @Override public Media retain() { payload.retain(); return this; }
  @Override public Media retain(int increment) { payload.retain(increment); return this; }
  @Override public Media touch() { payload.touch(); return this; }
  @Override public Media touch(Object hint) { payload.touch(hint); return this; }
  @Override public boolean release() { return payload.release(); }
  @Override public boolean release(int decrement) { return payload.release(decrement); }
}
