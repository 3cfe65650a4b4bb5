package io.estuary.http;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty pipeline under a Vert.x HTTP/1 connection. The only class of this package that touches Vert.x's
 * connection implementation ({@link ConnectionBase}, which may change between Vert.x versions): Vert.x has no API to
 * add a handler to an HTTP server connection.
 */
final class HttpChannels {

  /** Vert.x's HTTP/1 response encoder in a server connection's pipeline. */
  static final String HTTP_ENCODER = "httpEncoder";
  static final String UNBUNDLE = "estuary-unbundle";

  private HttpChannels() {
  }

  /**
   * Puts {@link Unbundle} between the response encoder and the socket of {@code request}'s connection, once per
   * connection; a connection without Vert.x's HTTP/1 encoder (HTTP/2) is left as it is and gets merged writes whole.
   * Returns whether the connection unbundles.
   */
  static boolean unbundle(HttpServerRequest request) {
    if (!(request.connection() instanceof ConnectionBase connection)) {
      return false;
    }
    ChannelPipeline pipeline = connection.channel().pipeline();
    if (pipeline.get(HTTP_ENCODER) == null) {
      return false;
    }
    if (pipeline.get(UNBUNDLE) == null) {
      pipeline.addBefore(HTTP_ENCODER, UNBUNDLE, Unbundle.INSTANCE);
    }
    return true;
  }
}
