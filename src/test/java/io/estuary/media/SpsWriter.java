package io.estuary.media;

import java.io.ByteArrayOutputStream;

/** Builds bitstreams by hand for test vectors: fixed fields, Exp-Golomb codes, and NAL emulation prevention. */
final class SpsWriter {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private int current;
  private int bits;

  SpsWriter u(int n, long value) {
    for (int i = n - 1; i >= 0; i--) {
      current = current << 1 | (int) (value >> i & 1);
      if (++bits == 8) {
        bytes.write(current);
        current = 0;
        bits = 0;
      }
    }
    return this;
  }

  SpsWriter ue(long value) {
    long codeNum = value + 1;
    int length = 63 - Long.numberOfLeadingZeros(codeNum);
    u(length, 0);
    return u(length + 1, codeNum);
  }

  SpsWriter se(int value) {
    return ue(value > 0 ? 2L * value - 1 : -2L * value);
  }

  /** rbsp_trailing_bits, then the NAL unit: header byte {@code 0x67} and the RBSP with 00 00 0x escaped. */
  byte[] nal() {
    u(1, 1);
    while (bits != 0) {
      u(1, 0);
    }
    byte[] rbsp = bytes.toByteArray();
    ByteArrayOutputStream nal = new ByteArrayOutputStream();
    nal.write(0x67);
    int zeros = 0;
    for (byte b : rbsp) {
      if (zeros >= 2 && (b & 0xff) <= 3) {
        nal.write(3);
        zeros = 0;
      }
      nal.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return nal.toByteArray();
  }
}
