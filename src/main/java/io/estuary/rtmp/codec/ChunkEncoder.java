package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Splits outgoing messages into chunks (RTMP spec 5.3), as SRS does: a format 0 header on each message's first
 * chunk, format 3 on the others, the extended timestamp repeated on format 3 chunks (as Adobe, FFmpeg and SRS send
 * it, and FFmpeg expects it). Timestamps are written modulo 2^32, the width RTMP has (spec 3): a stream's time
 * past 2^32 ms wraps as RTMP defines it. (SRS masks to 31 bits, which turns the wrap at 2^32 into a jump back of 2^31
 * that a player cannot tell from a jump.)
 *
 * <p>Media payloads are not copied: the output is a composite of header bytes and retained slices of the payload.
 * A {@link SharedChunks} (a live stream's fan-out) costs a player its own first header only, in a buffer shared by
 * the headers of one flush. Other buffers pass through untouched. The one place that knows the outgoing chunk size,
 * and the last header written on each chunk stream.
 */
public final class ChunkEncoder extends MessageToMessageEncoder<RtmpMessage> {
  /** Chunk stream ids as SRS assigns them (RTMP_CID_*). */
  public static final int CSID_PROTOCOL_CONTROL = 2;
  public static final int CSID_OVER_CONNECTION = 3;
  public static final int CSID_OVER_STREAM = 5;
  public static final int CSID_VIDEO = 6;
  public static final int CSID_AUDIO = 7;

  /** The chunk size every RTMP connection starts with, both ways (RTMP spec 5.4.1). */
  public static final int DEFAULT_CHUNK_SIZE = 128;
  /** The largest chunk size Estuary sends or accepts: a message is at most 0xFFFFFF bytes anyway. */
  public static final int MAX_CHUNK_SIZE = 0xFFFFFF;

  /** The longest format 0 chunk header: 3-byte basic header, 11-byte message header, extended timestamp. */
  public static final int MAX_FORMAT_0_HEADER = 3 + 11 + 4;
  private static final long EXTENDED = 0xFFFFFF;
  private static final long TIMESTAMP_MASK = 0xFFFFFFFFL;
  /** Chunk streams 2..9, all that the encoder sends on, remember their last header. */
  private static final int LOW_STREAM_BASE = 2;
  private static final int LOW_STREAMS = 8;

  /** Room for the headers of one flush of SRS's defaults (350 ms, 25–35 messages of 12 bytes). */
  private static final int HEADERS_CAPACITY = 512;

  /** Where the headers of {@link SharedChunks} come from; null: the channel's allocator. */
  private final ByteBufAllocator headerAlloc;

  // State accessed exclusively from the channel's event loop thread
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  /** The format 0 headers of the shared chunks written since the last flush; slices of it are in flight. */
  private ByteBuf headers;
  /**
   * Per chunk stream 2..9, the timestamp (32 bits) of the last message whose header was written, -1 before any; and
   * its message stream id. A format 1 header's delta is from that timestamp, and it keeps that stream id.
   */
  private final long[] lastTimestamp = {-1, -1, -1, -1, -1, -1, -1, -1};
  private final int[] lastStreamId = new int[LOW_STREAMS];

  public ChunkEncoder() {
    this(null);
  }

  /** {@code headerAlloc}: where the headers of shared chunks are allocated (once per flush), null for the channel's. */
  public ChunkEncoder(ByteBufAllocator headerAlloc) {
    super(RtmpMessage.class);
    this.headerAlloc = headerAlloc;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof SharedChunks shared) {
      try {
        writeShared(ctx, shared, promise);
      } finally {
        shared.recycle();
      }
      return;
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) throws Exception {
    ctx.flush();
    releaseHeaders(); // the slices written keep it until they are sent
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
    releaseHeaders();
    super.handlerRemoved(ctx);
  }

  /**
   * This connection's first header, then the shared chunked body (a recycled duplicate): no copy, no chunking.
   *
   * <p>The shared body's format 3 headers carry no extended timestamp, so the first header must not have one either
   * when more chunks follow: from 0xFFFFFF ms on, that header is format 1, whose timestamp is the delta from this
   * chunk stream's last message (RTMP spec 5.3.1.2.2, what FFmpeg sends) and is small. Only when there is no such
   * delta below 0xFFFFFF (a chunk stream's first message past 2^24 ms, a jump of over 4.6 hours), or with another
   * chunk size, is the payload chunked for this connection alone, with a format 0 header and the extended
   * timestamp repeated on each chunk.
   */
  private void writeShared(ChannelHandlerContext ctx, SharedChunks shared, ChannelPromise promise) {
    int csid = shared.chunkStreamId();
    long time = shared.timestamp() & TIMESTAMP_MASK;
    int length = shared.payload().readableBytes();
    ByteBuf body = shared.chunkedFor(chunkSize);
    boolean delta = time >= EXTENDED && length > chunkSize;
    long previous = delta ? lastTimestamp(csid, shared.streamId()) : -1;
    if (body == null || delta && (previous < 0 || (time - previous & TIMESTAMP_MASK) >= EXTENDED)) {
      ctx.write(mediaChunks(ctx.alloc(), csid, time, shared.payload(), shared.typeId(), shared.streamId()), promise);
      return;
    }
    ByteBuf out = reserveHeader(ctx);
    int start = out.writerIndex();
    if (delta) {
      writeHeader1(out, csid, time - previous & TIMESTAMP_MASK, length, shared.typeId());
    } else {
      writeHeader0(out, csid, time, length, shared.typeId(), shared.streamId());
    }
    sent(csid, time, shared.streamId());
    ctx.write(out.retainedSlice(start, out.writerIndex() - start), ctx.voidPromise());
    ctx.write(body.retainedDuplicate(), promise);
  }

  /** The timestamp of the last message on chunk stream {@code csid} if it was on {@code streamId}, else -1. */
  private long lastTimestamp(int csid, int streamId) {
    int low = csid - LOW_STREAM_BASE;
    if (low < 0 || low >= LOW_STREAMS || lastStreamId[low] != streamId) {
      return -1;
    }
    return lastTimestamp[low];
  }

  /** A message's header on {@code csid} was written: what the next format 1 header there is relative to. */
  private void sent(int csid, long timestamp, int streamId) {
    int low = csid - LOW_STREAM_BASE;
    if (low >= 0 && low < LOW_STREAMS) {
      lastTimestamp[low] = timestamp & TIMESTAMP_MASK;
      lastStreamId[low] = streamId;
    }
  }

  private ByteBuf reserveHeader(ChannelHandlerContext ctx) {
    if (headers == null || headers.writableBytes() < MAX_FORMAT_0_HEADER) {
      releaseHeaders();
      headers = (headerAlloc != null ? headerAlloc : ctx.alloc()).directBuffer(HEADERS_CAPACITY);
    }
    return headers;
  }

  private void releaseHeaders() {
    if (headers != null) {
      headers.release();
      headers = null;
    }
  }

  /** The outgoing chunk size: 128 until a {@link SetChunkSize} has been encoded. */
  public int chunkSize() {
    return chunkSize;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
    out.add(encode(ctx.alloc(), msg));
  }

  /**
   * The chunks of one message. Does not take ownership of a {@link Media} message: the result holds its own
   * references to the payload. Encoding a {@link SetChunkSize} changes the chunk size for the messages after it.
   */
  public ByteBuf encode(ByteBufAllocator alloc, RtmpMessage msg) {
    if (msg instanceof SetChunkSize s && (s.chunkSize() < 1 || s.chunkSize() > MAX_CHUNK_SIZE)) {
      throw new IllegalArgumentException("chunk size must be in [1, " + MAX_CHUNK_SIZE + "]: " + s.chunkSize());
    }
    ByteBuf chunks = msg instanceof Media media ? mediaChunks(alloc, media) : copiedChunks(alloc, msg);
    if (msg instanceof SetChunkSize s) {
      chunkSize = s.chunkSize();
    }
    return chunks;
  }

  /** The chunk stream a message goes on, as SRS chooses it. */
  public static int chunkStreamId(RtmpMessage msg) {
    if (msg instanceof Media media) {
      return media.isAudio() ? CSID_AUDIO : CSID_VIDEO;
    }
    if (msg instanceof DataMessage) {
      return CSID_OVER_STREAM;
    }
    if (msg instanceof CommandMessage command) {
      return command.streamId() == 0 ? CSID_OVER_CONNECTION : CSID_OVER_STREAM;
    }
    return CSID_PROTOCOL_CONTROL;
  }

  /**
   * Writes a format 0 chunk header (RTMP spec 5.3.1.2.1): basic header, timestamp (modulo 2^32; 0xFFFFFF and the
   * extended field from 0xFFFFFF on), length, type id, stream id (little-endian).
   */
  public static void writeHeader0(ByteBuf out, int csid, long timestamp, int length, int typeId, int streamId) {
    checkLength(length);
    long time = timestamp & TIMESTAMP_MASK;
    BasicHeader.write(out, 0, csid);
    out.writeMedium((int) Math.min(time, EXTENDED)).writeMedium(length).writeByte(typeId).writeIntLE(streamId);
    if (time >= EXTENDED) {
      out.writeInt((int) time);
    }
  }

  /**
   * Writes a format 1 chunk header (RTMP spec 5.3.1.2.2): basic header, timestamp delta from the chunk stream's last
   * message (below 0xFFFFFF: no extended field), length, type id; the message stream id is the last message's.
   */
  static void writeHeader1(ByteBuf out, int csid, long delta, int length, int typeId) {
    checkLength(length);
    if (delta < 0 || delta >= EXTENDED) {
      throw new IllegalArgumentException("a format 1 header here carries a delta below 0xFFFFFF: " + delta);
    }
    BasicHeader.write(out, 1, csid);
    out.writeMedium((int) delta).writeMedium(length).writeByte(typeId);
  }

  private static void checkLength(int length) {
    if (length < 0 || length > 0xFFFFFF) {
      throw new IllegalArgumentException("an RTMP message has at most 16777215 bytes: " + length);
    }
  }

  /**
   * The payload with a format 3 basic header before every chunk after the first, for the fan-out: a message is
   * chunked once and shared by all players, each writing only its own first header before it. Valid only after a
   * header without an extended timestamp field: format 0 below 0xFFFFFF ms, else format 1 with a small delta
   * ({@link #writeShared}). Returns a composite of retained slices (or a
   * retained duplicate when the payload fits one chunk): the caller releases it, the payload is not consumed.
   */
  public static ByteBuf chunkedBody(ByteBufAllocator alloc, ByteBuf payload, int chunkSize, int csid) {
    return chunked(alloc, payload, chunkSize, csid, -1);
  }

  private static ByteBuf chunked(ByteBufAllocator alloc, ByteBuf payload, int chunkSize, int csid, long extendedTimestamp) {
    int length = payload.readableBytes();
    if (length <= chunkSize) {
      return payload.retainedDuplicate();
    }
    int chunks = (length + chunkSize - 1) / chunkSize;
    int headerLength = BasicHeader.lengthOf(csid) + (extendedTimestamp >= 0 ? 4 : 0);
    ByteBuf headers = alloc.buffer((chunks - 1) * headerLength);
    CompositeByteBuf body = alloc.compositeBuffer(2 * chunks);
    try {
      for (int i = 1; i < chunks; i++) {
        writeContinuationHeader(headers, csid, extendedTimestamp);
      }
      int start = payload.readerIndex();
      for (int i = 0; i < chunks; i++) {
        if (i > 0) {
          body.addComponent(true, headers.retainedSlice((i - 1) * headerLength, headerLength));
        }
        body.addComponent(true, payload.retainedSlice(start + i * chunkSize, Math.min(chunkSize, length - i * chunkSize)));
      }
      return body;
    } catch (RuntimeException e) {
      body.release();
      throw e;
    } finally {
      headers.release();
    }
  }

  /** Format 3 basic header, plus the extended timestamp again when the message has one (as Adobe and SRS send). */
  private static void writeContinuationHeader(ByteBuf out, int csid, long extendedTimestamp) {
    BasicHeader.write(out, 3, csid);
    if (extendedTimestamp >= 0) {
      out.writeInt((int) extendedTimestamp);
    }
  }

  private ByteBuf mediaChunks(ByteBufAllocator alloc, Media media) {
    return mediaChunks(alloc, chunkStreamId(media), media.timestamp() & TIMESTAMP_MASK, media.payload(),
        media.typeId(), media.streamId());
  }

  private ByteBuf mediaChunks(ByteBufAllocator alloc, int csid, long time, ByteBuf payload, int typeId, int streamId) {
    ByteBuf header = alloc.buffer(MAX_FORMAT_0_HEADER);
    try {
      writeHeader0(header, csid, time, payload.readableBytes(), typeId, streamId);
    } catch (RuntimeException e) {
      header.release();
      throw e;
    }
    sent(csid, time, streamId);
    CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE).addComponent(true, header);
    try {
      return out.addFlattenedComponents(true, chunked(alloc, payload, chunkSize, csid, time >= EXTENDED ? time : -1));
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Control, command and data messages are small: one buffer, body bytes copied between the chunk headers. */
  private ByteBuf copiedChunks(ByteBufAllocator alloc, RtmpMessage msg) {
    int csid = chunkStreamId(msg);
    long time = msg.timestamp() & TIMESTAMP_MASK;
    long extendedTimestamp = time >= EXTENDED ? time : -1;
    ByteBuf body = alloc.buffer();
    try {
      MessageBody.encode(msg, body);
      int length = body.readableBytes();
      int continuations = length == 0 ? 0 : (length - 1) / chunkSize;
      ByteBuf out = alloc.buffer(MAX_FORMAT_0_HEADER + length + continuations * (3 + 4));
      try {
        writeHeader0(out, csid, time, length, msg.typeId(), msg.streamId());
        sent(csid, time, msg.streamId());
        out.writeBytes(body, Math.min(chunkSize, body.readableBytes()));
        while (body.isReadable()) {
          writeContinuationHeader(out, csid, extendedTimestamp);
          out.writeBytes(body, Math.min(chunkSize, body.readableBytes()));
        }
        return out;
      } catch (RuntimeException e) {
        out.release();
        throw e;
      }
    } finally {
      body.release();
    }
  }
}
