package io.estuary.flv;

import io.estuary.amf.Amf0;
import io.estuary.amf.EcmaArray;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.Map;

/**
 * Writes FLV framing (FLV spec v10.1, annex E) around tag bodies that the caller already holds.
 *
 * <p>The server shares one payload between every HTTP-FLV player of a stream. A player's bytes for one message
 * are its own tag header ({@link #writeTagHeader}, which carries the player's timestamp), then a
 * {@code retainedDuplicate()} of the shared payload, then {@link #writePreviousTagSize}: O(1) work per player and
 * no payload byte copied. {@link #tag} assembles exactly that as one buffer.
 */
public final class FlvWriter {

  /** FLV header (9 bytes, spec E.2) plus PreviousTagSize0 (4 bytes, spec E.3). */
  public static final int HEADER_LENGTH = 13;
  /** Tag header: type, DataSize, Timestamp, TimestampExtended, StreamID (spec E.4.1). */
  public static final int TAG_HEADER_LENGTH = 11;
  public static final int PREVIOUS_TAG_SIZE_LENGTH = 4;
  /** DataSize is a UI24. */
  public static final int MAX_DATA_SIZE = 0xFFFFFF;

  private static final int FLAG_AUDIO = 0x04;
  private static final int FLAG_VIDEO = 0x01;

  private FlvWriter() {
  }

  /** The 9-byte FLV header, version 1, then PreviousTagSize0 = 0: 13 bytes in all. */
  public static ByteBuf header(ByteBufAllocator alloc, boolean hasAudio, boolean hasVideo) {
    ByteBuf out = alloc.buffer(HEADER_LENGTH);
    out.writeByte('F').writeByte('L').writeByte('V').writeByte(1);
    out.writeByte((hasAudio ? FLAG_AUDIO : 0) | (hasVideo ? FLAG_VIDEO : 0));
    out.writeInt(9); // DataOffset: the header's own length
    out.writeInt(0); // PreviousTagSize0
    return out;
  }

  /**
   * The 11-byte tag header. The timestamp is written as its low 24 bits then bits 24-31 in TimestampExtended, so
   * an RTMP timestamp (unsigned 32 bits) survives unchanged; StreamID is always 0.
   *
   * @throws IllegalArgumentException when {@code dataSize} does not fit the 24-bit DataSize
   */
  public static void writeTagHeader(ByteBuf out, int tagType, long timestampMs, int dataSize) {
    checkDataSize(dataSize);
    out.writeByte(tagType & 0x1F);
    out.writeMedium(dataSize);
    out.writeMedium((int) (timestampMs & 0xFFFFFF));
    out.writeByte((int) (timestampMs >>> 24) & 0xFF);
    out.writeMedium(0);
  }

  /** PreviousTagSize after a tag with {@code dataSize} body bytes: the tag header's 11 plus the body. */
  public static void writePreviousTagSize(ByteBuf out, int dataSize) {
    checkDataSize(dataSize);
    out.writeInt(TAG_HEADER_LENGTH + dataSize);
  }

  /**
   * One whole tag: header, a retained duplicate of {@code payload} (its readable bytes; the caller keeps its own
   * reference and its reader index), and PreviousTagSize. Header and trailer share one 15-byte allocation, so the
   * payload is never copied and the cost does not depend on its size.
   */
  public static ByteBuf tag(ByteBufAllocator alloc, int tagType, long timestampMs, ByteBuf payload) {
    int size = payload.readableBytes();
    ByteBuf own = alloc.buffer(TAG_HEADER_LENGTH + PREVIOUS_TAG_SIZE_LENGTH);
    CompositeByteBuf tag = alloc.compositeBuffer(3);
    try {
      writeTagHeader(own, tagType, timestampMs, size);
      writePreviousTagSize(own, size);
      // The composite takes one reference per component; ours is released below.
      return tag.addComponent(true, own.retainedSlice(0, TAG_HEADER_LENGTH))
          .addComponent(true, payload.retainedDuplicate())
          .addComponent(true, own.retainedSlice(TAG_HEADER_LENGTH, PREVIOUS_TAG_SIZE_LENGTH));
    } catch (RuntimeException e) {
      tag.release();
      throw e;
    } finally {
      own.release();
    }
  }

  /** A script data body (spec E.4.4): the string "onMetaData" then {@code metadata} as an AMF0 ECMA array. */
  public static ByteBuf onMetaData(ByteBufAllocator alloc, Map<String, ?> metadata) {
    EcmaArray array = metadata instanceof EcmaArray a ? a : new EcmaArray(metadata);
    ByteBuf out = alloc.buffer();
    try {
      Amf0.writeAll(out, ScriptData.ON_METADATA, array);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  private static void checkDataSize(int dataSize) {
    if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
      throw new IllegalArgumentException("FLV tag data size " + dataSize + " outside 0.." + MAX_DATA_SIZE);
    }
  }
}
