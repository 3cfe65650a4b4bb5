package io.estuary.node;

import io.estuary.hls.Hls;
import io.estuary.hls.TsRemux;
import io.estuary.http.LiveHandler;
import io.estuary.stream.StreamHub;
import io.estuary.stream.Vhosts;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP server ({@code http_server}): live streams (HTTP-FLV mounts, HLS from memory), then the files under
 * {@code dir} — never a file outside it. One instance per event loop, all on the same ports.
 */
final class HttpVerticle extends VerticleBase {

  private final List<Endpoints> endpoints;
  private final String dir;
  private final boolean crossdomain;
  private final StreamHub hub;
  private final Supplier<Vhosts> vhosts;
  private final Hls hls;
  private final TsRemux tsRemux;
  private final List<HttpServer> servers = new ArrayList<>();

  HttpVerticle(List<Endpoints> endpoints, String dir, boolean crossdomain, StreamHub hub, Supplier<Vhosts> vhosts, Hls hls,
               TsRemux tsRemux) {
    this.tsRemux = tsRemux;
    this.endpoints = endpoints;
    this.dir = dir;
    this.crossdomain = crossdomain;
    this.hub = hub;
    this.vhosts = vhosts;
    this.hls = hls;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    if (crossdomain) {
      // SRS's crossdomain on: any origin may fetch streams and files.
      router.route().handler(rc -> {
        rc.response().putHeader("Access-Control-Allow-Origin", "*")
            .putHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
            .putHeader("Access-Control-Allow-Headers", "*")
            .putHeader("Access-Control-Expose-Headers", "*");
        if (rc.request().method() == HttpMethod.OPTIONS) {
          rc.response().end();
        } else {
          rc.next();
        }
      });
    }
    router.get().handler(new LiveHandler(hub, vhosts, hls, tsRemux));
    router.get().handler(StaticHandler.create(FileSystemAccess.ROOT, Path.of(dir).toAbsolutePath().normalize().toString())
        .setCachingEnabled(false).setDirectoryListing(false));
    List<Future<HttpServer>> started = new ArrayList<>();
    for (Endpoints endpoint : endpoints) {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(endpoint.host()).setPort(endpoint.port()))
          .requestHandler(router);
      servers.add(server);
      started.add(endpoint.named("HTTP server", server.listen()));
    }
    return Future.all(started);
  }

  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(HttpServer::close).toList());
  }
}
