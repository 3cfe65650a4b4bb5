package io.estuary.edge;

import io.estuary.amf.Amf0;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.estuary.rtmp.RtmpPublishSession;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
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
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One published stream pushed to one RTMP(S) URL with an {@link RtmpClient#publish} session: SRS's SrsEdgeForwarder
 * (an edge pushing its encoder's stream to an origin) and SrsForwarder (an origin's {@code forward}) in one class.
 *
 * <p>A follower of the local source ({@link StreamHub#follow}) feeds the session through the consumer's bounded queue
 * ({@code queue_length}, whole GOPs dropped past it), so a slow or dead destination never slows the publisher or its
 * players. Each connection attempt follows the stream afresh, so it starts with the metadata, sequence headers and
 * current GOP, as SRS's forwarder re-sends its cached sequence headers after a reconnect.
 *
 * <p>When the destination fails: with a {@link Failure} handler (the edge) the forward ends and the handler is told,
 * once; without one (forward) it tries again after a back-off (0.5, 1, 2, then every 3 s, SRS's pause) for as long as
 * the publish lasts.
 *
 * <p>State accessed exclusively from {@link #context} (its own, one of the node's {@link Loops}: the connection and the
 * follower's queue run there); {@link #state()}, {@link #url()} and {@link #bytes()} are written there and read by the
 * API from any thread; {@link #end()} may be called from any thread.
 */
final class Forwarder {

  private static final Logger LOG = Logger.getLogger("io.estuary.edge");
  /** SRS's forwarder pause between attempts: the back-off's ceiling. */
  static final long MAX_RETRY_MS = 3000;
  private static final long FIRST_RETRY_MS = 500;

  /** Where a forward is, as the API shows it. */
  enum State {
    CONNECTING, FORWARDING, RETRYING;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the edge does when its origin fails: it ends its encoder's session (SRS). */
  interface Failure {
    void failed(String reason);
  }

  private final Vertx vertx;
  private final Context context;
  private final Executor loop;
  private final StreamHub hub;
  private final PlayOptions play;
  private final StreamKey key;
  private final String publisherId;
  private final String label;
  private final Supplier<Future<String>> target;
  private final Failure failure;
  private final RtmpClient client;
  private Attempt attempt;
  private long retryTimer = -1;
  private int failures;
  private boolean ended;
  private volatile State state = State.CONNECTING;
  private volatile String url;
  private volatile long bytes;

  /**
   * Follows {@code key} at once and connects to the URL {@code target} gives (asked again for each attempt).
   * {@code label} starts each log line ("edge", "forward"); {@code failure} null: retry with back-off.
   */
  Forwarder(Vertx vertx, Context context, StreamHub hub, PlayOptions play, StreamKey key, String publisherId,
            String label, Supplier<Future<String>> target, Failure failure) {
    this.vertx = vertx;
    this.context = context;
    this.loop = task -> context.runOnContext(v -> task.run());
    this.hub = hub;
    this.play = play;
    this.key = key;
    this.publisherId = publisherId;
    this.label = label;
    this.target = target;
    this.failure = failure;
    this.client = RtmpClient.create(vertx, new RtmpClientOptions().setConnectTimeout(Upstream.CONNECT_TIMEOUT_MS)
        .setHandshakeTimeout(Upstream.CONNECT_TIMEOUT_MS));
    context.runOnContext(v -> connect());
  }

  State state() {
    return state;
  }

  /** The URL pushed to (the last one tried), null before the first is known. */
  String url() {
    return url;
  }

  /** Media and metadata payload bytes written to the destination, over every connection. */
  long bytes() {
    return bytes;
  }

  private void connect() {
    retryTimer = -1;
    if (ended) {
      return;
    }
    Source source = hub.get(key);
    if (source == null || !source.isPublishing() || !publisherId.equals(source.publisherId())) {
      finish(); // the publish this forward went along with is over
      return;
    }
    state = State.CONNECTING;
    Attempt next = new Attempt();
    attempt = next;
    target.get().compose(u -> {
      url = u;
      return client.publish(u);
    }).onComplete(ar -> context.runOnContext(v -> next.published(ar)));
  }

  private void failed(Attempt failed, String reason) {
    if (failed != attempt || ended) {
      return;
    }
    failed.close();
    attempt = null;
    String where = url == null ? "" : " " + url;
    if (failure != null) {
      LOG.warning(label + " " + key + ":" + where + " " + reason);
      finish();
      failure.failed(reason);
      return;
    }
    long delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failures++, 3));
    LOG.warning(label + " " + key + ":" + where + " " + reason + "; again in " + delay + " ms");
    state = State.RETRYING;
    retryTimer = vertx.setTimer(delay, id -> context.runOnContext(v -> connect()));
  }

  /** Ends the forward (the publish ended, the configuration changed, the node stops); from any thread. */
  Future<Void> end() {
    return Future.future(done -> context.runOnContext(v -> {
      finish();
      done.complete();
    }));
  }

  private void finish() {
    if (ended) {
      return;
    }
    ended = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    if (attempt != null) {
      attempt.close();
      attempt = null;
    }
    client.close();
  }

  /** One connection: its follower of the stream and its publish session. */
  private final class Attempt implements Consumer.Sink {

    private final Consumer consumer = new Consumer(loop, this, play);
    private final Subscription subscription = hub.follow(key, consumer);
    private RtmpPublishSession session;
    private boolean closed;

    void published(AsyncResult<RtmpPublishSession> ar) {
      if (closed || ended) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        failed(this, "cannot publish: " + ar.cause().getMessage());
        return;
      }
      session = ar.result();
      state = State.FORWARDING;
      LOG.info(label + " " + key + ": forwarding to " + url);
      session.drainHandler(v -> consumer.drain());
      session.closed().onComplete(why -> {
        if (!closed) {
          failed(this, "ended by the destination: " + why.result());
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
          return;
        }
        if (failures > 0 && message.isVideo()) {
          failures = 0; // media flows again: the next failure starts the back-off over
        }
        bytes += message.payload().readableBytes();
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

    /** The publisher stopped: the forward ends with it. */
    @Override
    public void streamEnded() {
      if (!closed) {
        finish();
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      subscription.close();
      if (session != null) {
        session.close();
      }
    }
  }
}
