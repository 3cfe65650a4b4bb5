package io.estuary.rtmp;

import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.Map;

/** A stream being played. A redirect (RTMP 302) moves it to another server; the handlers stay. */
public interface RtmpPlaySession {

  /** The URL played now (after redirects, the last one followed). */
  String url();

  /** Every onStatus information object of the play stream (level, code, description, ...). */
  RtmpPlaySession statusHandler(Handler<Map<String, Object>> handler);

  /** Completes once the session ended, with the reason: "closed by the server", "closed", "refused: ...", ... */
  Future<String> closed();

  /** Bytes received on the current connection after the handshake (read it on the session's event loop). */
  long bytesRead();

  Future<Void> close();
}
