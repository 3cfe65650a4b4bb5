package io.estuary.mp4;

import io.estuary.media.FourCc;
import io.netty.buffer.ByteBuf;

/**
 * Writing ISO BMFF boxes (ISO/IEC 14496-12 4.2) into a ByteBuf: a box is started with a placeholder size, its contents
 * written, and its size back-patched when it ends, so nothing is measured twice.
 */
final class Boxes {

  static final int FTYP = FourCc.of("ftyp");
  static final int MOOV = FourCc.of("moov");
  static final int MVHD = FourCc.of("mvhd");
  static final int TRAK = FourCc.of("trak");
  static final int TKHD = FourCc.of("tkhd");
  static final int MDIA = FourCc.of("mdia");
  static final int MDHD = FourCc.of("mdhd");
  static final int HDLR = FourCc.of("hdlr");
  static final int MINF = FourCc.of("minf");
  static final int VMHD = FourCc.of("vmhd");
  static final int SMHD = FourCc.of("smhd");
  static final int DINF = FourCc.of("dinf");
  static final int DREF = FourCc.of("dref");
  static final int URL = FourCc.of("url ");
  static final int STBL = FourCc.of("stbl");
  static final int STSD = FourCc.of("stsd");
  static final int STTS = FourCc.of("stts");
  static final int STSC = FourCc.of("stsc");
  static final int STSZ = FourCc.of("stsz");
  static final int STCO = FourCc.of("stco");
  static final int MVEX = FourCc.of("mvex");
  static final int TREX = FourCc.of("trex");
  static final int MOOF = FourCc.of("moof");
  static final int MFHD = FourCc.of("mfhd");
  static final int TRAF = FourCc.of("traf");
  static final int TFHD = FourCc.of("tfhd");
  static final int TFDT = FourCc.of("tfdt");
  static final int TRUN = FourCc.of("trun");
  static final int MDAT = FourCc.of("mdat");
  static final int MFRA = FourCc.of("mfra");
  static final int TFRA = FourCc.of("tfra");
  static final int MFRO = FourCc.of("mfro");
  static final int ESDS = FourCc.of("esds");
  static final int DOPS = FourCc.of("dOps");

  /** The unity matrix of mvhd and tkhd (ISO/IEC 14496-12 8.2.2.2): 16.16 and 2.30 fixed point. */
  private static final int[] UNITY_MATRIX = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};

  private Boxes() {
  }

  /** Starts a box: a placeholder size and the type. Returns where it starts, for {@link #end}. */
  static int start(ByteBuf out, int type) {
    int at = out.writerIndex();
    out.writeInt(0);
    out.writeInt(type);
    return at;
  }

  /** Starts a FullBox: as {@link #start}, then version UI8 and flags UI24. */
  static int startFull(ByteBuf out, int type, int version, int flags) {
    int at = start(out, type);
    out.writeInt(version << 24 | flags);
    return at;
  }

  /** Ends the box started at {@code at}: its size is what was written since. */
  static void end(ByteBuf out, int at) {
    out.setInt(at, out.writerIndex() - at);
  }

  /** A box whose contents are {@code payload}. */
  static void box(ByteBuf out, int type, byte[] payload) {
    out.writeInt(8 + payload.length);
    out.writeInt(type);
    out.writeBytes(payload);
  }

  static void matrix(ByteBuf out) {
    for (int v : UNITY_MATRIX) {
      out.writeInt(v);
    }
  }

  /**
   * Starts an MPEG-4 descriptor (ISO/IEC 14496-1 7.2.2.1, as in esds): its tag and a 4-byte expandable size, patched by
   * {@link #endDescriptor}. The 4-byte form is valid for any size, and what FFmpeg writes too.
   */
  static int startDescriptor(ByteBuf out, int tag) {
    out.writeByte(tag);
    int at = out.writerIndex();
    out.writeInt(0);
    return at;
  }

  static void endDescriptor(ByteBuf out, int at) {
    int size = out.writerIndex() - at - 4;
    out.setByte(at, 0x80 | size >> 21 & 0x7f);
    out.setByte(at + 1, 0x80 | size >> 14 & 0x7f);
    out.setByte(at + 2, 0x80 | size >> 7 & 0x7f);
    out.setByte(at + 3, size & 0x7f);
  }
}
