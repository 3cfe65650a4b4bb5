package io.estuary.rtmp;

import io.estuary.rtmp.impl.RtmpServerImpl;
import io.estuary.access.Clients;
import io.estuary.config.Vhosts;
import io.estuary.stream.StreamHub;

import java.util.function.Supplier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * An RTMP listener: encoders publish to it, players play from it, both through the node's {@link StreamHub}.
 * Create one per event loop on the same port (Vert.x shares it) so every core accepts and serves.
 */
public interface RtmpServer {

  static RtmpServer create(Vertx vertx, RtmpServerOptions options, StreamHub hub, Clients clients,
                           Supplier<Vhosts> vhosts) {
    return new RtmpServerImpl(vertx, options, hub, clients, vhosts);
  }

  Future<RtmpServer> listen();

  /** The bound port (useful when listening on port 0). */
  int actualPort();

  /**
   * Stops listening and closes this server's connections, gracefully: a publisher that announced Enhanced RTMP's
   * Reconnect capability is first asked to reconnect (NetConnection.Connect.ReconnectRequest) and may keep publishing
   * for up to {@link RtmpServerOptions#getReconnectLinger()}; every other client is closed at once.
   */
  Future<Void> close();
}
