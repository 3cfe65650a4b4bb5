package io.estuary.mpegts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Splits muxer output into transport packets and PES packets, checking the framing as it goes. */
final class TsReader {

  /** One transport packet; {@code adaptation} excludes the adaptation_field_length byte, null when absent. */
  record Packet(int pid, boolean unitStart, int counter, byte[] adaptation, byte[] payload) {

    boolean hasPcr() {
      return adaptation != null && adaptation.length > 0 && (adaptation[0] & 0x10) != 0;
    }

    boolean randomAccess() {
      return adaptation != null && adaptation.length > 0 && (adaptation[0] & 0x40) != 0;
    }

    long pcrBase() {
      long base = 0;
      for (int i = 1; i <= 4; i++) {
        base = base << 8 | (adaptation[i] & 0xff);
      }
      return base << 1 | (adaptation[5] & 0xff) >> 7;
    }
  }

  /** A reassembled PES packet: header fields and the elementary stream bytes. */
  record Pes(int streamId, int packetLength, long pts, long dts, byte[] data, Packet first) {
  }

  private TsReader() {
  }

  static List<Packet> packets(ByteBuf ts) {
    byte[] bytes = ByteBufUtil.getBytes(ts);
    assertEquals(0, bytes.length % 188, "whole 188-byte packets");
    List<Packet> packets = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += 188) {
      assertEquals(0x47, bytes[i] & 0xff, "sync byte at " + i);
      int pid = (bytes[i + 1] & 0x1f) << 8 | bytes[i + 2] & 0xff;
      boolean unitStart = (bytes[i + 1] & 0x40) != 0;
      int control = (bytes[i + 3] >> 4) & 3;
      int counter = bytes[i + 3] & 0x0f;
      int p = i + 4;
      byte[] adaptation = null;
      if ((control & 2) != 0) {
        int length = bytes[p] & 0xff;
        adaptation = java.util.Arrays.copyOfRange(bytes, p + 1, p + 1 + length);
        p += 1 + length;
      }
      assertTrue((control & 1) != 0, "every packet carries payload");
      packets.add(new Packet(pid, unitStart, counter, adaptation, java.util.Arrays.copyOfRange(bytes, p, i + 188)));
    }
    return packets;
  }

  static List<Packet> packets(List<Packet> packets, int pid) {
    return packets.stream().filter(p -> p.pid() == pid).toList();
  }

  static List<Pes> pes(List<Packet> all, int pid) {
    List<Pes> result = new ArrayList<>();
    ByteArrayOutputStream current = null;
    Packet first = null;
    for (Packet p : packets(all, pid)) {
      if (p.unitStart()) {
        if (current != null) {
          result.add(parse(current.toByteArray(), first));
        }
        current = new ByteArrayOutputStream();
        first = p;
      }
      if (current != null) {
        current.writeBytes(p.payload());
      }
    }
    if (current != null) {
      result.add(parse(current.toByteArray(), first));
    }
    return result;
  }

  private static Pes parse(byte[] b, Packet first) {
    assertEquals(0x000001, (b[0] & 0xff) << 16 | (b[1] & 0xff) << 8 | b[2] & 0xff, "packet_start_code_prefix");
    int streamId = b[3] & 0xff;
    int packetLength = (b[4] & 0xff) << 8 | b[5] & 0xff;
    if (packetLength != 0) {
      assertEquals(b.length - 6, packetLength, "PES_packet_length");
    }
    int flags = (b[7] & 0xff) >> 6;
    int headerDataLength = b[8] & 0xff;
    long pts = flags >= 2 ? timestamp(b, 9) : -1;
    long dts = flags == 3 ? timestamp(b, 14) : pts;
    byte[] data = java.util.Arrays.copyOfRange(b, 9 + headerDataLength, b.length);
    return new Pes(streamId, packetLength, pts, dts, data, first);
  }

  static long timestamp(byte[] b, int i) {
    assertEquals(1, b[i] & 1, "marker bit");
    assertEquals(1, b[i + 2] & 1, "marker bit");
    assertEquals(1, b[i + 4] & 1, "marker bit");
    return (long) (b[i] & 0x0e) << 29 | (b[i + 1] & 0xff) << 22 | (b[i + 2] & 0xfe) << 14 | (b[i + 3] & 0xff) << 7
        | (b[i + 4] & 0xff) >> 1;
  }
}
