package io.estuary.edge;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * SRS's forward {@code backend} (SrsHttpHooks::on_forward_backend): on each publish, POST
 * {@code {"action":"on_forward", server_id, service_id, client_id, ip, vhost, app, tcUrl, stream, param}} and read
 * {@code {"code":0,"data":{"urls":["rtmp://..."]}}}: where to forward that stream (none when the list is empty).
 * Anything else (HTTP status other than 200/201, not JSON, a non-zero or missing code, no {@code data.urls} list)
 * fails with the reason. Callable from any thread.
 */
final class ForwardBackend {

  /** How long the backend may take, connect to last byte (as the HTTP callbacks). */
  static final long TIMEOUT_MS = 5000;
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final HttpClient client;

  ForwardBackend(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS));
  }

  /** The RTMP(S) URLs {@code backend} answers for {@code body}. */
  Future<List<String>> ask(String backend, JsonObject body) {
    Promise<List<String>> urls = Promise.promise();
    long timer = vertx.setTimer(TIMEOUT_MS, t -> urls.tryFail("gave no answer within " + TIMEOUT_MS + " ms"));
    urls.future().onComplete(done -> vertx.cancelTimer(timer));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(backend)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    client.request(options)
        .compose(request -> {
          urls.future().onFailure(e -> request.reset());
          return request.send(body.toBuffer());
        })
        .compose(response -> {
          if (response.statusCode() != 200 && response.statusCode() != 201) {
            return Future.failedFuture("answered HTTP " + response.statusCode());
          }
          return response.body();
        })
        .onSuccess(answer -> {
          try {
            urls.tryComplete(read(answer));
          } catch (IllegalArgumentException e) {
            urls.tryFail(e.getMessage());
          }
        })
        .onFailure(e -> urls.tryFail(e.getMessage()));
    return urls.future();
  }

  /** SRS's answer: an object with the integer code 0 and {@code data.urls}, a list of strings. */
  static List<String> read(Buffer answer) {
    if (answer.length() > MAX_ANSWER_BYTES) {
      throw new IllegalArgumentException("answered more than " + MAX_ANSWER_BYTES + " bytes");
    }
    String text = answer.toString().strip();
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("answered '" + abbreviate(text) + "', not a JSON object");
    }
    Object code = json.getValue("code");
    if (!(code instanceof Integer || code instanceof Long)) {
      throw new IllegalArgumentException("answered '" + abbreviate(text) + "' without an integer code");
    }
    if (((Number) code).longValue() != 0) {
      throw new IllegalArgumentException("answered code " + code);
    }
    Object data = json.getValue("data");
    Object list = data instanceof JsonObject d ? d.getValue("urls") : null;
    if (!(list instanceof JsonArray array)) {
      throw new IllegalArgumentException("answered '" + abbreviate(text) + "' without data.urls");
    }
    List<String> urls = new ArrayList<>();
    for (Object url : array) {
      if (!(url instanceof String s)) {
        throw new IllegalArgumentException("answered a URL that is not a string: " + url);
      }
      urls.add(s);
    }
    return List.copyOf(urls);
  }

  private static String abbreviate(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  Future<Void> close() {
    return client.close();
  }
}
