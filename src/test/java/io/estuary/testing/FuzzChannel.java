package io.estuary.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.function.Consumer;

/**
 * Runs fuzzed bytes through Netty decoders on an {@link EmbeddedChannel}, as a connection would receive them, and
 * checks per input what a fuzz target must: that the only exception is the decoders' documented one (anything else,
 * including Netty's {@code DecoderException} wrapping an unexpected exception, escapes as a finding), that every
 * buffer made along the way was released, and that no allocation was sized beyond the input plus {@link #SLACK}.
 */
public final class FuzzChannel {
  /** Room for the buffers a decoder allocates whatever the input, such as a handshake's 3073-byte answer. */
  public static final int SLACK = 64 * 1024;

  private FuzzChannel() {
  }

  /**
   * Writes {@code data} in pieces of {@code pieceSize} bytes, handing each decoded message to {@code inspect} before
   * releasing it, then closes the channel. A {@code documented} exception ends the input, as the connection would be
   * closed.
   */
  public static void decode(byte[] data, int pieceSize, Class<? extends RuntimeException> documented,
      Consumer<Object> inspect, ChannelHandler... handlers) {
    TrackingAllocator alloc = new TrackingAllocator();
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.config().setAllocator(alloc);
    channel.pipeline().addLast(handlers);
    try {
      for (int i = 0; i < data.length; i += pieceSize) {
        int n = Math.min(pieceSize, data.length - i);
        ByteBuf piece = alloc.heapBuffer(n).writeBytes(data, i, n);
        channel.writeInbound(piece);
        drain(channel, inspect);
      }
      channel.finish();
      drain(channel, inspect);
    } catch (RuntimeException e) {
      expect(documented, e);
    } finally {
      try {
        channel.finishAndReleaseAll();
      } catch (RuntimeException e) {
        expect(documented, e);
      }
    }
    alloc.assertAllReleased();
    alloc.assertLargestRequestAtMost(data.length + SLACK);
  }

  private static void expect(Class<? extends RuntimeException> documented, RuntimeException e) {
    if (!documented.isInstance(e)) {
      throw e;
    }
  }

  private static void drain(EmbeddedChannel channel, Consumer<Object> inspect) {
    for (Object msg = channel.readInbound(); msg != null; msg = channel.readInbound()) {
      try {
        inspect.accept(msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
    for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
      ReferenceCountUtil.release(msg);
    }
  }
}
