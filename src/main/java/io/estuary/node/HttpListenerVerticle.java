package io.estuary.node;

import io.estuary.config.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One HTTP service (the HTTP server, the API, the exporter) on all its endpoints. Deployed once per event loop
 * where the service should use every core; each instance builds its own request handler.
 */
final class HttpListenerVerticle extends VerticleBase {

  private final String service;
  private final List<Endpoint> endpoints;
  private final Function<Vertx, Handler<HttpServerRequest>> handler;
  private final List<HttpServer> servers = new ArrayList<>();

  HttpListenerVerticle(String service, List<Endpoint> endpoints, Function<Vertx, Handler<HttpServerRequest>> handler) {
    this.service = service;
    this.endpoints = endpoints;
    this.handler = handler;
  }

  /** SRS's {@code crossdomain on}: any origin may call, and preflight requests are answered here. */
  static Handler<RoutingContext> cors(String methods) {
    return rc -> {
      rc.response().putHeader("Access-Control-Allow-Origin", "*")
          .putHeader("Access-Control-Allow-Methods", methods)
          // the wildcard does not cover Authorization (Fetch standard): named, so a page can send http_api.auth
          .putHeader("Access-Control-Allow-Headers", "*, Authorization")
          .putHeader("Access-Control-Expose-Headers", "*");
      if (rc.request().method() == HttpMethod.OPTIONS) {
        rc.response().end();
      } else {
        rc.next();
      }
    };
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> requests = handler.apply(vertx);
    List<Future<HttpServer>> started = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(endpoint.host()).setPort(endpoint.port()))
          .requestHandler(requests);
      servers.add(server);
      started.add(endpoint.named(service, server.listen()));
    }
    return Future.all(started);
  }

  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(HttpServer::close).toList());
  }
}
