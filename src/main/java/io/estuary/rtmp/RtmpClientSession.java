package io.estuary.rtmp;

import io.estuary.rtmp.message.RtmpMessage;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/** One connected RTMP client connection ({@code connect} answered), before or while it plays or publishes. */
public interface RtmpClientSession {

  /** The tcUrl sent in {@code connect}. */
  String tcUrl();

  /** The chunk size the server announced (its Set Chunk Size), or 0 if none came yet. */
  int serverChunkSize();

  /**
   * The Enhanced RTMP capabilities the server answered in the connect {@code _result} (capsEx, FourCC info maps);
   * {@link RtmpCapabilities#NONE} from a legacy server, or when {@link RtmpClientOptions} announced nothing to it.
   */
  RtmpCapabilities serverCapabilities();

  /**
   * Called on the event loop with the URL to reconnect to (the server's tcUrl, resolved against ours, or ours) when
   * the server sends Enhanced RTMP's NetConnection.Connect.ReconnectRequest, which it does to a client that announced
   * {@link RtmpCapabilities#CAPS_EX_RECONNECT}. The connection stays open: move at the next media boundary (a
   * keyframe), then close this one; the server closes it after its own grace period. A request that came before the
   * handler was set is handed to it at once.
   */
  RtmpClientSession reconnectHandler(Handler<String> handler);

  /**
   * Sees every message received, before the session handles it (for tests and diagnostics). Called on the event
   * loop; the handler must not release the message, and retains a media payload it keeps.
   */
  RtmpClientSession messageObserver(Handler<RtmpMessage> observer);

  /** createStream and play {@code stream} (with its {@code ?params}) on this connection; see {@link RtmpClient#play}. */
  Future<RtmpPlaySession> play(String stream, Handler<RtmpMessage> handler);

  /** releaseStream, FCPublish, createStream and publish {@code stream} on this connection. */
  Future<RtmpPublishSession> publish(String stream);

  /** Sends a message as it is (tests use it to send what a real client would not). */
  Future<Void> send(RtmpMessage message);

  /** Completes once the connection closed, with the reason ("closed by the server", "refused: ...", ...). */
  Future<String> closed();

  boolean isActive();

  /** Bytes received on the connection after the handshake (read it on the session's event loop). */
  long bytesRead();

  Future<Void> close();
}
