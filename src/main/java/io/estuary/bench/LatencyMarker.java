package io.estuary.bench;

import io.estuary.media.FlvTags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Marks video frames so that the bench's players can tell which sent frame they received, whatever the server
 * does to timestamps (time_jitter), and whichever protocol carries it (RTMP, HTTP-FLV).
 *
 * <p>The mark is an H.264/H.265 SEI NAL unit, {@code user_data_unregistered} (H.264 D.1.6 / H.265 D.2.6), inserted
 * before the frame's first NAL unit (H.264 7.4.1.2.3: SEI precedes the slices of an access unit): a 16-byte UUID
 * ({@code EstuaryBenchMark}) and an 8-byte sequence number. Decoders skip it; nothing is re-encoded. The sequence
 * is written 7 bits per byte with the top bit set, so the SEI payload holds no zero bytes and needs no emulation
 * prevention. Only legacy AVC (codec 7) and HEVC (12) NALU tags are marked; other video goes unmarked.
 *
 * <p>Layout after the 5-byte FLV video header: NALU length (1, 2 or 4 bytes, from the decoder configuration), NAL
 * header (1 byte H.264, 2 bytes H.265), payloadType 5, payloadSize 24, UUID, sequence, rbsp trailing bits 0x80.
 */
public final class LatencyMarker {

  static final byte[] UUID = "EstuaryBenchMark".getBytes(StandardCharsets.US_ASCII);
  private static final long UUID_HIGH = ByteBuffer.wrap(UUID).getLong(0);
  private static final long UUID_LOW = ByteBuffer.wrap(UUID).getLong(8);
  /** NALU length field sizes to try when reading, the usual one first. */
  private static final int[] LENGTH_SIZES = {4, 1, 2};
  private static final int SEQUENCE_BYTES = 8;
  private static final int SEI_PAYLOAD_TYPE_USER_DATA_UNREGISTERED = 5;
  private static final int SEI_PAYLOAD_SIZE = 16 + SEQUENCE_BYTES;
  /** Bytes after the NAL header: payloadType, payloadSize, payload, trailing bits. */
  private static final int SEI_BODY = 2 + SEI_PAYLOAD_SIZE + 1;
  /** The largest sequence number: 7 bits in each of 8 bytes. */
  public static final long MAX_SEQUENCE = (1L << 56) - 1;

  private LatencyMarker() {
  }

  /** True for a video tag body that {@link #mark} can mark: a legacy AVC/HEVC NALU tag. */
  public static boolean markable(ByteBuf video) {
    int codec = FlvTags.videoCodecId(video);
    return (codec == FlvTags.VIDEO_CODEC_AVC || codec == FlvTags.VIDEO_CODEC_HEVC)
        && FlvTags.avcPacketType(video) == FlvTags.AVC_NALU && video.readableBytes() > FlvTags.AVC_HEADER_LENGTH;
  }

  /**
   * The NALU length field size (1, 2 or 4) of an AVC/HEVC sequence header tag body, or 4 when it cannot be read:
   * lengthSizeMinusOne of AVCDecoderConfigurationRecord (ISO 14496-15 5.2.4.1, byte 4) or
   * HEVCDecoderConfigurationRecord (8.3.3.1, byte 21).
   */
  public static int nalLengthSize(ByteBuf sequenceHeader) {
    int codec = FlvTags.videoCodecId(sequenceHeader);
    int at = FlvTags.AVC_HEADER_LENGTH + (codec == FlvTags.VIDEO_CODEC_HEVC ? 21 : 4);
    if (sequenceHeader.readableBytes() <= at) {
      return 4;
    }
    int size = (sequenceHeader.getUnsignedByte(sequenceHeader.readerIndex() + at) & 3) + 1;
    return size == 3 ? 4 : size;
  }

  /**
   * A new buffer holding {@code video} with the mark inserted: a small header buffer (the FLV video header and the
   * SEI) and a retained slice of the rest, so the frame's bytes are not copied. {@code video} is not consumed.
   */
  public static ByteBuf mark(ByteBufAllocator alloc, ByteBuf video, int nalLengthSize, long sequence) {
    if (sequence < 0 || sequence > MAX_SEQUENCE) {
      throw new IllegalArgumentException("sequence out of range: " + sequence);
    }
    boolean hevc = FlvTags.videoCodecId(video) == FlvTags.VIDEO_CODEC_HEVC;
    int nalLength = (hevc ? 2 : 1) + SEI_BODY;
    int start = video.readerIndex();
    ByteBuf head = alloc.buffer(FlvTags.AVC_HEADER_LENGTH + nalLengthSize + nalLength);
    head.writeBytes(video, start, FlvTags.AVC_HEADER_LENGTH);
    switch (nalLengthSize) {
      case 1 -> head.writeByte(nalLength);
      case 2 -> head.writeShort(nalLength);
      default -> head.writeInt(nalLength);
    }
    if (hevc) {
      head.writeByte(39 << 1).writeByte(1); // PREFIX_SEI_NUT, layer 0, temporal id 1
    } else {
      head.writeByte(6); // nal_ref_idc 0, SEI
    }
    head.writeByte(SEI_PAYLOAD_TYPE_USER_DATA_UNREGISTERED).writeByte(SEI_PAYLOAD_SIZE).writeBytes(UUID);
    for (int shift = 49; shift >= 0; shift -= 7) {
      head.writeByte(0x80 | (int) (sequence >>> shift) & 0x7F);
    }
    head.writeByte(0x80);
    CompositeByteBuf out = alloc.compositeBuffer(2);
    out.addComponent(true, head);
    out.addComponent(true, video.retainedSlice(start + FlvTags.AVC_HEADER_LENGTH,
        video.readableBytes() - FlvTags.AVC_HEADER_LENGTH));
    return out;
  }

  /** The sequence number of a marked video tag body, or -1 when it carries no mark. Does not move any index. */
  public static long read(ByteBuf video) {
    if (!markable(video)) {
      return -1;
    }
    int nalHeader = FlvTags.videoCodecId(video) == FlvTags.VIDEO_CODEC_HEVC ? 2 : 1;
    for (int lengthSize : LENGTH_SIZES) {
      int uuidAt = video.readerIndex() + FlvTags.AVC_HEADER_LENGTH + lengthSize + nalHeader + 2;
      int end = uuidAt + 16 + SEQUENCE_BYTES;
      if (end <= video.writerIndex() && video.getLong(uuidAt) == UUID_HIGH && video.getLong(uuidAt + 8) == UUID_LOW) {
        long sequence = 0;
        for (int i = 0; i < SEQUENCE_BYTES; i++) {
          sequence = sequence << 7 | video.getUnsignedByte(uuidAt + 16 + i) & 0x7F;
        }
        return sequence;
      }
    }
    return -1;
  }
}
