package io.estuary.rtmp.impl;

import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * What a publisher sent after {@code publish} while the publish is being authorized: an encoder may send its metadata
 * and sequence headers without waiting for NetStream.Publish.Start (srs-librtmp's do, and SRS's sb_rtmp_publish), and
 * nothing it sends after {@code publish} may be lost. The session stops reading meanwhile, so this holds only what
 * was already read (media, data and commands, in order); past {@code maxBytes} of media the publisher is refused.
 *
 * <p>State accessed exclusively from the channel's event loop thread.
 */
final class PublishHold {

  private final int maxBytes;
  private final ArrayDeque<RtmpMessage> held = new ArrayDeque<>();
  private int bytes;

  PublishHold(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Holds {@code message} (taking its reference); fails the publisher past the bound. */
  void add(RtmpMessage message) {
    held.add(message);
    if (message instanceof Media media) {
      bytes += media.payload().readableBytes();
    }
    if (bytes > maxBytes) {
      throw new RtmpConnection.RtmpRequestException("publisher sent more than " + maxBytes
          + " bytes of media before its publish was authorized");
    }
  }

  int size() {
    return held.size();
  }

  /** Hands every held message, in order, to {@code handler} (which takes its reference). */
  void replay(Consumer<RtmpMessage> handler) {
    bytes = 0;
    for (RtmpMessage message; (message = held.poll()) != null; ) {
      handler.accept(message);
    }
  }

  /** Drops what is held (the publish was refused or the connection closed). */
  void release() {
    bytes = 0;
    for (RtmpMessage message; (message = held.poll()) != null; ) {
      ReferenceCountUtil.release(message);
    }
  }
}
