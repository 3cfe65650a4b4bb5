package io.estuary.edge;

import io.estuary.config.Endpoint;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;

/**
 * SRS's {@code token_traverse}: before an edge serves a client, it connects to an origin with the client's tcUrl and
 * parameters (3 s to connect) and refuses the client if the origin refuses the {@code connect}.
 */
final class TokenTraverse {

  /** SRS: the TCP timeout of the traverse connection. */
  static final int TIMEOUT_MS = 3000;

  private TokenTraverse() {
  }

  static RtmpClientOptions options() {
    return new RtmpClientOptions().setConnectTimeout(TIMEOUT_MS).setHandshakeTimeout(TIMEOUT_MS);
  }

  /** Succeeds when {@code origin} accepts a {@code connect} with {@code tcUrl} (the client's, its params added). */
  static Future<Void> ask(RtmpClient client, Endpoint origin, String tcUrl, String param) {
    String asked = tcUrl;
    if (param != null && !param.isEmpty() && asked.indexOf('?') < 0) {
      asked += param.startsWith("?") ? param : "?" + param;
    }
    String host = "0.0.0.0".equals(origin.host()) ? "127.0.0.1" : origin.host();
    return client.connect(SocketAddress.inetSocketAddress(origin.port(), host), asked)
        .compose(session -> session.close())
        .recover(e -> Future.failedFuture("token_traverse: origin " + origin + " refused " + tcUrl + ": "
            + e.getMessage()));
  }
}
