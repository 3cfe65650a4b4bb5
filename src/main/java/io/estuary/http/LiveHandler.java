package io.estuary.http;

import io.estuary.hls.Hls;
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
  private Vhosts mountsOf;
  private List<Mount> mounts = List.of();

  public LiveHandler(StreamHub hub, Supplier<Vhosts> vhosts, Hls hls) {
    this.hub = hub;
    this.vhosts = vhosts;
    this.hls = hls;
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.normalizedPath();
    for (Mount mount : mounts()) {
      StreamKey key = mount.match(path);
      if (key != null && "flv".equals(mount.extension())) {
        playFlv(rc, mount.vhost(), key);
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
          next.add(Mount.of(vhost, remux.getString("mount", Mount.DEFAULT_MOUNT)));
        }
      }
      mounts = next;
      mountsOf = current;
    }
    return mounts;
  }

  private void playFlv(RoutingContext rc, VhostOptions vhost, StreamKey key) {
    HttpServerRequest request = rc.request();
    Source existing = hub.get(key);
    if (existing == null || !existing.isPublishing()) {
      rc.response().setStatusCode(404).end("stream " + key.url() + " is not published\n");
      return;
    }
    Source source = hub.acquire(key);
    JsonObject remux = vhost.block("http_remux");
    HttpServerResponse response = rc.response().setChunked(true).putHeader("Content-Type", "video/x-flv");
    String client = "[" + ClientId.next() + "] " + (request.remoteAddress() == null ? "?" : request.remoteAddress());
    ContextInternal context = ContextInternal.current();
    boolean[] done = {false};
    Consumer[] consumer = {null};
    Runnable stop = () -> {
      if (!done[0]) {
        done[0] = true;
        source.unsubscribe(consumer[0]);
        source.release();
      }
    };
    HttpFlvPlayer player = new HttpFlvPlayer(response, PooledByteBufAllocator.DEFAULT, remux.getBoolean("has_audio", true),
        remux.getBoolean("has_video", true), () -> context.runOnContext(v -> stop.run()));
    consumer[0] = new Consumer(context.nettyEventLoop(), player, vhost.play());
    response.closeHandler(v -> {
      player.release();
      stop.run();
      LOG.info("http-flv " + client + " left " + key);
    });
    response.drainHandler(v -> consumer[0].drain());
    source.subscribe(consumer[0]);
    LOG.info("http-flv " + client + " play " + key);
  }
}
