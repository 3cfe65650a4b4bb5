package io.estuary.admin;

import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.access.StreamIds;
import io.estuary.cluster.ClusterQuery;
import io.estuary.config.Listeners;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * SRS's HTTP API ({@code http_api}): versions, summaries, vhosts, streams, clients (and kicking them), reload —
 * in SRS's JSON shapes, so dashboards written for SRS keep working. Errors keep HTTP 200 with SRS's codes.
 */
public final class Api {

  public static final int ERROR_STREAM_NOT_FOUND = 2048;
  public static final int ERROR_CLIENT_NOT_FOUND = 2049;
  public static final int ERROR_VHOST_NOT_FOUND = 2014;
  public static final int ERROR_RELOAD = 1039;
  private static final int DEFAULT_COUNT = 10; // SRS's paging default

  private final StreamHub hub;
  private final Clients clients;
  private final Supplier<Vhosts> vhosts;
  private final Supplier<Listeners> listeners;
  private final Supplier<Future<Void>> reload;
  private final NodeInfo node;
  /** Kicks a client that is not here on the node that holds it (to reconnect first, if it can): true when one did. */
  private final BiFunction<String, Boolean, Future<Boolean>> kickElsewhere;
  /**
   * What the node's other parts say of a live stream, merged into its stream object (not in SRS): {@code "hls"}, the
   * tracks HLS carries or skips, and whatever else a part adds; null or empty when nothing.
   */
  private final Function<StreamKey, JsonObject> details;

  public Api(StreamHub hub, Clients clients, Supplier<Vhosts> vhosts, Supplier<Listeners> listeners,
             Supplier<Future<Void>> reload, NodeInfo node) {
    this(hub, clients, vhosts, listeners, reload, node, (id, reconnect) -> Future.succeededFuture(false));
  }

  /** {@code kickElsewhere}: in a cluster, {@code DELETE /api/v1/clients/{id}} of a client of another node goes there. */
  public Api(StreamHub hub, Clients clients, Supplier<Vhosts> vhosts, Supplier<Listeners> listeners,
             Supplier<Future<Void>> reload, NodeInfo node, BiFunction<String, Boolean, Future<Boolean>> kickElsewhere) {
    this(hub, clients, vhosts, listeners, reload, node, kickElsewhere, key -> null);
  }

  /** {@code details}: the fields the node's parts add to a live stream's object (e.g. {@code "hls"}). */
  public Api(StreamHub hub, Clients clients, Supplier<Vhosts> vhosts, Supplier<Listeners> listeners,
             Supplier<Future<Void>> reload, NodeInfo node, BiFunction<String, Boolean, Future<Boolean>> kickElsewhere,
             Function<StreamKey, JsonObject> details) {
    this.details = details;
    this.hub = hub;
    this.listeners = listeners;
    this.clients = clients;
    this.vhosts = vhosts;
    this.reload = reload;
    this.node = node;
    this.kickElsewhere = kickElsewhere;
  }

  /**
   * Adds the API's routes to {@code router}, behind {@code auth} when it is enabled ({@code http_api.auth}); but for
   * the origin cluster's question, which coworkers ask without credentials (as SRS's do).
   */
  public Router mount(Router router, Listeners.Auth auth) {
    // The origin cluster's question (SRS's coworkers POST it with an empty body): its own shape, no envelope. Open
    // even with auth on: it tells only whether a stream is published here and where to play it, as a play's RTMP 302.
    router.route(ClusterQuery.PATH).handler(rc -> send(rc, ClusterQuery.answer(hub, vhosts.get(), listeners.get(),
        rc.request()::getParam, rc.request().authority() == null ? null : rc.request().authority().host())));
    if (auth.enabled()) {
      String expected = auth.username() + ":" + auth.password();
      router.route().handler(rc -> basicAuth(rc, expected));
    }
    router.get("/api").handler(rc -> ok(rc, new JsonObject().put("urls", new JsonObject().put("v1", "the api version 1.0"))));
    router.get("/api/v1").handler(rc -> ok(rc, new JsonObject().put("urls", new JsonObject()
        .put("versions", "the version of SRS").put("summaries", "the summary(pid, argv, pwd, cpu, mem) of SRS")
        .put("vhosts", "manage all vhosts or specified vhost").put("streams", "manage all streams or specified stream")
        .put("clients", "manage all clients or specified client, default query top 10 clients")
        .put("raw", "raw api for srs, support CUID srs for instance the config"))));
    router.get("/api/v1/versions").handler(rc -> ok(rc, new JsonObject().put("data", versions())));
    router.get("/api/v1/summaries").handler(rc -> ok(rc, new JsonObject().put("data", summaries())));
    router.get("/api/v1/vhosts").handler(rc -> ok(rc, new JsonObject().put("vhosts", vhostList())));
    router.get("/api/v1/vhosts/").handler(rc -> ok(rc, new JsonObject().put("vhosts", vhostList())));
    router.get("/api/v1/vhosts/:id").handler(rc -> one(rc, "vhost", vhostList(), ERROR_VHOST_NOT_FOUND));
    router.get("/api/v1/streams").handler(rc -> ok(rc, new JsonObject().put("streams", page(rc, streamList()))));
    router.get("/api/v1/streams/").handler(rc -> ok(rc, new JsonObject().put("streams", page(rc, streamList()))));
    router.get("/api/v1/streams/:id").handler(rc -> one(rc, "stream", streamList(), ERROR_STREAM_NOT_FOUND));
    router.get("/api/v1/clients").handler(rc -> ok(rc, new JsonObject().put("clients", page(rc, clientList()))));
    router.get("/api/v1/clients/").handler(rc -> ok(rc, new JsonObject().put("clients", page(rc, clientList()))));
    router.get("/api/v1/clients/:id").handler(rc -> one(rc, "client", clientList(), ERROR_CLIENT_NOT_FOUND));
    router.delete("/api/v1/clients/:id").handler(this::kick);
    router.get("/api/v1/raw").handler(this::raw);
    return router;
  }

  private JsonObject versions() {
    String[] parts = node.version().split("[.-]");
    return new JsonObject().put("major", Integer.parseInt(parts[0])).put("minor", Integer.parseInt(parts[1]))
        .put("revision", Integer.parseInt(parts[2])).put("version", node.version());
  }

  private JsonObject summaries() {
    return node.summaries(clients.recvBytes(), clients.sendBytes(), clients.all().size());
  }

  private JsonArray vhostList() {
    Map<String, List<Client>> byVhost = new HashMap<>();
    for (Client c : clients.all()) {
      byVhost.computeIfAbsent(c.vhost() == null ? StreamKey.DEFAULT_VHOST : c.vhost(), v -> new ArrayList<>()).add(c);
    }
    JsonArray list = new JsonArray();
    for (VhostConfig vhost : vhosts.get().all()) {
      List<Client> clients = byVhost.getOrDefault(vhost.name(), List.of());
      long streams = hub.sources().stream().filter(s -> s.key().vhost().equals(vhost.name()) && s.isPublishing()).count();
      list.add(new JsonObject()
          .put("id", StreamIds.ofVhost(vhost.name()))
          .put("name", vhost.name())
          .put("enabled", vhost.enabled())
          .put("clients", clients.size())
          .put("streams", streams)
          .put("recv_bytes", clients.stream().mapToLong(Client::recvBytes).sum())
          .put("send_bytes", clients.stream().mapToLong(Client::sendBytes).sum())
          .put("kbps", new JsonObject()
              .put("recv_30s", clients.stream().mapToInt(c -> c.kbps().recv()).sum())
              .put("send_30s", clients.stream().mapToInt(c -> c.kbps().send()).sum()))
          .put("hls", new JsonObject().put("enabled", vhost.hls().enabled())));
    }
    return list;
  }

  private JsonArray streamList() {
    Map<StreamKey, List<Client>> byStream = new HashMap<>();
    for (Client c : clients.all()) {
      if (c.stream() != null) {
        byStream.computeIfAbsent(new StreamKey(c.vhost(), c.app(), c.stream()), k -> new ArrayList<>()).add(c);
      }
    }
    List<Source> sources = new ArrayList<>(hub.sources());
    sources.sort(Comparator.comparingLong(Source::createdAt));
    JsonArray list = new JsonArray();
    for (Source source : sources) {
      StreamKey key = source.key();
      List<Client> clients = byStream.getOrDefault(key, List.of());
      boolean live = source.isPublishing();
      JsonObject more = live ? details.apply(key) : null;
      JsonObject stream = new JsonObject();
      list.add(stream
          .put("id", StreamIds.of(key.vhost(), key.app(), key.stream()))
          .put("name", key.stream())
          .put("vhost", StreamIds.ofVhost(key.vhost()))
          .put("app", key.app())
          .put("tcUrl", "rtmp://" + key.vhost() + "/" + key.app())
          .put("url", key.url())
          .put("live_ms", live ? source.publishedAt() : 0)
          .put("clients", clients.size())
          .put("frames", source.frames())
          .put("send_bytes", clients.stream().filter(c -> !c.isPublishing()).mapToLong(Client::sendBytes).sum())
          .put("recv_bytes", source.recvBytes())
          .put("kbps", StreamInfo.kbps(source.kbps()))
          .put("publish", new JsonObject().put("active", live).put("cid", live ? source.publisherId() : null))
          .put("video", live ? StreamInfo.video(source.video()) : null)
          .put("audio", live ? StreamInfo.audio(source.audio()) : null));
      JsonArray tracks = live ? StreamInfo.tracks(source.tracks()) : null;
      if (tracks != null) { // Enhanced RTMP multitrack: more than one audio or video track
        stream.put("tracks", tracks);
      }
      if (more != null) {
        stream.mergeIn(more);
      }
    }
    return list;
  }

  private JsonArray clientList() {
    JsonArray list = new JsonArray();
    for (Client c : new ArrayList<>(clients.all())) {
      String vhost = c.vhost() == null ? StreamKey.DEFAULT_VHOST : c.vhost();
      String stream = c.stream() == null ? "" : StreamIds.of(vhost, c.app(), c.stream());
      list.add(c.toApi(StreamIds.ofVhost(vhost), stream));
    }
    return list;
  }

  /**
   * A client of this node is kicked here; any other id is asked of the other nodes of the cluster. With
   * {@code ?reconnect=1} (Estuary's), a publisher that announced Enhanced RTMP's Reconnect capability is asked to
   * reconnect and closed a few seconds later; any other client is closed at once, as without it.
   */
  private void kick(RoutingContext rc) {
    String id = rc.pathParam("id");
    String asked = rc.request().getParam("reconnect");
    boolean reconnect = "1".equals(asked) || "true".equalsIgnoreCase(asked);
    Client client = clients.get(id);
    if (client != null) {
      client.kick(reconnect);
      send(rc, node.envelope(0));
      return;
    }
    kickElsewhere.apply(id, reconnect).onComplete(ar -> send(rc, node.envelope(ar.succeeded() && ar.result() ? 0
        : ERROR_CLIENT_NOT_FOUND)));
  }

  private void raw(RoutingContext rc) {
    if (!"reload".equals(rc.request().getParam("rpc"))) {
      send(rc, node.envelope(ERROR_RELOAD).put("error", "rpc must be reload"));
      return;
    }
    reload.get().onComplete(done -> send(rc, done.succeeded() ? node.envelope(0)
        : node.envelope(ERROR_RELOAD).put("error", done.cause().getMessage())));
  }

  /** SRS's paging: {@code ?start=0&count=10}. */
  private static JsonArray page(RoutingContext rc, JsonArray all) {
    int start = intParam(rc, "start", 0);
    int count = intParam(rc, "count", DEFAULT_COUNT);
    JsonArray page = new JsonArray();
    for (int i = Math.max(0, start); i < all.size() && page.size() < count; i++) {
      page.add(all.getValue(i));
    }
    return page;
  }

  private static int intParam(RoutingContext rc, String name, int fallback) {
    try {
      String value = rc.request().getParam(name);
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private void one(RoutingContext rc, String field, JsonArray all, int notFound) {
    String id = rc.pathParam("id");
    for (int i = 0; i < all.size(); i++) {
      JsonObject item = all.getJsonObject(i);
      if (id.equals(item.getString("id"))) {
        ok(rc, new JsonObject().put(field, item));
        return;
      }
    }
    send(rc, node.envelope(notFound));
  }

  private void ok(RoutingContext rc, JsonObject body) {
    send(rc, node.envelope(0).mergeIn(body));
  }

  private static void send(RoutingContext rc, JsonObject body) {
    rc.response().putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** http_api.auth: HTTP basic authentication, compared in constant time. */
  private static void basicAuth(RoutingContext rc, String expected) {
    String header = rc.request().getHeader("Authorization");
    boolean allowed = false;
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        byte[] given = Base64.getDecoder().decode(header.substring(6).trim());
        allowed = MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        allowed = false;
      }
    }
    if (allowed) {
      rc.next();
    } else {
      rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"estuary\"").end();
    }
  }
}
