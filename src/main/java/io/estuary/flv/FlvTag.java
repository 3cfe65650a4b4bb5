package io.estuary.flv;

import io.estuary.media.FlvTags;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One FLV tag (FLV spec v10.1, E.4.1) as read from a file or an HTTP-FLV stream: its type (8 audio, 9 video,
 * 18 script data), its timestamp in milliseconds and its body. The body is the RTMP message payload; when read by
 * {@link FlvReader} it is a retained slice of the input, so the tag must be released.
 *
 * @param type      the tag type, the low 5 bits of the first tag byte
 * @param timestamp milliseconds, the 24-bit timestamp extended by its high byte: an unsigned 32-bit value, as
 *                  RTMP timestamps are
 * @param body      the tag body, owned by this tag
 */
public record FlvTag(int type, long timestamp, ByteBuf body) implements ReferenceCounted {

  public boolean isAudio() {
    return type == FlvTags.TAG_AUDIO;
  }

  public boolean isVideo() {
    return type == FlvTags.TAG_VIDEO;
  }

  public boolean isScript() {
    return type == FlvTags.TAG_SCRIPT;
  }

  @Override
  public int refCnt() {
    return body.refCnt();
  }

  @Override
  public FlvTag retain() {
    body.retain();
    return this;
  }

  @Override
  public FlvTag retain(int increment) {
    body.retain(increment);
    return this;
  }

  @Override
  public FlvTag touch() {
    body.touch();
    return this;
  }

  @Override
  public FlvTag touch(Object hint) {
    body.touch(hint);
    return this;
  }

  @Override
  public boolean release() {
    return body.release();
  }

  @Override
  public boolean release(int decrement) {
    return body.release(decrement);
  }

  @Override
  public String toString() {
    return "FlvTag{type=" + type + ", ts=" + timestamp + ", size=" + body.readableBytes() + "}";
  }
}
