package io.estuary.node;

import io.estuary.admin.Api;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;

/** The HTTP API listener ({@code http_api}, port 1985 by default). */
final class ApiVerticle extends VerticleBase {

  private final List<Endpoints> endpoints;
  private final Api api;
  private final JsonObject httpApi;
  private final List<HttpServer> servers = new ArrayList<>();

  ApiVerticle(List<Endpoints> endpoints, Api api, JsonObject httpApi) {
    this.endpoints = endpoints;
    this.api = api;
    this.httpApi = httpApi;
  }

  @Override
  public Future<?> start() {
    Router router = api.router(httpApi);
    List<Future<HttpServer>> started = new ArrayList<>();
    for (Endpoints endpoint : endpoints) {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(endpoint.host()).setPort(endpoint.port()))
          .requestHandler(router);
      servers.add(server);
      started.add(endpoint.named("HTTP API", server.listen()));
    }
    return Future.all(started);
  }

  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(HttpServer::close).toList());
  }
}
