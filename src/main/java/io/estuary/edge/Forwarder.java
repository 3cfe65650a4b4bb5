package io.estuary.edge;

import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.amf.Amf0;
import io.estuary.config.Endpoint;
import io.estuary.config.VhostConfig;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.estuary.rtmp.RtmpPublishSession;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.stream.Consumer;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Subscription;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * A stream published on an edge, pushed to an origin (SRS's SrsEdgeForwarder): a follower of the local source writes
 * each message to an {@link RtmpClient#publish} session. The consumer's bounded queue ({@code queue_length}, whole
 * GOPs dropped past it) stands between the two, so a slow origin never slows the encoder; an upstream error ends the
 * encoder's session, as SRS does.
 *
 * <p>State accessed exclusively from the edge's event loop.
 */
final class EdgeForwarder implements Consumer.Sink {

  private static final Logger LOG = Logger.getLogger("io.estuary.edge");

  private final StreamKey key;
  private final Clients clients;
  private final String publisherId;
  private final RtmpClient client;
  private final Consumer consumer;
  private final Subscription subscription;
  private RtmpPublishSession session;
  private boolean ended;

  /** Follows {@code key} at once (so that its metadata and sequence headers are not missed), then connects. */
  EdgeForwarder(Vertx vertx, Context context, StreamHub hub, Clients clients, VhostConfig vhost, StreamKey key,
                String publisherId, Future<Endpoint> origin) {
    this.key = key;
    this.clients = clients;
    this.publisherId = publisherId;
    Executor loop = task -> context.runOnContext(v -> task.run());
    this.client = RtmpClient.create(vertx, new RtmpClientOptions().setConnectTimeout(Upstream.CONNECT_TIMEOUT_MS)
        .setHandshakeTimeout(Upstream.CONNECT_TIMEOUT_MS));
    this.consumer = new Consumer(loop, this, vhost.play());
    this.subscription = hub.follow(key, consumer);
    String vhostAsked = vhost.cluster().upstreamVhost() != null ? vhost.cluster().upstreamVhost() : key.vhost();
    String[] url = new String[1];
    origin.compose(o -> {
      Client publisher = clients.get(publisherId); // its token goes along, as SRS's edge forwarder sends its request
      url[0] = Origins.url(o, vhostAsked, key.app(), key.stream(), publisher == null ? "" : publisher.param());
      return client.publish(url[0]);
    }).onComplete(ar -> context.runOnContext(v -> published(ar, url[0])));
  }

  private void published(AsyncResult<RtmpPublishSession> ar, String url) {
    if (ended) {
      if (ar.succeeded()) {
        ar.result().close();
      }
      return;
    }
    if (ar.failed()) {
      fail("cannot publish to " + (url == null ? "an origin" : url) + ": " + ar.cause().getMessage());
      return;
    }
    session = ar.result();
    LOG.info("edge " + key + ": forwarding the publish to " + url);
    session.drainHandler(v -> consumer.drain());
    session.closed().onComplete(closed -> {
      if (!ended) {
        fail("the origin " + url + " ended the forward: " + closed.result());
      }
    });
    consumer.drain();
  }

  @Override
  public boolean writable() {
    return session != null && !session.writeQueueFull();
  }

  @Override
  public void write(StreamMessage message, long timestamp) {
    try {
      if (session == null) {
        return; // the encoder left before the origin answered: nothing to forward to
      }
      if (message.isAudio()) {
        session.writeAudio(timestamp, message.payload().retainedDuplicate());
      } else if (message.isVideo()) {
        session.writeVideo(timestamp, message.payload().retainedDuplicate());
      } else if (message.isScript()) {
        List<Object> values = new ArrayList<>(List.of("@setDataFrame"));
        values.addAll(Amf0.readAll(message.payload().duplicate())); // onMetaData, {metadata}
        session.write(new DataMessage(session.streamId(), timestamp, values));
      }
    } finally {
      message.release();
    }
  }

  @Override
  public void flush() {
    // the session flushes at the end of this event-loop task
  }

  /** The encoder stopped publishing: the forward ends with it. */
  @Override
  public void streamEnded() {
    end();
  }

  /** The upstream failed: the encoder's session ends (SRS). */
  private void fail(String reason) {
    LOG.warning("edge " + key + ": " + reason + "; closing the publisher");
    end();
    Client publisher = clients.get(publisherId);
    if (publisher != null) {
      publisher.kick();
    }
  }

  void end() {
    if (ended) {
      return;
    }
    ended = true;
    subscription.close();
    if (session != null) {
      session.close();
    }
    client.close();
  }
}
