package io.estuary.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Vert.x's HTTP client for asynchronous server tests (with {@code VertxTestContext}): each request's status and body
 * as one {@link Future}. A new connection per request, so each one is accepted anew by the node.
 */
public final class TestHttp {

  /** A response as a user sees it: the status and the whole body. */
  public record Response(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final HttpClient client;

  private TestHttp(HttpClient client) {
    this.client = client;
  }

  /** A client on {@code vertx} (closed with it). */
  public static TestHttp create(Vertx vertx) {
    return new TestHttp(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)));
  }

  public Future<Response> get(String url) {
    return request(HttpMethod.GET, url, null);
  }

  /** GET with {@code authorization} as the Authorization header (see {@link #basic}). */
  public Future<Response> get(String url, String authorization) {
    return request(HttpMethod.GET, url, authorization);
  }

  public Future<Response> delete(String url) {
    return request(HttpMethod.DELETE, url, null);
  }

  public Future<Response> request(HttpMethod method, String url, String authorization) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
    if (authorization != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Response(response.statusCode(), body.toString())));
  }

  /** The Basic Authorization header for {@code user} and {@code password}. */
  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
