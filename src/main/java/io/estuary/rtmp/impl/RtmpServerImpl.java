package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpServer;
import io.estuary.rtmp.RtmpServerOptions;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.HandshakeHandler;
import io.estuary.access.Clients;
import io.estuary.access.ConnectionLimits;
import io.estuary.cluster.OriginCluster;
import io.estuary.config.Vhosts;
import io.estuary.log.RateLimitedLog;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamMessage;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
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
  private final ConnectionLimits limits;
  private NetServer server;
  /** The connections this listener accepted and that are still open. */
  private final Set<RtmpConnection> connections = ConcurrentHashMap.newKeySet();
  /** Set by {@link #close()}: a client arriving meanwhile is turned away. */
  private volatile boolean closing;
  /** Clients closed for what they sent (bad handshake, chunk, AMF, ...): a line each, up to a budget. */
  private final RateLimitedLog faults = new RateLimitedLog(LOG, Level.WARNING, "RTMP clients closed for bad input", 10);

  public RtmpServerImpl(Vertx vertx, RtmpServerOptions options, StreamHub hub, Clients clients,
                        Supplier<Vhosts> vhosts) {
    this.clients = clients;
    this.vertx = vertx;
    this.options = new RtmpServerOptions(options);
    this.limits = new ConnectionLimits(options.getMaxConnections(), options.getMaxConnectionsPerIp());
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
    if (closing) {
      socket.close();
      return;
    }
    String ip = socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
    if (!clients.admit(ip, (options.isSsl() ? "RTMPS" : "RTMP") + " client " + socket.remoteAddress(),
        limits)) {
      socket.close();
      return;
    }
    ChunkCodec codec = new ChunkCodec(options.getMaxMessageSize(), 0, StreamMessage.STORE);
    RtmpConnection connection = new RtmpConnection(hub, clients, vertx.eventBus(), vhosts, options, socket.remoteAddress(), codec,
        cluster, faults);
    pipeline.addBefore(VERTX_HANDLER, "rtmp-bytes", new ByteCounter(connection.client()));
    pipeline.addBefore(VERTX_HANDLER, "rtmp-handshake", new HandshakeHandler(options.getHandshakeTimeout()));
    pipeline.addBefore(VERTX_HANDLER, "rtmp-chunk", codec);
    pipeline.addBefore(VERTX_HANDLER, "rtmp-connection", connection);
    connections.add(connection);
    pipeline.channel().closeFuture().addListener(f -> connections.remove(connection));
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Gracefully: new clients are turned away, each publisher that announced Enhanced RTMP's Reconnect is asked to
   * reconnect and closed once it left or after {@link RtmpServerOptions#getReconnectLinger()}, every other client is
   * closed at once; then the listener closes.
   */
  @Override
  public Future<Void> close() {
    closing = true;
    cluster.close();
    List<Future<Void>> leaving = new ArrayList<>();
    for (RtmpConnection connection : connections) {
      leaving.add(connection.leave("the server is stopping"));
    }
    return Future.join(leaving).transform(left -> server == null ? Future.succeededFuture() : server.close());
  }
}
