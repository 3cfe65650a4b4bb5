package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The chunk basic header (RTMP spec 5.3.1.1): 2 bits of format, then the chunk stream id in one byte (2..63),
 * two bytes (0, then id - 64: 64..319) or three bytes (1, then id - 64 as 16 bits little-endian: 64..65599).
 */
final class BasicHeader {
  static final int MIN_CSID = 2;
  static final int MAX_CSID = 65599;

  private BasicHeader() {
  }

  /** Length of the basic header that starts with this byte: 1, 2 or 3. */
  static int length(int firstByte) {
    return switch (firstByte & 0x3F) {
      case 0 -> 2;
      case 1 -> 3;
      default -> 1;
    };
  }

  /** Length of the shortest basic header for a chunk stream id. */
  static int lengthOf(int csid) {
    return csid < 64 ? 1 : csid < 320 ? 2 : 3;
  }

  /** The chunk stream id of the basic header at {@code index}; all {@link #length} bytes must be readable. */
  static int chunkStreamId(ByteBuf in, int index) {
    int first = in.getUnsignedByte(index) & 0x3F;
    return switch (first) {
      case 0 -> 64 + in.getUnsignedByte(index + 1);
      case 1 -> 64 + in.getUnsignedShortLE(index + 1);
      default -> first;
    };
  }

  /** Writes the shortest basic header for this format and chunk stream id. */
  static void write(ByteBuf out, int fmt, int csid) {
    if (csid < MIN_CSID || csid > MAX_CSID) {
      throw new IllegalArgumentException("chunk stream id must be in [2, 65599]: " + csid);
    }
    if (csid < 64) {
      out.writeByte(fmt << 6 | csid);
    } else if (csid < 320) {
      out.writeByte(fmt << 6).writeByte(csid - 64);
    } else {
      out.writeByte(fmt << 6 | 1).writeShortLE(csid - 64);
    }
  }
}
