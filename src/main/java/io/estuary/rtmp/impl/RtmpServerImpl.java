package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpServer;
import io.estuary.rtmp.RtmpServerOptions;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.HandshakeHandler;
import io.estuary.access.Clients;
import io.estuary.cluster.OriginCluster;
import io.estuary.config.Vhosts;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamMessage;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The RTMP listener on a Vert.x {@link NetServer}: each accepted socket gets the handshake stage, the chunk codec
 * and an {@link RtmpConnection} in its Netty pipeline (through {@link RtmpChannels}), in front of Vert.x's own
 * handler.
 */
public final class RtmpServerImpl implements RtmpServer {

  private static final Logger LOG = Logger.getLogger("io.estuary.rtmp");
  private static final String VERTX_HANDLER = RtmpChannels.VERTX_HANDLER;

  private final Vertx vertx;
  private final RtmpServerOptions options;
  private final StreamHub hub;
  private final Clients clients;
  private final Supplier<Vhosts> vhosts;
  /** The origin cluster's coworker lookup of this listener's players (Vert.x's HTTP client, no connection until used). */
  private final OriginCluster cluster;
  private NetServer server;

  public RtmpServerImpl(Vertx vertx, RtmpServerOptions options, StreamHub hub, Clients clients,
                        Supplier<Vhosts> vhosts) {
    this.clients = clients;
    this.vertx = vertx;
    this.options = new RtmpServerOptions(options);
    this.hub = hub;
    this.vhosts = vhosts;
    this.cluster = new OriginCluster(vertx);
  }

  @Override
  public Future<RtmpServer> listen() {
    server = vertx.createNetServer(options);
    server.connectHandler(this::accept);
    return server.listen().map(s -> this);
  }

  private void accept(NetSocket socket) {
    ChannelPipeline pipeline = RtmpChannels.pipeline(socket);
    if (!clients.admit(options.getMaxConnections())) {
      LOG.warning("reject client " + socket.remoteAddress() + ": max_connections " + options.getMaxConnections() + " reached");
      socket.close();
      return;
    }
    ChunkCodec codec = new ChunkCodec(options.getMaxMessageSize(), 0, StreamMessage.STORE);
    RtmpConnection connection = new RtmpConnection(hub, clients, vertx.eventBus(), vhosts, options, socket.remoteAddress(), codec,
        cluster);
    pipeline.addBefore(VERTX_HANDLER, "rtmp-bytes", new ByteCounter(connection.client()));
    pipeline.addBefore(VERTX_HANDLER, "rtmp-handshake", new HandshakeHandler(options.getHandshakeTimeout()));
    pipeline.addBefore(VERTX_HANDLER, "rtmp-chunk", codec);
    pipeline.addBefore(VERTX_HANDLER, "rtmp-connection", connection);
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<Void> close() {
    cluster.close();
    return server == null ? Future.succeededFuture() : server.close();
  }
}
