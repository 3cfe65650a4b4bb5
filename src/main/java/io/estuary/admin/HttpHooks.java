package io.estuary.admin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.logging.Logger;

/**
 * SRS's HTTP callbacks ({@code vhost { http_hooks { on_publish http://...; } }}): POSTs an event as JSON to the
 * configured URLs and reads the answers as SRS does.
 *
 * <p>{@link #authorize} is for the events that may refuse a client (on_connect, on_publish, on_play, on_dvr,
 * on_hls): it fails closed, on a refusal and on anything that is not a clear yes. {@link #notify} is for the
 * events that only inform (on_close, on_unpublish, on_stop): failures are logged and ignored.
 *
 * <p>All work is asynchronous on Vert.x; the fields are immutable, so any thread may call in.
 */
public final class HttpHooks {

  /**
   * How long one hook may take, connect to last byte. SRS waits about 30 s, keeping a publisher or player
   * hanging all that while; a hook service that has not answered in 5 s is treated as down (and refuses).
   */
  public static final long DEFAULT_TIMEOUT = 5000;

  /** The answer is {@code 0} or a small object; more than this is not a hook's answer and is not buffered. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;

  /**
   * Connections kept per hook host. A burst of players each waits for a hook answer; with a handful of
   * connections they would queue past the timeout.
   */
  static final int MAX_CONNECTIONS_PER_HOST = 64;

  /**
   * Seconds an idle keep-alive connection is kept. Below the 5 s of Node's HTTP server, so that we close an
   * idle connection before a common hook service does, not while we send on it.
   */
  static final int KEEP_ALIVE_SECONDS = 4;

  private static final Logger LOG = Logger.getLogger("io.estuary.admin");

  private final Vertx vertx;
  private final long timeoutMillis;
  private final HttpClient client;
  /** Hooks sent and not yet answered (or timed out): a node that quits waits for them. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

  public HttpHooks(Vertx vertx) {
    this(vertx, DEFAULT_TIMEOUT);
  }

  public HttpHooks(Vertx vertx, long timeoutMillis) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeout must be positive: " + timeoutMillis);
    }
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.client = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
            .setConnectTimeout((int) Math.min(timeoutMillis, Integer.MAX_VALUE)),
        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_HOST));
  }

  /**
   * POSTs {@code body} to each URL in turn and succeeds if every one allows; otherwise fails with a message
   * naming the event (the body's {@code action}), the URL and the reason. No URL: allowed.
   *
   * <p>In turn, as SRS does (SrsRtmpConn::http_hooks_on_publish and siblings loop over the URLs): the first
   * refusal ends the check, and later hooks never hear of a client that was refused.
   */
  public Future<Void> authorize(List<String> urls, JsonObject body) {
    String event = event(body);
    Future<Void> all = Future.succeededFuture();
    for (String url : List.copyOf(urls)) {
      all = all.compose(v -> call(event, url, body));
    }
    return all;
  }

  /**
   * POSTs {@code body} to every URL at once and forgets about it; a failure or refusal is logged (one line
   * naming the URL and reason) and otherwise ignored, as SRS does for on_close, on_unpublish and on_stop.
   */
  public void notify(List<String> urls, JsonObject body) {
    notify(urls, body, LOG::warning);
  }

  /** As {@link #notify(List, JsonObject)}, each failure's line handed to {@code failed} (a rate-limited log). */
  public void notify(List<String> urls, JsonObject body, java.util.function.Consumer<String> failed) {
    String event = event(body);
    for (String url : List.copyOf(urls)) {
      call(event, url, body).onFailure(e -> failed.accept(e.getMessage() + "; ignored"));
    }
  }

  /** Whether every hook sent so far has its answer (or failed): none is still on its way. */
  public boolean idle() {
    return inFlight.get() == 0;
  }

  public Future<Void> close() {
    return client.close();
  }

  /** SRS puts the event name in {@code action}; it names the hook in every message. */
  private static String event(JsonObject body) {
    return body.getString("action", "hook");
  }

  /** One hook: POST, read the answer within the deadline, then judge it. */
  private Future<Void> call(String event, String url, JsonObject body) {
    String hook = event + " " + url;
    if (!isHttpUrl(url)) {
      return refused(hook, "is not an http(s) URL");
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");

    // One deadline for connect, request and the whole answer: a hook that trickles bytes must not hold a
    // client longer than one that is silent.
    Promise<Answer> answer = Promise.promise();
    inFlight.incrementAndGet();
    answer.future().onComplete(a -> inFlight.decrementAndGet());
    long timer = vertx.setTimer(timeoutMillis,
        t -> answer.tryFail(rejection(hook, "gave no answer within " + timeoutMillis + " ms")));
    answer.future().onComplete(a -> vertx.cancelTimer(timer));

    client.request(options).onComplete(requested -> {
      if (requested.failed()) {
        answer.tryFail(rejection(hook, describe(requested.cause())));
        return;
      }
      var request = requested.result();
      // Past the deadline or an oversized answer: drop the connection rather than read on.
      answer.future().onFailure(e -> request.reset());
      request.send(body.toBuffer())
          .compose(response -> read(hook, response))
          .onSuccess(answer::tryComplete)
          .onFailure(e -> answer.tryFail(e instanceof Refused ? e : rejection(hook, describe(e))));
    });
    return answer.future().compose(a -> judge(hook, a));
  }

  private record Answer(int status, Buffer body) {
  }

  /** Reads the whole answer, up to {@link #MAX_ANSWER_BYTES}. */
  private static Future<Answer> read(String hook, HttpClientResponse response) {
    Promise<Answer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_ANSWER_BYTES) {
        done.tryFail(rejection(hook, "answered more than " + MAX_ANSWER_BYTES + " bytes"));
      } else if (!done.future().isComplete()) {
        body.appendBuffer(chunk);
      }
    });
    response.exceptionHandler(done::tryFail);
    // Completed on the next tick: Vert.x puts the connection back in the pool only after this handler
    // returns, and a hook called next (the following URL) should reuse it rather than open another.
    response.endHandler(v -> Vertx.currentContext().runOnContext(
        tick -> done.tryComplete(new Answer(response.statusCode(), body))));
    return done.future();
  }

  /**
   * SRS (SrsHttpHooks::do_post): status 200 or 201, a non-empty body, and the body JSON {@code 0} or an object
   * whose {@code code} is the integer 0.
   */
  private static Future<Void> judge(String hook, Answer answer) {
    if (answer.status() != 200 && answer.status() != 201) {
      return refused(hook, "answered HTTP " + answer.status());
    }
    String text = answer.body().toString().strip();
    if (text.isEmpty()) {
      return refused(hook, "answered HTTP " + answer.status() + " with an empty body");
    }
    Object json;
    try {
      json = Json.decodeValue(text);
    } catch (DecodeException e) {
      return refused(hook, "answered " + quote(text) + ", which is not JSON");
    }
    Object code = json instanceof JsonObject object ? object.getValue("code") : json;
    if (!(code instanceof Integer || code instanceof Long || code instanceof BigInteger)) {
      return refused(hook, "answered " + quote(text) + ", not 0 nor an object with an integer code");
    }
    if (code instanceof BigInteger || ((Number) code).longValue() != 0) {
      return refused(hook, "answered code " + code);
    }
    return Future.succeededFuture();
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String describe(Throwable cause) {
    if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
      return "is unreachable (" + cause.getMessage() + ")";
    }
    return "failed (" + cause + ")";
  }

  private static String quote(String text) {
    return "'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "'";
  }

  private static <T> Future<T> refused(String hook, String reason) {
    return Future.failedFuture(rejection(hook, reason));
  }

  private static Refused rejection(String hook, String reason) {
    return new Refused(hook + " " + reason);
  }

  /** Why a hook did not allow: an expected outcome, not a bug, so no stack trace. */
  private static final class Refused extends VertxException {
    Refused(String message) {
      super(message, true);
    }
  }
}
