package io.estuary.http;

import io.estuary.access.Authorization;
import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.access.ConnectionLimits;
import io.estuary.access.Events;
import io.estuary.cluster.Redirects;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.hls.Hls;
import io.estuary.log.RateLimitedLog;
import io.estuary.stream.Consumer;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.StreamOwners;
import io.estuary.stream.Subscription;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Live streams over HTTP: the {@code http_remux} mounts of every vhost (HTTP-FLV), then HLS playlists and
 * segments from memory; anything else goes on to the static files.
 */
public final class LiveHandler implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger("io.estuary.http");
  /** HTTP players refused: a client retrying in a loop must not flood the log. */
  private final RateLimitedLog refused = new RateLimitedLog(LOG, Level.WARNING, "HTTP players refused", 10);

  private final StreamHub hub;
  private final Clients clients;
  /** max_connections and max_connections_per_ip, counted with the RTMP clients' ({@link Clients#admit}). */
  private final ConnectionLimits limits;
  private final Supplier<Vhosts> vhosts;
  private final Hls hls;
  private final TsRemux tsRemux;
  private Vhosts mountsOf;
  private List<Mount> mounts = List.of();
  private List<Mount> playlists = List.of();

  public LiveHandler(StreamHub hub, Clients clients, ConnectionLimits limits, Supplier<Vhosts> vhosts, Hls hls,
                     TsRemux tsRemux) {
    this.hub = hub;
    this.clients = clients;
    this.limits = limits;
    this.vhosts = vhosts;
    this.hls = hls;
    this.tsRemux = tsRemux;
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.normalizedPath();
    // HLS files first: a [stream].ts mount would otherwise take live/s-3.ts for a stream "s-3" and answer 404.
    Buffer file = hls.file(path);
    if (file != null) {
      String type = path.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t";
      rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(file);
      return;
    }
    for (Mount mount : mounts()) {
      StreamKey key = mount.match(path);
      if (key != null) {
        play(rc, mount, key);
        return;
      }
    }
    StreamKey playlist = hub.owners() == StreamOwners.NONE ? null : playlistKey(path);
    if (playlist != null) { // not made here: perhaps the stream is published on another node
      redirectOrPlay(rc, playlist, rc::next);
      return;
    }
    rc.next();
  }

  /** The stream whose HLS playlist {@code path} is, by an origin vhost's {@code hls_m3u8_file}, else null. */
  private StreamKey playlistKey(String path) {
    if (!path.endsWith(".m3u8")) {
      return null;
    }
    mounts();
    for (Mount playlist : playlists) {
      StreamKey key = playlist.match(path);
      if (key != null) {
        return key;
      }
    }
    return null;
  }

  /**
   * The mounts of the configuration in force (and its origin vhosts' HLS playlist paths), rebuilt when it is
   * reloaded.
   */
  private List<Mount> mounts() {
    Vhosts current = vhosts.get();
    if (current != mountsOf) {
      List<Mount> next = new ArrayList<>();
      List<Mount> nextPlaylists = new ArrayList<>();
      for (VhostConfig vhost : current.all()) {
        if (vhost.httpRemux().enabled()) {
          for (String m : vhost.httpRemux().mounts()) {
            next.add(Mount.of(vhost, m));
          }
        }
        if (!vhost.cluster().edge()) { // a playlist made elsewhere is redirected to, whether HLS is on here or not
          nextPlaylists.add(Mount.playlist(vhost));
        }
      }
      mounts = next;
      playlists = nextPlaylists;
      mountsOf = current;
    }
    return mounts;
  }

  /** A live HTTP player of {@code key}: FLV, TS, AAC or MP3 by the mount's extension; security and callbacks first. */
  private void play(RoutingContext rc, Mount mount, StreamKey key) {
    VhostConfig vhost = mount.vhost();
    Framing framing = Framing.forExtension(mount.extension(), vhost.httpRemux().hasAudio(),
        vhost.httpRemux().hasVideo());
    Source live = hub.get(key);
    if (framing != null && Redirects.asksDirectory(vhost, live, hub.owners())) {
      redirectOrPlay(rc, key, () -> playHere(rc, mount, key, framing));
      return;
    }
    playHere(rc, mount, key, framing);
  }

  /**
   * In a cluster, a stream another node publishes gets an HTTP 302 to the same path at that node's HTTP server;
   * otherwise {@code here} (as on one node). On the request's loop.
   */
  private void redirectOrPlay(RoutingContext rc, StreamKey key, Runnable here) {
    ContextInternal context = ContextInternal.current();
    hub.owners().elsewhere(key).whenComplete((owner, failure) -> context.runOnContext(v -> {
      Source local = hub.get(key);
      String location = failure == null && (local == null || !local.isPublishing())
          ? Redirects.httpUrl(owner, rc.request().uri()) : null;
      if (location == null) {
        here.run();
        return;
      }
      LOG.info("HTTP " + rc.request().uri() + ": 302 to " + location + " (stream directory: node " + owner.nodeId()
          + " publishes " + key + ")");
      rc.response().setStatusCode(302).putHeader("Location", location).end();
    }));
  }

  private void playHere(RoutingContext rc, Mount mount, StreamKey key, Framing framing) {
    HttpServerRequest request = rc.request();
    VhostConfig vhost = mount.vhost();
    Source live = hub.get(key);
    if (framing == null || !waits(vhost) && (live == null || !live.isPublishing())) {
      rc.response().setStatusCode(404).end("stream " + key.url() + " is not published\n");
      return;
    }
    // Vert.x internal API, here only: a player's Consumer runs on the connection's Netty event loop (an Executor the
    // data plane can hand messages to, and that Subscription.close() recognises), which only ContextInternal exposes.
    ContextInternal context = ContextInternal.current();
    String ip = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    if (!clients.admit(ip, "HTTP player " + request.remoteAddress() + " " + request.uri(), limits)) {
      // SRS closes the socket; an HTTP player is told why, and the connection closes after it.
      rc.response().setStatusCode(503).putHeader("Connection", "close").end("too many connections\n");
      return;
    }
    // A kick closes at once, from the socket's end: a player that stopped reading never takes the writes queued
    // before Vert.x's own close.
    Client client = new Client(ip, mount.extension() + "-play",
        () -> context.runOnContext(v -> HttpChannels.closeNow(request.connection())));
    client.connected(key.vhost(), key.app(), request.absoluteURI(), request.getHeader("Referer"), "");
    client.identified(key, request.query() == null ? "" : "?" + request.query(), mount.extension() + "-play", false);
    clients.add(client);
    EventBus bus = rc.vertx().eventBus();
    Authorization.check(bus, client, vhost.security(), "play", false).onComplete(verdict -> context.runOnContext(v -> {
      if (verdict.failed()) {
        refused.log(() -> "[" + client.id() + "] " + ip + " closing: play refused: " + verdict.cause().getMessage());
        gone(client, true);
        rc.response().setStatusCode(403).end("play refused\n");
        return;
      }
      start(rc, vhost, framing, key, client, bus, context);
    }));
  }

  private void start(RoutingContext rc, VhostConfig vhost, Framing framing, StreamKey key, Client client, EventBus bus,
                     ContextInternal context) {
    HttpServerResponse response = rc.response();
    String who = "[" + client.id() + "] " + client.ip();
    Source live = hub.get(key);
    boolean waits = waits(vhost);
    if (response.closed() || !waits && (live == null || !live.isPublishing())) {
      notPublished(response, key, client);
      return;
    }
    if (framing instanceof Framing.Flv flv && vhost.httpRemux().guessHasAv() && live != null && live.isPublishing()) {
      framing = flv.guessed(live.audio() != null, live.video() != null); // an audio-only stream says so
    }
    Session session = new Session(client, bus, who, key);
    boolean unbundled = HttpChannels.unbundle(rc.request());
    HttpLivePlayer player = new HttpLivePlayer(response, StreamMessage.STORE, framing, client, unbundled,
        () -> context.runOnContext(v -> session.stop(false)), () -> HttpChannels.closeNow(rc.request().connection()));
    Consumer consumer = new Consumer(context.nettyEventLoop(), player, vhost.play())
        .param(rc.request().query() == null ? "" : "?" + rc.request().query());
    // The backlog reaches the player in a later task on this loop: the response's headers are set before it.
    session.subscription = framing instanceof Framing.Ts
        ? tsRemux.subscribe(key, vhost.play(), consumer) // TS is muxed once per stream
        : hub.subscribe(key, consumer);
    if (!waits && !session.subscription.source().isPublishing()) { // the publisher left meanwhile
      session.subscription.close();
      player.release();
      notPublished(response, key, client);
      return;
    }
    response.setChunked(true).putHeader("Content-Type", framing.contentType());
    response.closeHandler(v -> {
      player.release();
      session.stop(true);
    });
    response.drainHandler(v -> consumer.drain());
    bus.publish(Events.PLAY, client.describe().put("action", "on_play"), Events.local());
    LOG.info(who + " play " + key + " over HTTP (" + client.type() + ")");
  }

  /**
   * An edge's player waits for the stream as an RTMP player does: its coming is what starts the upstream
   * (SRS answers 404 on an origin only).
   */
  private static boolean waits(VhostConfig vhost) {
    return vhost.cluster().edge();
  }

  /** The player's connection is no longer counted (max_connections) nor listed; once per player. */
  private void gone(Client client, boolean error) {
    clients.remove(client, error);
    clients.leave(client.ip());
  }

  private void notPublished(HttpServerResponse response, StreamKey key, Client client) {
    gone(client, false);
    if (!response.closed()) {
      response.setStatusCode(404).end("stream " + key.url() + " is not published\n");
    }
  }

  /** One HTTP player's subscription, given back once. State accessed from the connection's event loop. */
  private final class Session {
    private final Client client;
    private final EventBus bus;
    private final String who;
    private final StreamKey key;
    Subscription subscription;
    private boolean stopped;

    Session(Client client, EventBus bus, String who, StreamKey key) {
      this.client = client;
      this.bus = bus;
      this.who = who;
      this.key = key;
    }

    void stop(boolean closed) {
      if (stopped) {
        return;
      }
      stopped = true;
      subscription.close();
      client.stopped();
      gone(client, false);
      bus.publish(Events.STOP, client.describe().put("action", "on_stop"), Events.local());
      bus.publish(Events.CLOSE, client.describe().put("action", "on_close")
          .put("send_bytes", client.sendBytes()).put("recv_bytes", client.recvBytes()), Events.local());
      LOG.info(who + (closed ? " left " : " reached the end of ") + key);
    }
  }
}
