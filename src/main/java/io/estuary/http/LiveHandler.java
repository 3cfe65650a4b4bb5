package io.estuary.http;

import io.estuary.hls.Hls;
import io.estuary.hls.TsRemux;
import io.estuary.stream.ClientId;
import io.estuary.stream.Consumer;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.VhostOptions;
import io.estuary.stream.Vhosts;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Live streams over HTTP: the {@code http_remux} mounts of every vhost (HTTP-FLV), then HLS playlists and
 * segments from memory; anything else goes on to the static files.
 */
public final class LiveHandler implements Handler<RoutingContext> {

  private static final Logger LOG = Logger.getLogger("io.estuary.http");

  private final StreamHub hub;
  private final Supplier<Vhosts> vhosts;
  private final Hls hls;
  private final TsRemux tsRemux;
  private Vhosts mountsOf;
  private List<Mount> mounts = List.of();

  public LiveHandler(StreamHub hub, Supplier<Vhosts> vhosts, Hls hls, TsRemux tsRemux) {
    this.hub = hub;
    this.vhosts = vhosts;
    this.hls = hls;
    this.tsRemux = tsRemux;
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.normalizedPath();
    for (Mount mount : mounts()) {
      StreamKey key = mount.match(path);
      if (key != null) {
        play(rc, mount, key);
        return;
      }
    }
    Buffer file = hls.file(path);
    if (file != null) {
      String type = path.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t";
      rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(file);
      return;
    }
    rc.next();
  }

  /** The mounts of the configuration in force, rebuilt when it is reloaded. */
  private List<Mount> mounts() {
    Vhosts current = vhosts.get();
    if (current != mountsOf) {
      List<Mount> next = new ArrayList<>();
      for (VhostOptions vhost : current.all()) {
        JsonObject remux = vhost.block("http_remux");
        if (remux.getBoolean("enabled", false)) {
          // SRS takes one mount; a repeated mount (e.g. .flv and .ts) serves each.
          Object mount = remux.getValue("mount", Mount.DEFAULT_MOUNT);
          Iterable<?> each = mount instanceof JsonArray list ? list : List.of(mount);
          for (Object m : each) {
            next.add(Mount.of(vhost, String.valueOf(m)));
          }
        }
      }
      mounts = next;
      mountsOf = current;
    }
    return mounts;
  }

  /** A live HTTP player of {@code key}: FLV, TS, AAC or MP3 by the mount's extension. */
  private void play(RoutingContext rc, Mount mount, StreamKey key) {
    HttpServerRequest request = rc.request();
    VhostOptions vhost = mount.vhost();
    JsonObject remux = vhost.block("http_remux");
    Framing framing = Framing.forExtension(mount.extension(), remux.getBoolean("has_audio", true),
        remux.getBoolean("has_video", true));
    Source live = hub.acquire(key);
    if (framing == null || !live.isPublishing()) {
      live.release();
      rc.response().setStatusCode(404).end("stream " + key.url() + " is not published\n");
      return;
    }
    ContextInternal context = ContextInternal.current();
    Source source = live;
    if (framing instanceof Framing.Ts) {
      source = tsRemux.acquire(live, vhost, context.nettyEventLoop()); // TS is muxed once per stream
      live.release();
    }
    String client = "[" + ClientId.next() + "] " + (request.remoteAddress() == null ? "?" : request.remoteAddress());
    HttpServerResponse response = rc.response().setChunked(true).putHeader("Content-Type", framing.contentType());
    Session session = new Session(source, client, key);
    HttpLivePlayer player = new HttpLivePlayer(response, PooledByteBufAllocator.DEFAULT, framing,
        () -> context.runOnContext(v -> session.stop()));
    session.consumer = new Consumer(context.nettyEventLoop(), player, vhost.play());
    response.closeHandler(v -> {
      player.release();
      session.stop();
    });
    response.drainHandler(v -> session.consumer.drain());
    source.subscribe(session.consumer);
    LOG.info(client + " play " + key + " over HTTP (" + mount.extension() + ")");
  }

  /** One HTTP player's hold on its source, given back once. State accessed from the connection's event loop. */
  private static final class Session {
    private final Source source;
    private final String client;
    private final StreamKey key;
    Consumer consumer;
    private boolean stopped;

    Session(Source source, String client, StreamKey key) {
      this.source = source;
      this.client = client;
      this.key = key;
    }

    void stop() {
      if (!stopped) {
        stopped = true;
        source.unsubscribe(consumer);
        source.release();
        LOG.info(client + " left " + key);
      }
    }
  }
}
