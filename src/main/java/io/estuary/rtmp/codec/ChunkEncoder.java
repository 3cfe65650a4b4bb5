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
 * chunk, format 3 on the others, the extended timestamp repeated on format 3 chunks, timestamps masked to 31 bits.
 * Media payloads are not copied: the output is a composite of header bytes and retained slices of the payload.
 * A {@link SharedChunks} (a live stream's fan-out) costs a player its own format 0 header only, in a buffer shared by
 * the headers of one flush. Other buffers pass through untouched. The one place that knows the outgoing chunk size.
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

  /** Room for the headers of one flush of SRS's defaults (350 ms, 25–35 messages of 12 bytes). */
  private static final int HEADERS_CAPACITY = 512;

  /** Where the headers of {@link SharedChunks} come from; null: the channel's allocator. */
  private final ByteBufAllocator headerAlloc;

  // State accessed exclusively from the channel's event loop thread
  private int chunkSize = DEFAULT_CHUNK_SIZE;
  /** The format 0 headers of the shared chunks written since the last flush; slices of it are in flight. */
  private ByteBuf headers;

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
   * This connection's format 0 header, then the shared chunked body (a recycled duplicate): no copy, no chunking.
   * With another chunk size or an extended timestamp the payload is chunked for this connection alone.
   */
  private void writeShared(ChannelHandlerContext ctx, SharedChunks shared, ChannelPromise promise) {
    int csid = shared.chunkStreamId();
    long time = shared.timestamp() & 0x7FFFFFFFL;
    ByteBuf body = time < EXTENDED ? shared.chunkedFor(chunkSize) : null;
    if (body == null) {
      ctx.write(mediaChunks(ctx.alloc(), csid, time, shared.payload(), shared.typeId(), shared.streamId()), promise);
      return;
    }
    ByteBuf out = reserveHeader(ctx);
    int start = out.writerIndex();
    writeHeader0(out, csid, time, shared.payload().readableBytes(), shared.typeId(), shared.streamId());
    ctx.write(out.retainedSlice(start, out.writerIndex() - start), ctx.voidPromise());
    ctx.write(body.retainedDuplicate(), promise);
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
   * Writes a format 0 chunk header (RTMP spec 5.3.1.2.1): basic header, timestamp (31 bits; 0xFFFFFF and the
   * extended field from 0xFFFFFF on), length, type id, stream id (little-endian).
   */
  public static void writeHeader0(ByteBuf out, int csid, long timestamp, int length, int typeId, int streamId) {
    if (length < 0 || length > 0xFFFFFF) {
      throw new IllegalArgumentException("an RTMP message has at most 16777215 bytes: " + length);
    }
    long time = timestamp & 0x7FFFFFFFL;
    BasicHeader.write(out, 0, csid);
    out.writeMedium((int) Math.min(time, EXTENDED)).writeMedium(length).writeByte(typeId).writeIntLE(streamId);
    if (time >= EXTENDED) {
      out.writeInt((int) time);
    }
  }

  /**
   * The payload with a format 3 basic header before every chunk after the first, for the fan-out: a message is
   * chunked once and shared by all players, each writing only its own {@link #writeHeader0} before it. Valid only
   * when the timestamp needs no extended field (below 0xFFFFFF). Returns a composite of retained slices (or a
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
    return mediaChunks(alloc, chunkStreamId(media), media.timestamp() & 0x7FFFFFFFL, media.payload(), media.typeId(),
        media.streamId());
  }

  private ByteBuf mediaChunks(ByteBufAllocator alloc, int csid, long time, ByteBuf payload, int typeId, int streamId) {
    ByteBuf header = alloc.buffer(MAX_FORMAT_0_HEADER);
    try {
      writeHeader0(header, csid, time, payload.readableBytes(), typeId, streamId);
    } catch (RuntimeException e) {
      header.release();
      throw e;
    }
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
    long time = msg.timestamp() & 0x7FFFFFFFL;
    long extendedTimestamp = time >= EXTENDED ? time : -1;
    ByteBuf body = alloc.buffer();
    try {
      MessageBody.encode(msg, body);
      int length = body.readableBytes();
      int continuations = length == 0 ? 0 : (length - 1) / chunkSize;
      ByteBuf out = alloc.buffer(MAX_FORMAT_0_HEADER + length + continuations * (3 + 4));
      try {
        writeHeader0(out, csid, time, length, msg.typeId(), msg.streamId());
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
