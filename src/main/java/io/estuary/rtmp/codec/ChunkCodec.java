package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.CombinedChannelDuplexHandler;

/**
 * The chunk layer of one RTMP connection: {@link ChunkDecoder} and {@link ChunkEncoder} in one handler, since the
 * decoder writes acknowledgements with the encoder's chunking. Goes after the handshake stage.
 */
public final class ChunkCodec extends CombinedChannelDuplexHandler<ChunkDecoder, ChunkEncoder> {

  public ChunkCodec() {
    this(ChunkDecoder.DEFAULT_MAX_MESSAGE_SIZE, 0);
  }

  /**
   * @param maxMessageSize largest incoming message accepted
   * @param inAckSize      acknowledge every so many bytes received even if the peer never asks (SRS in_ack_size)
   */
  public ChunkCodec(int maxMessageSize, long inAckSize) {
    this(maxMessageSize, inAckSize, null);
  }

  /** {@code headerAlloc}: where {@link SharedChunks}' headers are allocated, once per flush (null: the channel's). */
  public ChunkCodec(int maxMessageSize, long inAckSize, ByteBufAllocator headerAlloc) {
    ChunkEncoder encoder = new ChunkEncoder(headerAlloc);
    init(new ChunkDecoder(maxMessageSize, inAckSize, encoder), encoder);
  }

  public ChunkDecoder decoder() {
    return inboundHandler();
  }

  public ChunkEncoder encoder() {
    return outboundHandler();
  }

  /** Bytes received by the chunk layer. */
  public long bytesRead() {
    return decoder().bytesRead();
  }

  /** The outgoing chunk size. */
  public int chunkSize() {
    return encoder().chunkSize();
  }
}
