package io.estuary.node;

import io.estuary.admin.Exporter;
import io.estuary.admin.ExporterSnapshot;
import io.estuary.admin.NodeInfo;
import io.estuary.stream.Client;
import io.estuary.stream.StreamHub;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.ArrayList;
import java.util.List;

/** SRS's Prometheus exporter ({@code exporter { enabled on; listen 9972; label; tag; }}): {@code GET /metrics}. */
final class ExporterVerticle extends VerticleBase {

  private final List<Endpoints> endpoints;
  private final Exporter exporter;
  private final StreamHub hub;
  private final NodeInfo node;
  private final List<HttpServer> servers = new ArrayList<>();

  ExporterVerticle(List<Endpoints> endpoints, Exporter exporter, StreamHub hub, NodeInfo node) {
    this.endpoints = endpoints;
    this.exporter = exporter;
    this.hub = hub;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    List<Future<HttpServer>> started = new ArrayList<>();
    for (Endpoints endpoint : endpoints) {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(endpoint.host()).setPort(endpoint.port()))
          .requestHandler(request -> {
            if (!"/metrics".equals(request.path())) {
              request.response().setStatusCode(404).end();
              return;
            }
            request.response().putHeader("Content-Type", Exporter.CONTENT_TYPE).end(exporter.render(snapshot()));
          });
      servers.add(server);
      started.add(endpoint.named("exporter", server.listen()));
    }
    return Future.all(started);
  }

  private ExporterSnapshot snapshot() {
    long send = 0;
    long recv = 0;
    for (Client c : hub.clients().all()) {
      send += c.sendBytes();
      recv += c.recvBytes();
    }
    int streams = (int) hub.sources().stream().filter(s -> s.isPublishing()).count();
    return new ExporterSnapshot(node.version(), node.cpuPercent(), node.memoryKbyte() * 1024, send, recv, streams,
        hub.clients().all().size(), hub.clients().total(), hub.clients().errors());
  }

  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(HttpServer::close).toList());
  }
}
