package io.estuary.rtmp.codec;

import io.estuary.rtmp.message.Abort;
import io.estuary.rtmp.message.Acknowledgement;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.WindowAckSize;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.List;

/**
 * Assembles chunks into {@link RtmpMessage}s (RTMP spec 5.3): one chunk per {@link #decode} call, read only once
 * it is complete, so the reader index moves only over whole chunks. A message in one chunk is a retained slice of
 * the input; a message over several chunks is a composite of retained slices, never a copy.
 *
 * <p>Also acknowledges: once a window is known (the peer's Window Acknowledgement Size, else the configured
 * {@code inAckSize}, SRS's {@code in_ack_size}), every window's worth of bytes received is answered with an
 * {@link Acknowledgement} (RTMP spec 5.4.3), encoded with the {@link ChunkEncoder} this decoder shares.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {
  /** Largest message accepted unless configured otherwise: 8 MiB, a generous keyframe. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;

  private static final InternalLogger log = InternalLoggerFactory.getInstance(ChunkDecoder.class);
  /** Message header length by chunk format (RTMP spec 5.3.1.2). */
  private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
  private static final long EXTENDED = 0xFFFFFF;
  private static final int LOW_STREAM_BASE = 2;
  private static final int LOW_STREAMS = 8;

  private final int maxMessageSize;
  private long inAckSize;
  private final ChunkEncoder ackEncoder;

  // State accessed exclusively from the channel's event loop thread
  /** Chunk streams 2..9 (all that FFmpeg, OBS and SRS use) by index; any other id in {@link #otherStreams}. */
  private final ChunkStream[] lowStreams = new ChunkStream[LOW_STREAMS];
  private IntObjectMap<ChunkStream> otherStreams;
  private int chunkSize = ChunkEncoder.DEFAULT_CHUNK_SIZE;
  private long bytesRead;
  private long peerAckWindow;
  private long acknowledged;
  private boolean corrupt;

  /** A decoder with the default maximum message size that acknowledges only when the peer asks. */
  public ChunkDecoder() {
    this(DEFAULT_MAX_MESSAGE_SIZE, 0, new ChunkEncoder());
  }

  /**
   * @param maxMessageSize largest message length accepted, checked before anything is allocated for it
   * @param inAckSize      acknowledge every so many bytes even if the peer never sent a window; 0 for not
   * @param ackEncoder     the encoder of the same connection, used to write acknowledgements
   */
  public ChunkDecoder(int maxMessageSize, long inAckSize, ChunkEncoder ackEncoder) {
    if (maxMessageSize < 0 || inAckSize < 0) {
      throw new IllegalArgumentException("maxMessageSize and inAckSize must be >= 0");
    }
    this.maxMessageSize = maxMessageSize;
    this.inAckSize = inAckSize;
    this.ackEncoder = ackEncoder;
  }

  /** Bytes received since this decoder was added, handshake excluded. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Acknowledge every {@code inAckSize} bytes from now on (SRS's in_ack_size, known once the vhost is). */
  public void inAckSize(long inAckSize) {
    if (inAckSize < 0) {
      throw new IllegalArgumentException("inAckSize must be >= 0");
    }
    this.inAckSize = inAckSize;
  }

  /** Bytes received but not decoded into a message yet: an incomplete chunk, or a partly assembled message. */
  public int pendingBytes() {
    int pending = actualReadableBytes();
    for (ChunkStream stream : lowStreams) {
      pending += stream == null ? 0 : stream.received();
    }
    if (otherStreams != null) {
      for (ChunkStream stream : otherStreams.values()) {
        pending += stream.received();
      }
    }
    return pending;
  }

  /** The incoming chunk size: 128 until the peer sends Set Chunk Size. */
  public int chunkSize() {
    return chunkSize;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf buf) {
      bytesRead += buf.readableBytes();
    }
    super.channelRead(ctx, msg);
    acknowledge(ctx);
  }

  private void acknowledge(ChannelHandlerContext ctx) {
    long window = peerAckWindow > 0 ? peerAckWindow : inAckSize;
    if (window > 0 && bytesRead - acknowledged >= window && ctx.channel().isActive()) {
      acknowledged = bytesRead;
      ctx.writeAndFlush(ackEncoder.encode(ctx.alloc(), new Acknowledgement(bytesRead & 0xFFFFFFFFL)));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (corrupt) {
      in.skipBytes(in.readableBytes()); // framing is lost; the connection is being closed
      return;
    }
    int start = in.readerIndex();
    int readable = in.readableBytes();
    int first = in.getUnsignedByte(start);
    int fmt = first >>> 6;
    int basicLength = BasicHeader.length(first);
    int headerLength = basicLength + MESSAGE_HEADER_LENGTH[fmt];
    if (readable < headerLength) {
      return;
    }
    int csid = BasicHeader.chunkStreamId(in, start);
    ChunkStream stream = stream(csid);
    if (stream == null && fmt > 1) {
      throw framingError(in, "chunk of format " + fmt + " on chunk stream " + csid + ", which has no message header yet");
    }
    boolean continuing = stream != null && stream.assembling();

    // Header fields, inherited from the chunk stream where the format omits them (RTMP spec 5.3.1.2)
    long timestampField;
    boolean extended;
    int length;
    int typeId;
    int streamId;
    int index = start + basicLength;
    if (fmt == 3) {
      timestampField = stream.timestampField;
      extended = stream.extended;
    } else {
      timestampField = in.getUnsignedMedium(index);
      extended = timestampField == EXTENDED;
    }
    length = fmt <= 1 ? in.getUnsignedMedium(index + 3) : stream.length;
    typeId = fmt <= 1 ? in.getUnsignedByte(index + 6) : stream.typeId;
    streamId = fmt == 0 ? in.getIntLE(index + 7) : stream == null ? 0 : stream.streamId;
    index = start + headerLength;
    if (extended) {
      if (readable < headerLength + 4) {
        return;
      }
      long field = in.getUnsignedInt(index);
      if (fmt != 3 || !continuing) {
        timestampField = field;
        index += 4;
      } else if (field == stream.timestampField || field == stream.timestamp) {
        // Adobe, FFmpeg and SRS repeat the extended field on continuation chunks (RTMP spec 5.3.1.3), older FFmpeg
        // did not. After a format 1 or 2 header it is the delta (FFmpeg) or the message's time (what SRS reads).
        index += 4;
      }
    }

    if (continuing) {
      if (fmt == 0 || fmt == 1 && (length != stream.length || typeId != stream.typeId)) {
        throw framingError(in, "new message header (format " + fmt + ") on chunk stream " + csid + " after "
            + stream.received() + " of " + stream.length + " bytes of the previous message");
      }
    } else if (length > maxMessageSize) {
      throw framingError(in, "message of " + length + " bytes on csid " + csid + " exceeds maximum " + maxMessageSize);
    }
    int remaining = continuing ? stream.length - stream.received() : length;
    int chunkLength = Math.min(remaining, chunkSize);
    if (readable - (index - start) < chunkLength) {
      return; // wait for the whole chunk: nothing has been consumed or changed
    }

    if (stream == null) {
      stream = new ChunkStream();
      putStream(csid, stream);
    }
    if (!continuing) {
      stream.timestamp = fmt == 0 ? timestampField : (stream.timestamp + timestampField) & 0xFFFFFFFFL;
      stream.timestampField = timestampField;
      stream.extended = extended;
      stream.length = length;
      stream.typeId = typeId;
      stream.streamId = streamId;
    }
    in.readerIndex(index);
    ByteBuf payload;
    if (!continuing && chunkLength == length) {
      payload = in.readRetainedSlice(length);
    } else {
      if (!continuing) {
        stream.partial = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
      }
      stream.partial.addComponent(true, in.readRetainedSlice(chunkLength));
      if (stream.received() < stream.length) {
        return;
      }
      payload = stream.partial;
      stream.partial = null;
    }
    deliver(in, csid, stream, payload, out);
  }

  private void deliver(ByteBuf in, int csid, ChunkStream stream, ByteBuf payload, List<Object> out) {
    if (stream.typeId == RtmpMessage.TYPE_AGGREGATE) {
      Aggregate.split(stream.streamId, stream.timestamp, payload, out);
      return;
    }
    RtmpMessage msg = MessageBody.decode(stream.typeId, stream.streamId, stream.timestamp, payload);
    if (msg == null) {
      log.debug("ignoring message type {} of {} bytes on chunk stream {}", stream.typeId, stream.length, csid);
      return;
    }
    if (msg instanceof SetChunkSize s) {
      // RTMP allows 31 bits; no message needs chunks larger than the largest message (24-bit length)
      if (s.chunkSize() < 1 || s.chunkSize() > ChunkEncoder.MAX_CHUNK_SIZE) {
        throw framingError(in, "invalid chunk size " + s.chunkSize() + " (accepted: 1.." + ChunkEncoder.MAX_CHUNK_SIZE + ")");
      }
      chunkSize = s.chunkSize(); // applies from the next chunk on (RTMP spec 5.4.1)
    } else if (msg instanceof Abort abort) {
      ChunkStream aborted = stream(abort.chunkStreamId());
      if (aborted != null) {
        aborted.discardPartial();
      }
    } else if (msg instanceof WindowAckSize window) {
      peerAckWindow = window.windowSize();
    }
    out.add(msg);
  }

  /** Framing is lost after this: remember it, drop the input, and let the connection owner close. */
  private RtmpException framingError(ByteBuf in, String message) {
    corrupt = true;
    in.skipBytes(in.readableBytes());
    return new RtmpException(message);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    try {
      super.channelInactive(ctx);
    } finally {
      discardPartials();
    }
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    discardPartials();
  }

  private void discardPartials() {
    for (ChunkStream stream : lowStreams) {
      if (stream != null) {
        stream.discardPartial();
      }
    }
    if (otherStreams != null) {
      otherStreams.values().forEach(ChunkStream::discardPartial);
    }
  }

  private ChunkStream stream(int csid) {
    int low = csid - LOW_STREAM_BASE;
    if (low >= 0 && low < LOW_STREAMS) {
      return lowStreams[low];
    }
    return otherStreams == null ? null : otherStreams.get(csid);
  }

  private void putStream(int csid, ChunkStream stream) {
    int low = csid - LOW_STREAM_BASE;
    if (low >= 0 && low < LOW_STREAMS) {
      lowStreams[low] = stream;
      return;
    }
    if (otherStreams == null) {
      otherStreams = new IntObjectHashMap<>();
    }
    otherStreams.put(csid, stream);
  }
}
