package io.estuary.flv;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes an FLV byte stream (an HTTP-FLV response body, a file) into {@link FlvTag}s with a {@link FlvReader}.
 * A malformed stream fails once with {@link FlvFormatException}; later bytes are discarded, since the owner closes
 * the connection.
 */
public final class FlvDecoder extends ByteToMessageDecoder {

  // State accessed exclusively from the channel's event loop thread
  private final FlvReader reader;

  public FlvDecoder() {
    this(FlvReader.DEFAULT_MAX_TAG_SIZE);
  }

  /** @param maxTagSize largest tag body accepted, checked before anything is buffered for it */
  public FlvDecoder(int maxTagSize) {
    reader = new FlvReader(maxTagSize);
  }

  /** The FLV header once it has arrived, else null. */
  public FlvHeader header() {
    return reader.header();
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (reader.failed()) {
      in.skipBytes(in.readableBytes()); // framing is lost; the connection is being closed
      return;
    }
    for (FlvTag tag = reader.next(in); tag != null; tag = reader.next(in)) {
      out.add(tag);
    }
  }
}
