package io.estuary.media;

/**
 * Reads a bitstream most significant bit first, as the H.264 and AAC syntax tables are written: fixed-width
 * fields and Exp-Golomb codes (ITU-T H.264 9.1). Reading past the end throws {@link MediaFormatException}.
 */
public final class BitReader {

  /** The longest Exp-Golomb prefix read: 31 leading zeros would not fit the value in an int. */
  private static final int MAX_LEADING_ZEROS = 30;

  private final byte[] data;
  private final int end;
  private final String what;
  private long position; // in bits from the start of data

  /** Reads all of {@code data}; {@code what} names the structure in error messages (e.g. "SPS"). */
  public BitReader(byte[] data, String what) {
    this(data, 0, data.length, what);
  }

  public BitReader(byte[] data, int offset, int length, String what) {
    if (offset < 0 || length < 0 || offset + length > data.length) {
      throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + data.length);
    }
    this.data = data;
    this.end = offset + length;
    this.position = offset * 8L;
    this.what = what;
  }

  /** Bits left to read. */
  public long bitsLeft() {
    return end * 8L - position;
  }

  public boolean readFlag() {
    return readBits(1) == 1;
  }

  /** An unsigned field of {@code n} bits, 0 to 32 (u(n) in H.264 7.2). */
  public long readBits(int n) {
    if (n < 0 || n > 32) {
      throw new IllegalArgumentException("cannot read " + n + " bits at once");
    }
    require(n);
    long value = 0;
    for (int i = 0; i < n; i++) {
      int b = data[(int) (position >>> 3)] >> (7 - (int) (position & 7)) & 1;
      value = value << 1 | b;
      position++;
    }
    return value;
  }

  /** An unsigned field of {@code n} bits, 0 to 31, as an int. */
  public int readInt(int n) {
    if (n > 31) {
      throw new IllegalArgumentException("an int holds at most 31 unsigned bits, not " + n);
    }
    return (int) readBits(n);
  }

  public void skipBits(long n) {
    require(n);
    position += n;
  }

  /** ue(v): an unsigned Exp-Golomb code (H.264 9.1), up to 2^31 - 2. */
  public int readUe() {
    int leadingZeros = 0;
    while (readBits(1) == 0) {
      if (++leadingZeros > MAX_LEADING_ZEROS) {
        throw new MediaFormatException(what + ": Exp-Golomb code with more than " + MAX_LEADING_ZEROS
            + " leading zeros at bit " + (position - 1));
      }
    }
    return (int) ((1L << leadingZeros) - 1 + readBits(leadingZeros));
  }

  /** se(v): a signed Exp-Golomb code (H.264 9.1.1): 1, -1, 2, -2, ... for codeNum 1, 2, 3, 4, ... */
  public int readSe() {
    int k = readUe();
    return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
  }

  private void require(long n) {
    if (n > bitsLeft()) {
      throw new MediaFormatException(what + " truncated: " + n + " more bits needed at bit " + position
          + ", " + bitsLeft() + " left");
    }
  }
}
