package io.estuary.node;

import io.estuary.rtmp.RtmpServer;
import io.estuary.rtmp.RtmpServerOptions;
import io.estuary.access.Clients;
import io.estuary.config.Endpoint;
import io.estuary.config.Vhosts;
import io.estuary.stream.StreamHub;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The RTMP listeners of one event loop: one server per configured endpoint. The node deploys one instance per
 * event loop, so all of them accept on the same ports (Vert.x shares them) and every core serves.
 */
final class RtmpVerticle extends VerticleBase {

  private final String service;
  private final List<RtmpServerOptions> endpoints;
  private final StreamHub hub;
  private final Clients clients;
  private final Supplier<Vhosts> vhosts;
  private final List<RtmpServer> servers = new ArrayList<>();

  RtmpVerticle(String service, List<RtmpServerOptions> endpoints, StreamHub hub, Clients clients,
               Supplier<Vhosts> vhosts) {
    this.clients = clients;
    this.service = service;
    this.endpoints = endpoints;
    this.hub = hub;
    this.vhosts = vhosts;
  }

  @Override
  public Future<?> start() {
    List<Future<RtmpServer>> started = new ArrayList<>();
    for (RtmpServerOptions options : endpoints) {
      RtmpServer server = RtmpServer.create(vertx, options, hub, clients, vhosts);
      servers.add(server);
      started.add(new Endpoint(options.getHost(), options.getPort()).named(service, server.listen()));
    }
    return Future.all(started);
  }

  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(RtmpServer::close).toList());
  }
}
