package io.estuary.rtmp.impl;

import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * What a publisher sent after {@code publish} while the publish is being authorized: an encoder may send its metadata
 * and sequence headers without waiting for NetStream.Publish.Start (srs-librtmp's do, and SRS's sb_rtmp_publish), and
 * nothing it sends after {@code publish} may be lost. SRS reads nothing while its hooks run; here the verdict is
 * asynchronous, so reading stops meanwhile ({@link #start}) and this holds only what was already read (media, data
 * and commands, in order); past {@code maxBytes} of media the publisher is refused.
 *
 * <p>State accessed exclusively from the channel's event loop thread.
 */
final class PublishHold {

  /** The most media a publisher may send between {@code publish} and the verdict: far more than is ever read. */
  static final int MAX_BYTES = 8 * 1024 * 1024;

  private final int maxBytes;
  private final ArrayDeque<RtmpMessage> held = new ArrayDeque<>();
  private int bytes;
  private boolean holding;

  PublishHold(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** From now on every message read is {@link #add held}, and {@code channel} stops reading until {@link #end}. */
  void start(Channel channel) {
    holding = true;
    channel.config().setAutoRead(false);
  }

  /** Whether messages read now are to be held. */
  boolean holding() {
    return holding;
  }

  /** The publish was allowed: replays what is held to {@code handler}, then {@code channel} reads again. */
  void end(Channel channel, Consumer<RtmpMessage> handler) {
    holding = false;
    replay(handler);
    channel.config().setAutoRead(true);
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
    holding = false;
    bytes = 0;
    for (RtmpMessage message; (message = held.poll()) != null; ) {
      ReferenceCountUtil.release(message);
    }
  }
}
