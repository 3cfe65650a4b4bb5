package io.estuary.mpegts;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The payload of one PES packet as a list of pieces of other buffers (start codes, parameter sets, NAL units of
 * the FLV body), copied once, packet by packet, into the output. Reused from PES to PES: it holds no reference
 * counts, only indexes into buffers the caller keeps alive during the write.
 */
final class PesPayload {

  private ByteBuf[] buffers = new ByteBuf[16];
  private int[] offsets = new int[16];
  private int[] lengths = new int[16];
  private int count;
  private int length;
  private int piece; // the copy cursor: current piece and bytes of it already copied
  private int copied;

  void clear() {
    Arrays.fill(buffers, 0, count, null);
    count = 0;
    length = 0;
    piece = 0;
    copied = 0;
  }

  /** Appends {@code length} bytes of {@code buf} from {@code offset}; returns the piece's position. */
  int add(ByteBuf buf, int offset, int length) {
    if (count == buffers.length) {
      buffers = Arrays.copyOf(buffers, count * 2);
      offsets = Arrays.copyOf(offsets, count * 2);
      lengths = Arrays.copyOf(lengths, count * 2);
    }
    buffers[count] = buf;
    offsets[count] = offset;
    lengths[count] = length;
    this.length += length;
    return count++;
  }

  /** Changes the length of an added piece: a placeholder filled in once the rest is known. */
  void setLength(int position, int length) {
    this.length += length - lengths[position];
    lengths[position] = length;
  }

  int length() {
    return length;
  }

  /** Copies the next {@code n} bytes into {@code out}. */
  void copyTo(ByteBuf out, int n) {
    while (n > 0) {
      if (piece == count) {
        throw new IllegalStateException(n + " bytes asked past the end of a " + length + "-byte payload");
      }
      int available = lengths[piece] - copied;
      if (available == 0) {
        piece++;
        copied = 0;
        continue;
      }
      int take = Math.min(n, available);
      out.writeBytes(buffers[piece], offsets[piece] + copied, take);
      copied += take;
      n -= take;
    }
  }
}
