package io.estuary.edge;

import io.estuary.access.ClientId;
import io.estuary.config.ClusterConfig;
import io.estuary.config.Endpoint;
import io.estuary.config.VhostConfig;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.estuary.rtmp.RtmpPlaySession;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamOwners;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * One stream pulled by an edge: an {@link RtmpClient} plays it from an origin into the local {@link Source}, which
 * its players (RTMP, HTTP-FLV, HLS of the edge) share as they would a publisher's. Started by the first player,
 * stopped when the last one leaves ({@link Edge}).
 *
 * <p>As SRS's edge ingester: origins are tried round-robin (5 s to connect), the next one 3 s after a failure, for as
 * long as players wait; an RTMP 302 from the origin is followed (at most {@link RtmpClientOptions#DEFAULT_MAX_REDIRECTS}
 * in a row). When the upstream breaks or the origin's publisher leaves (UnpublishNotify), the local publish is
 * <em>interrupted</em>, not stopped ({@link Source#interruptPublish()}): players stay connected and resume with the
 * next upstream's metadata and sequence headers; HLS and forwarding see the end of that publish.
 *
 * <p>State accessed exclusively from the upstream's own event loop ({@link #context}, one of the node's {@link Loops}):
 * its connection and its publish into the source run there, apart from the edge's bookkeeping. {@link #start()} and
 * {@link #stop()} may be called from any thread; {@link #url()} is read by the edge.
 */
final class Upstream {

  private static final Logger LOG = Logger.getLogger("io.estuary.edge");
  /** SRS's edge: connect timeout, and the pause before the next origin. */
  static final int CONNECT_TIMEOUT_MS = 5000;
  static final long RETRY_MS = 3000;
  private static final String UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";

  private final Vertx vertx;
  private final Context context;
  private final Executor loop;
  private final Source source;
  private final VhostConfig vhost;
  /** The vhost's {@code origin} list, null without one (the directory alone says where to pull). */
  private final Origins origins;
  /** The cluster's stream directory ({@link StreamOwners#NONE} alone): asked first, watched for owner changes. */
  private final StreamOwners owners;
  private AutoCloseable watch;
  /** The RTMP {@code host:port} of the directory's owner this upstream pulls (or tries), null: a listed origin. */
  private String owner;
  private final RtmpClient client;
  /** The publisher id the local source shows while this upstream feeds it. */
  final String id = ClientId.next();
  private final Runnable onPublishLost;
  private volatile RtmpPlaySession session;
  private boolean publishing;
  private boolean stopped;
  private long retryTimer = -1;
  private int attempt;

  /** {@code onPublishLost}: a local publisher took the stream, this upstream gave up (told on its context). */
  Upstream(Vertx vertx, Context context, Source source, VhostConfig vhost, StreamOwners owners, int firstOrigin,
           Runnable onPublishLost) {
    this.vertx = vertx;
    this.context = context;
    this.loop = task -> context.runOnContext(v -> task.run());
    this.source = source;
    this.vhost = vhost;
    this.onPublishLost = onPublishLost;
    this.owners = owners;
    this.origins = vhost.cluster().origins().isEmpty() ? null : new Origins(vhost.cluster().origins(), firstOrigin);
    // The stream is chunked once for the edge's RTMP players: at their chunk size.
    this.client = RtmpClient.create(vertx, new RtmpClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setHandshakeTimeout(CONNECT_TIMEOUT_MS).setChunkSize(vhost.chunkSize()));
  }

  Source source() {
    return source;
  }

  StreamKey key() {
    return source.key();
  }

  /** The URL this upstream plays from now (after any RTMP 302), or null while it connects or waits to retry. */
  String url() {
    return session == null ? null : session.url();
  }

  /** Starts pulling, on the upstream's context; from any thread. */
  void start() {
    context.runOnContext(v -> {
      if (owners != StreamOwners.NONE) {
        watch = owners.watch(source.key(), next -> context.runOnContext(x -> ownerChanged(next)));
      }
      pull();
    });
  }

  /**
   * The directory names a new owner of the stream (its origin died and the publisher came back elsewhere, or it was
   * published for the first time): pull from it at once, whatever this upstream was doing.
   */
  private void ownerChanged(StreamOwners.Owner next) {
    if (stopped || next == null || next.rtmp() == null || next.rtmp().equals(owner)) {
      return; // a release: the upstream breaks or the origin says UnpublishNotify by itself
    }
    LOG.info("edge " + source.key() + ": the stream directory names a new owner, node " + next.nodeId() + " (rtmp://"
        + next.rtmp() + "); pulling from it at once");
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    RtmpPlaySession playing = session;
    if (playing != null) {
      session = null;
      playing.close();
      interrupt();
    }
    pullFrom(Endpoint.parse(next.rtmp()), next.rtmp());
  }

  /** The next place to pull from: the directory's owner first, else the next listed origin, else wait. */
  private void pull() {
    retryTimer = -1;
    if (stopped) {
      return;
    }
    if (owners == StreamOwners.NONE) {
      pullFrom(origins.next(), null);
      return;
    }
    int asked = ++attempt;
    owners.elsewhere(source.key()).whenComplete((found, failure) -> context.runOnContext(v -> {
      if (asked != attempt || stopped) {
        return;
      }
      if (found != null && found.rtmp() != null) {
        pullFrom(Endpoint.parse(found.rtmp()), found.rtmp());
      } else if (origins != null) {
        pullFrom(origins.next(), null);
      } else {
        if (failure != null) {
          LOG.warning("edge " + source.key() + ": stream directory not answering: " + failure.getMessage());
        }
        owner = null;
        LOG.fine("edge " + source.key() + ": nobody publishes it in the cluster; waiting");
        retryTimer = vertx.setTimer(RETRY_MS, id -> context.runOnContext(x -> pull()));
      }
    }));
  }

  private void pullFrom(Endpoint origin, String directoryOwner) {
    owner = directoryOwner;
    StreamKey key = source.key();
    ClusterConfig cluster = vhost.cluster();
    String vhostAsked = cluster.upstreamVhost() != null ? cluster.upstreamVhost() : key.vhost();
    String url = Origins.url(origin, vhostAsked, key.app(), key.stream(), source.demandParam());
    int tried = ++attempt;
    LOG.info("edge " + key + ": pulling from " + url);
    client.play(url, source).onComplete(ar -> {
      if (tried != attempt) {
        if (ar.succeeded()) {
          ar.result().close(); // superseded meanwhile (a new owner, or stopped)
        }
        return;
      }
      if (ar.failed()) {
        failed(url, ar.cause().getMessage());
        return;
      }
      RtmpPlaySession playing = ar.result();
      if (stopped) {
        playing.close();
        return;
      }
      session = playing;
      if (!playing.url().equals(url)) {
        LOG.info("edge " + key + ": the origin redirected (RTMP 302), pulling from " + playing.url());
      }
      if (!source.startPublish(loop, vhost.play(), vhost.publish().parseSps(), id)) {
        LOG.warning("edge " + key + ": a local publisher took the stream, no upstream for it");
        stopNow();
        onPublishLost.run();
        return;
      }
      publishing = true;
      LOG.info("edge " + key + ": upstream " + playing.url() + " playing, for " + source.demand() + " player(s)");
      playing.statusHandler(status -> {
        if (UNPUBLISH_NOTIFY.equals(status.get("code")) && session == playing && !stopped) {
          LOG.info("edge " + key + ": the origin's publisher left; players wait for the next one");
          broken(playing, 0);
        }
      });
      playing.closed().onComplete(closed -> {
        if (session == playing && !stopped) {
          LOG.warning("edge " + key + ": upstream " + playing.url() + " broke (" + closed.result()
              + "); players stay, next origin in " + RETRY_MS + " ms");
          broken(playing, RETRY_MS);
        }
      });
    });
  }

  private void failed(String url, String reason) {
    if (stopped) {
      return;
    }
    owner = null;
    if (reason != null && reason.startsWith("too many RTMP 302")) {
      LOG.warning("edge " + source.key() + ": stopped following RTMP 302 from " + url + " after "
          + RtmpClientOptions.DEFAULT_MAX_REDIRECTS + " redirects in a row (" + reason + "); next origin in "
          + RETRY_MS + " ms");
    } else {
      LOG.warning("edge " + source.key() + ": origin " + url + " failed: " + reason + "; next origin in " + RETRY_MS
          + " ms");
    }
    retryTimer = vertx.setTimer(RETRY_MS, id -> context.runOnContext(v -> pull()));
  }

  /** The upstream ended: the players keep their connections; pull again after {@code delay} ms. */
  private void broken(RtmpPlaySession playing, long delay) {
    session = null;
    playing.close();
    interrupt();
    if (delay == 0) {
      pull();
    } else {
      retryTimer = vertx.setTimer(delay, id -> context.runOnContext(v -> pull()));
    }
  }

  private void interrupt() {
    if (publishing) {
      publishing = false;
      source.interruptPublish();
    }
  }

  /** The last player left: the upstream closes and the local publish ends, on its context; from any thread. */
  void stop() {
    context.runOnContext(v -> stopNow());
  }

  /** Closes the upstream, ends the local publish and gives the source back. */
  private void stopNow() {
    if (stopped) {
      return;
    }
    stopped = true;
    attempt++;
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.fine("edge " + source.key() + ": " + e.getMessage());
      }
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    if (session != null) {
      LOG.info("edge " + source.key() + ": no player left, upstream " + session.url() + " closed");
      session.close();
      session = null;
    }
    if (publishing) {
      publishing = false;
      source.stopPublish();
    }
    client.close();
    source.release();
  }
}
