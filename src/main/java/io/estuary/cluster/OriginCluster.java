package io.estuary.cluster;

import io.estuary.config.ClusterConfig;
import io.estuary.config.VhostConfig;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * SRS's static origin cluster ({@code cluster { mode local; origin_cluster on; coworkers HOST:APIPORT ...; }}): a play
 * for a stream this origin does not publish asks every coworker's {@code /api/v1/clusters} where it is, and the player
 * is redirected (RTMP 302) to the first coworker, in the configured order, whose answer names an origin. None does:
 * the player is refused (SRS's ERROR_OCLUSTER_REDIRECT, 3092), it does not wait.
 *
 * <p>Coworkers are asked at once, each with a short timeout, on Vert.x's HTTP client: no event loop waits.
 */
public final class OriginCluster {

  /** SRS's error when no coworker has the stream. */
  public static final int ERROR_NO_ORIGIN = 3092;
  /** Connect and answer deadline of one coworker: a dead one must not hold the player long. */
  static final long TIMEOUT_MS = 2000;

  private final HttpClient http;

  public OriginCluster(Vertx vertx) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS)
        .setKeepAlive(false));
  }

  /**
   * Whether a play of a stream whose local source is {@code local} (null: none) asks the coworkers, as SRS decides
   * (SrsRtmpConn::playing): an origin of a vhost with {@code origin_cluster on}, and no publisher here.
   */
  public static boolean asks(VhostConfig vhost, Source local) {
    ClusterConfig cluster = vhost.cluster();
    return !cluster.edge() && cluster.originCluster() && !cluster.coworkers().isEmpty()
        && (local == null || !local.isPublishing());
  }

  /**
   * Asks each coworker of {@code vhost} where {@code key} (asked for at {@code host}, the tcUrl's host) is published:
   * the origin named by the first coworker in order that has it, or a failure saying what each coworker answered.
   */
  public Future<Origin> locate(VhostConfig vhost, StreamKey key, String host) {
    List<String> coworkers = vhost.cluster().coworkers();
    List<Future<Origin>> answers = new ArrayList<>();
    for (String coworker : coworkers) {
      answers.add(ask(coworker, key, host));
    }
    return Future.join(answers).transform(done -> {
      StringBuilder asked = new StringBuilder();
      for (int i = 0; i < answers.size(); i++) {
        Future<Origin> answer = answers.get(i);
        if (answer.succeeded() && answer.result() != null) {
          return Future.succeededFuture(answer.result());
        }
        asked.append(i == 0 ? "" : ", ").append(coworkers.get(i)).append(": ")
            .append(answer.succeeded() ? "not published there" : answer.cause().getMessage());
      }
      return Future.failedFuture("no coworker publishes " + key + " (SRS error " + ERROR_NO_ORIGIN + "); asked "
          + asked);
    });
  }

  /** SRS sends a POST with an empty body; an answer is usable with status 200 or 201 (discover_co_workers). */
  private Future<Origin> ask(String coworker, StreamKey key, String host) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(ClusterQuery.uri(coworker, key, host)).setIdleTimeout(TIMEOUT_MS);
    return http.request(request)
        .compose(req -> req.send())
        .compose(response -> response.body().map(body -> {
          if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IllegalArgumentException("HTTP " + response.statusCode());
          }
          return ClusterQuery.read(new JsonObject(body), coworker);
        }))
        .recover(e -> Future.failedFuture(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
  }

  public Future<Void> close() {
    return http.close();
  }
}
