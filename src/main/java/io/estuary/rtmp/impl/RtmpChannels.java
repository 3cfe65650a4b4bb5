package io.estuary.rtmp.impl;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The Netty pipeline under a Vert.x socket, for the RTMP server and client alike. The only class that touches
 * Vert.x's {@link NetSocketInternal}: it is internal API (it may change between Vert.x versions), and the only way
 * to put Netty codecs (handshake, chunk codec) into a Vert.x socket's pipeline, in front of Vert.x's own handler.
 */
public final class RtmpChannels {

  /** Name of the handler Vert.x installs last in a socket's pipeline: RTMP handlers go before it. */
  public static final String VERTX_HANDLER = "handler";

  private RtmpChannels() {
  }

  public static ChannelPipeline pipeline(NetSocket socket) {
    return ((NetSocketInternal) socket).channelHandlerContext().pipeline();
  }
}
