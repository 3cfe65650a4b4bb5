package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

import static io.estuary.rtmp.message.RtmpMessage.TYPE_AUDIO;
import static io.estuary.rtmp.message.RtmpMessage.TYPE_DATA_AMF0;
import static io.estuary.rtmp.message.RtmpMessage.TYPE_DATA_AMF3;
import static io.estuary.rtmp.message.RtmpMessage.TYPE_VIDEO;

/**
 * An aggregate message (type 22, RTMP spec 7.1.6): FLV-tag-like sub-messages, each type(1) size(3) timestamp(3)
 * timestamp-extension(1) stream-id(3) body back-pointer(4). Their timestamps are re-based on the aggregate's own:
 * the first sub-message gets the aggregate's timestamp, the others keep their distance to the first.
 */
final class Aggregate {
  private static final int SUB_HEADER_SIZE = 11;
  private static final int BACK_POINTER_SIZE = 4;

  private Aggregate() {
  }

  /** Adds the audio, video and data sub-messages to {@code out}; takes ownership of {@code body}. */
  static void split(int streamId, long timestamp, ByteBuf body, List<Object> out) {
    List<RtmpMessage> parts = new ArrayList<>();
    try {
      long first = -1;
      while (body.isReadable()) {
        if (body.readableBytes() < SUB_HEADER_SIZE) {
          throw new RtmpException("aggregate message on stream " + streamId + ": truncated sub-message header, "
              + body.readableBytes() + " bytes left");
        }
        int typeId = body.readUnsignedByte();
        int size = body.readUnsignedMedium();
        long subTimestamp = body.readUnsignedMedium() | (long) body.readUnsignedByte() << 24;
        body.skipBytes(3); // the sub-message's stream id: the aggregate's own applies
        if (body.readableBytes() < size) {
          throw new RtmpException("aggregate message on stream " + streamId + ": sub-message of " + size
              + " bytes, only " + body.readableBytes() + " left");
        }
        if (first < 0) {
          first = subTimestamp;
        }
        long rebased = (timestamp + subTimestamp - first) & 0xFFFFFFFFL;
        ByteBuf subBody = body.readRetainedSlice(size);
        if (typeId == TYPE_AUDIO || typeId == TYPE_VIDEO || typeId == TYPE_DATA_AMF0 || typeId == TYPE_DATA_AMF3) {
          parts.add(MessageBody.decode(typeId, streamId, rebased, subBody));
        } else {
          subBody.release(); // control messages and nested aggregates make no sense here
        }
        body.skipBytes(Math.min(BACK_POINTER_SIZE, body.readableBytes())); // some muxers omit the last one
      }
      out.addAll(parts);
    } catch (RuntimeException e) {
      parts.forEach(ReferenceCountUtil::release);
      throw e;
    } finally {
      body.release();
    }
  }
}
