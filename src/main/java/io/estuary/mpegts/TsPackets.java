package io.estuary.mpegts;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** The fixed-layout pieces of transport stream packets and PES headers (ISO/IEC 13818-1 2.4.3 and 2.4.3.6). */
final class TsPackets {

  static final int PACKET_SIZE = 188;
  static final int SYNC_BYTE = 0x47;
  /** Bytes of a packet after its 4-byte header. */
  static final int PACKET_PAYLOAD = PACKET_SIZE - 4;
  /** The 33-bit wrap of PTS, DTS and the PCR base (90 kHz). */
  static final long TIMESTAMP_MASK = (1L << 33) - 1;

  static final int ADAPTATION_RANDOM_ACCESS = 0x40;
  static final int ADAPTATION_PCR = 0x10;
  static final int PCR_LENGTH = 6;

  private static final byte[] STUFFING = new byte[PACKET_SIZE];

  static {
    Arrays.fill(STUFFING, (byte) 0xff);
  }

  private TsPackets() {
  }

  /** The 4-byte packet header (2.4.3.2): sync byte, payload_unit_start_indicator, PID, adaptation, counter. */
  static void writeHeader(ByteBuf out, int pid, boolean unitStart, boolean adaptation, int continuityCounter) {
    out.writeByte(SYNC_BYTE);
    out.writeShort((unitStart ? 0x4000 : 0) | pid); // transport_error 0, transport_priority 0
    out.writeByte((adaptation ? 0x30 : 0x10) | continuityCounter); // not scrambled, payload present
  }

  /**
   * An adaptation field (2.4.3.4) of {@code length} bytes after its length byte: flags, an optional PCR (a base
   * of -1 for none), then 0xff stuffing. A length of 0 is the single stuffing byte form.
   */
  static void writeAdaptation(ByteBuf out, int length, long pcrBase, boolean randomAccess) {
    out.writeByte(length);
    if (length == 0) {
      return;
    }
    out.writeByte((randomAccess ? ADAPTATION_RANDOM_ACCESS : 0) | (pcrBase >= 0 ? ADAPTATION_PCR : 0));
    int stuffing = length - 1;
    if (pcrBase >= 0) {
      writePcr(out, pcrBase);
      stuffing -= PCR_LENGTH;
    }
    out.writeBytes(STUFFING, 0, stuffing);
  }

  /** program_clock_reference (2.4.3.5): a 33-bit base at 90 kHz, 6 reserved bits, a 9-bit extension of 0. */
  static void writePcr(ByteBuf out, long base) {
    base &= TIMESTAMP_MASK;
    out.writeInt((int) (base >>> 1));
    out.writeByte((int) (base & 1) << 7 | 0x7e); // extension high bit 0
    out.writeByte(0); // extension
  }

  /** Stuffing bytes to pad a PSI packet after its section (2.4.4: 0xff after the last section). */
  static void writeStuffing(ByteBuf out, int n) {
    out.writeBytes(STUFFING, 0, n);
  }

  /** The bytes of a PES header with PTS only, or with PTS and DTS. */
  static int pesHeaderLength(boolean withDts) {
    return withDts ? 19 : 14;
  }

  /**
   * A PES packet header (2.4.3.6) with PTS, and DTS when it differs from PTS. {@code packetLength} is
   * PES_packet_length: the bytes after it, or 0 for unbounded (allowed for video only).
   */
  static void writePesHeader(ByteBuf out, int streamId, long pts, long dts, int packetLength) {
    boolean withDts = pts != dts;
    out.writeInt(0x000001 << 8 | streamId); // packet_start_code_prefix, stream_id
    out.writeShort(packetLength);
    out.writeByte(0x80); // '10', not scrambled, no priority, alignment, copyright or original flags
    out.writeByte(withDts ? 0xc0 : 0x80); // PTS_DTS_flags; no other optional fields
    out.writeByte(withDts ? 10 : 5); // PES_header_data_length
    writeTimestamp(out, withDts ? 0b0011 : 0b0010, pts);
    if (withDts) {
      writeTimestamp(out, 0b0001, dts);
    }
  }

  /** A 33-bit timestamp in 5 bytes with its 4-bit prefix and three marker bits (2.4.3.7). */
  static void writeTimestamp(ByteBuf out, int prefix, long ts) {
    ts &= TIMESTAMP_MASK;
    out.writeByte(prefix << 4 | (int) (ts >>> 29) & 0x0e | 1);
    out.writeShort((int) (ts >>> 14) & 0xfffe | 1);
    out.writeShort((int) (ts << 1) & 0xfffe | 1);
  }
}
