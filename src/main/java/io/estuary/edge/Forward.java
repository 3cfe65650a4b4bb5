package io.estuary.edge;

import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.config.Endpoint;
import io.estuary.config.ForwardOptions;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.stream.Source;
import io.estuary.stream.SourceListener;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * SRS's origin forward ({@code vhost { forward { enabled on; destination ...; backend ...; } }}): each stream published
 * on such a vhost is pushed to every destination by its own {@link Forwarder}, which retries with back-off while the
 * publish lasts and never slows the publisher. With a {@code backend}, the backend is asked on each publish and its
 * answer replaces the destinations ({@link ForwardBackend}); a failed or refused answer forwards nowhere and the
 * publish goes on. Edge vhosts do not forward (SRS: forward from origins only; an edge pushes to its origin).
 *
 * <p>A destination that is this node itself, for the very same stream, is refused as SRS's "forward loop detected".
 * A changed {@code forward} block on reload restarts the forwards of the vhost's live streams (SRS's
 * on_reload_vhost_forward destroys and creates them).
 *
 * <p>State changed exclusively on {@link #context}; {@link #status} reads it from any thread.
 */
public final class Forward implements SourceListener {

  private static final Logger LOG = Logger.getLogger("io.estuary.edge");
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "0.0.0.0", "::1", "::");

  private final Vertx vertx;
  private final Context context;
  private final Loops loops;
  private final StreamHub hub;
  private final Clients clients;
  private final Supplier<Vhosts> vhosts;
  private final Supplier<List<Endpoint>> listen;
  private final JsonObject server;
  private final ForwardBackend backend;
  private final Map<StreamKey, Forwards> live = new ConcurrentHashMap<>();

  /** The forwards of one publish: of which publisher, under which options. */
  private record Forwards(String publisherId, ForwardOptions options, List<Forwarder> forwarders) {
  }

  /**
   * Call on the event loop the forwards should run on (the node's context). {@code listen}: this node's RTMP
   * endpoints (for the loop check); {@code server}: {@code server_id} and {@code service_id} for the backend.
   */
  public Forward(Vertx vertx, StreamHub hub, Clients clients, Supplier<Vhosts> vhosts, Supplier<List<Endpoint>> listen,
                 JsonObject server, Loops loops) {
    this.vertx = vertx;
    this.loops = loops;
    this.context = vertx.getOrCreateContext();
    this.hub = hub;
    this.clients = clients;
    this.vhosts = vhosts;
    this.listen = listen;
    this.server = server.copy();
    this.backend = new ForwardBackend(vertx);
  }

  private ForwardOptions options(String vhostName) {
    VhostConfig vhost = vhosts.get().resolve(vhostName);
    return vhost == null || vhost.cluster().edge() ? ForwardOptions.off() : vhost.forward();
  }

  @Override
  public void published(Source source, Executor loop) {
    StreamKey key = source.key();
    String publisher = source.publisherId();
    if (options(key.vhost()).active()) {
      context.runOnContext(v -> start(key, publisher));
    }
  }

  @Override
  public void unpublished(Source source) {
    StreamKey key = source.key();
    if (live.containsKey(key)) {
      context.runOnContext(v -> stop(key));
    }
  }

  /** The configuration was reloaded: streams whose vhost's {@code forward} changed restart their forwards. */
  public void reloaded() {
    context.runOnContext(v -> {
      for (Map.Entry<StreamKey, Forwards> entry : List.copyOf(live.entrySet())) {
        StreamKey key = entry.getKey();
        ForwardOptions now = options(key.vhost());
        if (!now.equals(entry.getValue().options())) {
          LOG.info("forward " + key + ": the vhost's forward changed on reload, restarting its forwards");
          stop(key);
          start(key, entry.getValue().publisherId());
        }
      }
    });
  }

  /** Each forward of {@code key}'s publish: {@code {"url", "state": connecting|forwarding|retrying, "bytes"}}. */
  public JsonArray status(StreamKey key) {
    Forwards forwards = live.get(key);
    JsonArray list = new JsonArray();
    if (forwards != null) {
      for (Forwarder f : forwards.forwarders()) {
        list.add(new JsonObject().put("url", f.url()).put("state", f.state().label()).put("bytes", f.bytes()));
      }
    }
    return list;
  }

  private void start(StreamKey key, String publisherId) {
    Source source = hub.get(key);
    if (source == null || !source.isPublishing() || !Objects.equals(publisherId, source.publisherId())) {
      return; // that publish is already over
    }
    ForwardOptions options = options(key.vhost());
    if (!options.active()) {
      return;
    }
    stop(key);
    Forwards forwards = new Forwards(publisherId, options, new CopyOnWriteArrayList<>());
    live.put(key, forwards);
    Client publisher = publisherId == null ? null : clients.get(publisherId);
    String param = publisher == null ? "" : publisher.param();
    if (options.backend() == null) {
      for (ForwardOptions.Destination destination : options.destinations()) {
        String url = url(destination, key, param);
        if (isLoop(destination, key)) {
          LOG.warning("forward " + key + ": forward loop detected, " + url + " is this stream on this node; skipped");
        } else {
          forwards.forwarders().add(forwarder(key, publisherId, url));
        }
      }
      return;
    }
    JsonObject body = new JsonObject().put("action", "on_forward").mergeIn(server);
    JsonObject client = publisher == null ? new JsonObject() : publisher.describe();
    for (String field : List.of("client_id", "ip", "vhost", "app", "tcUrl", "stream", "param")) {
      body.put(field, client.getValue(field, ""));
    }
    body.put("vhost", key.vhost()).put("app", key.app()).put("stream", key.stream());
    backend.ask(options.backend(), body).onComplete(answer -> context.runOnContext(v -> {
      if (live.get(key) != forwards) {
        return; // unpublished (or restarted) while the backend thought
      }
      if (answer.failed()) {
        LOG.warning("forward " + key + ": backend " + options.backend() + " " + answer.cause().getMessage()
            + "; not forwarded, the publish goes on");
        return;
      }
      if (answer.result().isEmpty()) {
        LOG.info("forward " + key + ": backend " + options.backend() + " answered no URL; not forwarded");
      }
      for (String url : answer.result()) {
        if (!url.startsWith("rtmp://") && !url.startsWith("rtmps://")) {
          LOG.warning("forward " + key + ": backend answered '" + url + "', not an rtmp:// or rtmps:// URL; skipped");
        } else {
          forwards.forwarders().add(forwarder(key, publisherId, url));
        }
      }
    }));
  }

  private Forwarder forwarder(StreamKey key, String publisherId, String url) {
    return new Forwarder(vertx, loops.next(), hub, vhosts.get().resolve(key.vhost()).play(), key, publisherId, "forward",
        () -> Future.succeededFuture(url), null);
  }

  private Future<?> stop(StreamKey key) {
    Forwards forwards = live.remove(key);
    return forwards == null ? Future.succeededFuture()
        : Future.join(forwards.forwarders().stream().map(Forwarder::end).toList());
  }

  /**
   * SRS's forward URL: {@code rtmp://host:port/APP/STREAM?vhost=VHOST&PARAMS}, the destination's app when it names one,
   * the publisher's parameters (its token) then the destination's; a destination's {@code vhost=} replaces ours.
   */
  static String url(ForwardOptions.Destination destination, StreamKey key, String publisherParam) {
    String vhost = key.vhost();
    List<String> params = new ArrayList<>();
    String own = publisherParam == null ? "" : publisherParam.startsWith("?") ? publisherParam.substring(1)
        : publisherParam;
    for (String pair : own.split("&")) {
      if (!pair.isEmpty()) {
        params.add(pair); // its vhost= and domain= are left out by Origins.url
      }
    }
    for (String pair : destination.params().split("&")) {
      if (pair.startsWith("vhost=")) {
        vhost = pair.substring("vhost=".length());
      } else if (!pair.isEmpty()) {
        params.add(pair);
      }
    }
    String app = destination.app() == null ? key.app() : destination.app();
    return Origins.url(new Endpoint(destination.host(), destination.port()), vhost, app, key.stream(),
        String.join("&", params));
  }

  /** The destination is this node (a loopback, wildcard or listen address on one of its RTMP ports) for this stream. */
  private boolean isLoop(ForwardOptions.Destination destination, StreamKey key) {
    boolean sameStream = (destination.app() == null || destination.app().equals(key.app()))
        && !destination.params().contains("vhost=");
    if (!sameStream) {
      return false;
    }
    for (Endpoint own : listen.get()) {
      if (own.port() == destination.port()
          && (LOOPBACK.contains(destination.host()) || destination.host().equals(own.host()))) {
        return true;
      }
    }
    return false;
  }

  /** Ends every forward (the node stops). */
  public Future<Void> close() {
    return Future.<Void>future(done -> context.runOnContext(v -> Future.join(List.copyOf(live.keySet()).stream()
        .map(this::stop).toList()).onComplete(ended -> done.complete()))).compose(v -> backend.close());
  }
}
