package io.estuary.rtmp;

import io.estuary.rtmp.impl.RtmpClientImpl;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.stream.Source;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

/**
 * Estuary's RTMP client: connects (TCP, or TLS for {@code rtmps://}), handshakes, sends {@code connect} as FFmpeg
 * does, then plays or publishes one stream. It answers pings, acknowledges per the server's window, follows RTMP
 * 302 redirects (SRS's {@code onStatus} with {@code ex.redirect2}/{@code ex.redirect}) and reports why a session
 * ended. URLs are {@code rtmp[s]://host[:port]/app/stream[?params]} ({@code ?vhost=} selects the vhost).
 *
 * <p>Each session lives on one event loop (the context the call was made from, or a new one): handlers are called
 * on it, and a publish session is written from it.
 */
public interface RtmpClient {

  static RtmpClient create(Vertx vertx, RtmpClientOptions options) {
    return new RtmpClientImpl(vertx, options);
  }

  static RtmpClient create(Vertx vertx) {
    return create(vertx, new RtmpClientOptions());
  }

  /**
   * Connects to {@code tcUrl} ({@code rtmp[s]://host[:port]/app[?params]}): handshake and {@code connect}; the
   * future completes with the connect {@code _result}, or fails with the reason (e.g. NetConnection.Connect.Rejected).
   */
  Future<RtmpClientSession> connect(String tcUrl);

  /** Connects to {@code server}, sending {@code tcUrl} as it is (its host may name a vhost rather than the server). */
  Future<RtmpClientSession> connect(SocketAddress server, String tcUrl);

  /**
   * Plays {@code url}: {@code handler} gets every {@link io.estuary.rtmp.message.Media} and metadata
   * {@link io.estuary.rtmp.message.DataMessage} from the start (also those before the future completes); a media
   * payload is released after the handler returns (retain it to keep it). Completes at NetStream.Play.Start.
   */
  Future<RtmpPlaySession> play(String url, Handler<RtmpMessage> handler);

  /**
   * Plays {@code url} into {@code source}: each audio, video and onMetaData message is published into it as a
   * publisher's would be, stored once and chunk-encoded once for {@link RtmpClientOptions#getChunkSize()} (the
   * source's RTMP players with that chunk size share the chunks). The caller starts and stops the source's publish.
   */
  Future<RtmpPlaySession> play(String url, Source source);

  /** Publishes to {@code url}; completes when NetStream.Publish.Start arrived, or fails naming the status code. */
  Future<RtmpPublishSession> publish(String url);

  /** Closes every session of this client and its NetClient. */
  Future<Void> close();
}
