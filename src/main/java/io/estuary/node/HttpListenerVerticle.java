package io.estuary.node;

import io.estuary.config.Endpoint;
import io.estuary.http.RequestDeadline;
import io.estuary.log.RateLimitedLog;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One HTTP service (the HTTP server, the API, the exporter) on all its endpoints. Deployed once per event loop
 * where the service should use every core; each instance builds its own request handler.
 *
 * <p>Every request is bounded: its line and headers by Vert.x's {@code maxInitialLineLength} and {@code maxHeaderSize}
 * (414 and 431, Vert.x's answers, logged here), the time it takes to arrive by {@link RequestDeadline}.
 */
final class HttpListenerVerticle extends VerticleBase {

  /** How long a request may take to arrive whole, from the connection's start or the previous response's end. */
  static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  private static final Logger LOG = Logger.getLogger("io.estuary.http");

  private final String service;
  private final List<Endpoint> endpoints;
  private final Function<Vertx, Handler<HttpServerRequest>> handler;
  private final RequestLimits limits;
  private final List<HttpServer> servers = new ArrayList<>();

  /**
   * What every instance of one service shares: the options (Vert.x's JSON form of HttpServerOptions, the node's
   * {@code http}, and {@code requestTimeout}) and the rate limits of its log lines about bad requests.
   */
  static final class RequestLimits {
    private final JsonObject options;
    private final RateLimitedLog slowRequests = new RateLimitedLog(LOG, Level.WARNING, "slow HTTP requests cut", 10);
    private final RateLimitedLog invalidRequests = new RateLimitedLog(LOG, Level.WARNING, "HTTP requests refused", 10);

    RequestLimits(JsonObject options) {
      this.options = options;
    }
  }

  HttpListenerVerticle(String service, List<Endpoint> endpoints, RequestLimits limits,
                       Function<Vertx, Handler<HttpServerRequest>> handler) {
    this.service = service;
    this.endpoints = endpoints;
    this.limits = limits;
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
    long requestTimeout = limits.options.getLong("requestTimeout", DEFAULT_REQUEST_TIMEOUT_MS);
    List<Future<HttpServer>> started = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      HttpServerOptions serverOptions = new HttpServerOptions(limits.options).setHost(endpoint.host()).setPort(endpoint.port());
      if (!limits.options.containsKey("http2ClearTextEnabled")) {
        // HTTP/1 only, as SRS: with h2c, Vert.x makes the connection (and calls the connection handler, which sets the
        // request deadline) only once the first request's headers are in, which a slowloris never sends.
        serverOptions.setHttp2ClearTextEnabled(false);
      }
      HttpServer server = vertx.createHttpServer(serverOptions)
          .connectionHandler(connection -> RequestDeadline.install(connection, service, requestTimeout, limits.slowRequests))
          .invalidRequestHandler(this::invalid)
          .requestHandler(requests);
      servers.add(server);
      started.add(endpoint.named(service, server.listen()));
    }
    return Future.all(started);
  }

  /** A request Vert.x could not decode (too long a line, too large headers): said, then Vert.x's answer (414, 431, 400). */
  private void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof PrematureChannelClosureException) {
      return; // the client left in the middle of its request: nothing to refuse
    }
    limits.invalidRequests.log(service + ": refused a request from " + request.remoteAddress() + ": "
        + (cause == null || cause.getMessage() == null ? "malformed" : cause.getMessage()));
    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
  }

  @Override
  public Future<?> stop() {
    return Future.all(servers.stream().map(HttpServer::close).toList());
  }
}
