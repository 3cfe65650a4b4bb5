package io.estuary.rtmp.codec;

import io.netty.buffer.CompositeByteBuf;

/**
 * What a chunk stream remembers between chunks (RTMP spec 5.3.1.2): the last message header, which later chunks
 * with format 1, 2 and 3 inherit, and the message being assembled.
 */
final class ChunkStream {
  /** Absolute timestamp of the current message, 32 bits. */
  long timestamp;
  /** The last timestamp field: a delta for formats 1 and 2, the absolute time for format 0. Format 3 reuses it. */
  long timestampField;
  /** Whether the last message header's timestamp was in the extended field; then format 3 chunks carry it too. */
  boolean extended;
  int length;
  int typeId;
  int streamId;

  /** The message being assembled from several chunks, or null: retained slices of the input, not copies. */
  CompositeByteBuf partial;

  boolean assembling() {
    return partial != null;
  }

  int received() {
    return partial == null ? 0 : partial.readableBytes();
  }

  /** Drops the partly received message, if any (on abort, close or removal). */
  void discardPartial() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
  }
}
