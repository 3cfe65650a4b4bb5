package io.estuary.edge;

import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.access.Events;
import io.estuary.config.Endpoint;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.log.RateLimitedLog;
import io.estuary.rtmp.RtmpClient;
import io.estuary.stream.Source;
import io.estuary.stream.SourceListener;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamOwners;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The edge of this node, for every vhost with {@code cluster { mode remote; origin ...; }} (SRS's static edge):
 * <ul>
 *   <li>a stream played here (RTMP, HTTP-FLV, ...) gets one {@link Upstream} however many players it has, started
 *   when its first player comes and closed when its last one leaves ({@link SourceListener#demandChanged});</li>
 *   <li>a stream published here is pushed to an origin ({@link EdgeForwarder});</li>
 *   <li>with {@code token_traverse on}, an origin is asked before a client is served ({@link Events#TRAVERSE}).</li>
 * </ul>
 * Other vhosts are left alone. Every upstream and forward runs on one event loop, the context this was created on.
 *
 * <p>State accessed exclusively from that context; the hub's notices are moved onto it.
 */
public final class Edge implements SourceListener {

  private static final Logger LOG = Logger.getLogger("io.estuary.edge");
  /** Clients token_traverse refused: one line each, up to a budget. */
  private final RateLimitedLog refused = new RateLimitedLog(LOG, Level.WARNING, "edge: clients refused by token_traverse", 10);

  private final Vertx vertx;
  private final Context context;
  private final StreamHub hub;
  private final Clients clients;
  private final Supplier<Vhosts> vhosts;
  private final Loops loops;
  private final Map<StreamKey, Upstream> upstreams = new HashMap<>();
  private final Map<StreamKey, Forwarder> forwards = new HashMap<>();
  private RtmpClient traverseClient;
  /** Where each new upstream or forward starts in its origin list: round-robin across streams too. */
  private int nextOrigin;

  /**
   * Call on the event loop the edge's bookkeeping should run on (the node's context); each upstream and push runs on
   * the next of {@code loops}.
   */
  public Edge(Vertx vertx, StreamHub hub, Clients clients, Supplier<Vhosts> vhosts, Loops loops) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.hub = hub;
    this.clients = clients;
    this.vhosts = vhosts;
    this.loops = loops;
  }

  /** Answers the token_traverse questions ({@link Events#TRAVERSE}) of this node's clients. */
  public void start() {
    context.runOnContext(v -> vertx.eventBus().<JsonObject>localConsumer(Events.TRAVERSE, this::traverse));
  }

  /** One stream this edge pulls: the URL it plays from ({@code null} while it connects) and its players here. */
  public record Pull(StreamKey stream, String upstream, int players) {
  }

  /** A read-only view of what this edge pulls now, taken on the edge's event loop (for the cluster's node registry). */
  public Future<List<Pull>> pulls() {
    Promise<List<Pull>> pulls = Promise.promise();
    context.runOnContext(v -> pulls.complete(upstreams.values().stream()
        .map(u -> new Pull(u.key(), u.url(), u.source().demand()))
        .sorted(Comparator.comparing(p -> p.stream().toString())).toList()));
    return pulls.future();
  }

  private VhostConfig edgeVhost(String name) {
    VhostConfig vhost = vhosts.get().resolve(name);
    return vhost != null && vhost.cluster().edge()
        && (!vhost.cluster().origins().isEmpty() || hub.owners() != StreamOwners.NONE) ? vhost : null;
  }

  // ---- demand: one upstream per played stream ----

  @Override
  public void demandChanged(Source source) {
    if (edgeVhost(source.key().vhost()) != null) {
      context.runOnContext(v -> reconcile(source));
    }
  }

  @Override
  public void unpublished(Source source) {
    if (edgeVhost(source.key().vhost()) != null) {
      context.runOnContext(v -> {
        Forwarder forward = forwards.remove(source.key());
        if (forward != null) {
          forward.end();
        }
        reconcile(source); // a local publisher left while players wait: pull for them
      });
    }
  }

  /** Starts or stops the stream's upstream after its players came or left. */
  private void reconcile(Source source) {
    StreamKey key = source.key();
    Upstream upstream = upstreams.get(key);
    int players = source.demand();
    if (players == 0) {
      if (upstream != null && upstream.source() == source) {
        upstreams.remove(key);
        upstream.stop();
      }
      return;
    }
    VhostConfig vhost = edgeVhost(key.vhost());
    if (upstream != null || vhost == null || source.isPublishing()) {
      return; // already pulled, no longer an edge, or published right here
    }
    Source held = hub.acquire(key);
    if (held != source) { // that source is gone with its last player; its successor has its own notices
      held.release();
      return;
    }
    Upstream[] started = new Upstream[1];
    started[0] = new Upstream(vertx, loops.next(), source, vhost, hub.owners(), nextOrigin++,
        () -> context.runOnContext(v -> upstreams.remove(key, started[0])));
    upstreams.put(key, started[0]);
    started[0].start();
  }

  // ---- a publish on the edge goes to an origin ----

  @Override
  public void published(Source source, Executor loop) {
    VhostConfig vhost = edgeVhost(source.key().vhost());
    String publisher = source.publisherId();
    if (vhost == null) {
      return;
    }
    context.runOnContext(v -> {
      Upstream upstream = upstreams.get(source.key());
      if (upstream != null && upstream.id.equals(publisher) || !source.isPublishing()
          || !java.util.Objects.equals(source.publisherId(), publisher)) {
        return; // our own pull, or a publish already gone
      }
      Forwarder previous = forwards.put(source.key(), pushToOrigin(vhost, source.key(), publisher));
      if (previous != null) {
        previous.end();
      }
    });
  }

  /**
   * SRS's edge forwarder: the publish goes to the next origin with the encoder's parameters (its token goes along);
   * when that origin fails, the encoder's session ends.
   */
  private Forwarder pushToOrigin(VhostConfig vhost, StreamKey key, String publisherId) {
    String vhostAsked = vhost.cluster().upstreamVhost() != null ? vhost.cluster().upstreamVhost() : key.vhost();
    Future<Endpoint> origin = anOrigin(vhost);
    return new Forwarder(vertx, loops.next(), hub, vhost.play(), key, publisherId, "edge", () -> origin.map(o -> {
      Client publisher = clients.get(publisherId);
      return Origins.url(o, vhostAsked, key.app(), key.stream(), publisher == null ? "" : publisher.param());
    }), reason -> {
      LOG.warning("edge " + key + ": the origin failed; closing the publisher");
      Client publisher = clients.get(publisherId);
      if (publisher != null) {
        publisher.kick();
      }
    });
  }

  /**
   * Where a publish on the edge is pushed and a token traversed: the next of the vhost's {@code origin} list; without
   * one, the next origin of the cluster's node registry.
   */
  private Future<Endpoint> anOrigin(VhostConfig vhost) {
    if (!vhost.cluster().origins().isEmpty()) {
      return Future.succeededFuture(new Origins(vhost.cluster().origins(), nextOrigin++).next());
    }
    int first = nextOrigin++;
    return Future.fromCompletionStage(hub.owners().origins(), context).map(found -> {
      if (found.isEmpty()) {
        throw new IllegalStateException("no origin in the cluster");
      }
      return Endpoint.parse(found.get(Math.floorMod(first, found.size())));
    });
  }

  // ---- token_traverse ----

  private void traverse(Message<JsonObject> question) {
    JsonObject client = question.body();
    VhostConfig vhost = edgeVhost(client.getString("vhost"));
    String tcUrl = client.getString("tcUrl", "");
    if (vhost == null || !vhost.cluster().tokenTraverse() || !tcUrl.startsWith("rtmp")) {
      question.reply(null); // SRS traverses RTMP clients only
      return;
    }
    if (traverseClient == null) {
      traverseClient = RtmpClient.create(vertx, TokenTraverse.options());
    }
    anOrigin(vhost)
        .recover(e -> Future.failedFuture("token_traverse: no origin to ask for " + tcUrl + ": " + e.getMessage()))
        .compose(origin -> TokenTraverse.ask(traverseClient, origin, tcUrl, client.getString("param")))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            question.reply(null);
          } else {
            refused.log(() -> "[" + client.getString("client_id") + "] " + ar.cause().getMessage());
            question.fail(403, ar.cause().getMessage());
          }
        });
  }
}
