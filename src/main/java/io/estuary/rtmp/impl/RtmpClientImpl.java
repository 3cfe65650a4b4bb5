package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.estuary.rtmp.RtmpClientSession;
import io.estuary.rtmp.RtmpPlaySession;
import io.estuary.rtmp.RtmpPublishSession;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.stream.Source;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Timeline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RtmpClient} on a Vert.x {@link NetClient}: each connection's socket gets the client handshake stage, the
 * chunk codec and a {@link ClientSession} in its Netty pipeline (through {@link RtmpChannels}).
 */
public final class RtmpClientImpl implements RtmpClient {

  private final Vertx vertx;
  private final RtmpClientOptions options;
  private final NetClient netClient;
  private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

  public RtmpClientImpl(Vertx vertx, RtmpClientOptions options) {
    this.vertx = vertx;
    this.options = new RtmpClientOptions(options);
    this.netClient = vertx.createNetClient(this.options);
  }

  RtmpClientOptions options() {
    return options;
  }

  /**
   * A connected session to {@code url} (at {@code address}, else the URL's host and port), on the caller's context
   * (a new event-loop context when called from outside Vert.x).
   */
  Future<RtmpClientSession> open(ClientUrl url, SocketAddress address, boolean publisher) {
    Context context = vertx.getOrCreateContext();
    Promise<RtmpClientSession> opened = Promise.promise();
    context.runOnContext(v -> {
      ConnectOptions connect = new ConnectOptions()
          .setRemoteAddress(address != null ? address : SocketAddress.inetSocketAddress(url.port(), url.host()))
          .setSsl(url.tls() || options.isSsl());
      if (url.tls() || options.isSsl()) {
        connect.setSniServerName(url.host());
      }
      netClient.connect(connect).onComplete(ar -> {
        if (ar.failed()) {
          opened.fail(new RtmpClientFailure(ClientSession.reason(ar.cause())));
          return;
        }
        ClientSession session = new ClientSession(this, options, url, publisher);
        sessions.add(session);
        session.closed().onComplete(c -> sessions.remove(session));
        session.install(ar.result());
        session.connected().onComplete(c -> {
          if (c.succeeded()) {
            opened.complete(c.result());
          } else {
            opened.fail(new RtmpClientFailure(c.cause().getMessage()));
          }
        });
      });
    });
    return opened.future();
  }

  @Override
  public Future<RtmpClientSession> connect(String tcUrl) {
    try {
      return open(ClientUrl.connection(tcUrl), null, false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<RtmpClientSession> connect(SocketAddress server, String tcUrl) {
    try {
      return open(ClientUrl.connection(tcUrl), server, false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<RtmpPlaySession> play(String url, Handler<RtmpMessage> handler) {
    ClientPlaying playing = new ClientPlaying(this, url, handler);
    playing.start();
    return playing.started().recover(e -> Future.failedFuture(new RtmpClientFailure(e.getMessage())));
  }

  @Override
  public Future<RtmpPlaySession> play(String url, Source source) {
    return play(url, into(source, options.getChunkSize()));
  }

  /**
   * Publishes each played message into {@code source} as a publisher's session would ({@link Ingest}): audio and
   * video stored and chunked once for {@code chunkSize}, onMetaData re-encoded; other data and unusable metadata
   * are dropped. The played timestamps are unwrapped on one {@link Timeline} for the play, redirects included.
   */
  static Handler<RtmpMessage> into(Source source, int chunkSize) {
    Timeline timeline = new Timeline();
    return message -> {
      StreamMessage received = null;
      if (message instanceof Media media) {
        received = Ingest.media(media.retain(), chunkSize, timeline); // the session releases its own reference
      } else if (message instanceof DataMessage data) {
        try {
          received = Ingest.metadata(data, timeline);
        } catch (IllegalArgumentException e) {
          received = null;
        }
      }
      if (received != null) {
        source.publish(received);
      }
    };
  }

  @Override
  public Future<RtmpPublishSession> publish(String url) {
    ClientUrl target;
    try {
      target = ClientUrl.stream(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return open(target, null, true).compose(session -> session.publish(target.stream()))
        .recover(e -> Future.failedFuture(new RtmpClientFailure(e.getMessage())));
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new java.util.ArrayList<>();
    for (ClientSession session : sessions) {
      closing.add(session.close());
    }
    return Future.join(closing).transform(ar -> netClient.close());
  }

  /** Why a session could not start or ended: the message is the reason, no stack trace. */
  static final class RtmpClientFailure extends io.vertx.core.VertxException {
    RtmpClientFailure(String reason) {
      super(reason, true);
    }
  }
}
