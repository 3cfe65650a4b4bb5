package io.estuary.http;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty pipeline under a Vert.x HTTP/1 connection. The only class of this package that touches Vert.x's
 * connection implementation ({@link ConnectionBase}, which may change between Vert.x versions): Vert.x has no API to
 * add a handler to an HTTP server connection.
 */
final class HttpChannels {

  /** Vert.x's HTTP/1 request decoder in a server connection's pipeline. */
  static final String HTTP_DECODER = "httpDecoder";
  /** Vert.x's HTTP/1 response encoder in a server connection's pipeline. */
  static final String HTTP_ENCODER = "httpEncoder";
  /** Vert.x's own handler, the last of a connection's pipeline. */
  static final String VERTX_HANDLER = "handler";
  static final String UNBUNDLE = "estuary-unbundle";

  private HttpChannels() {
  }

  /**
   * Puts {@link Unbundle} between the response encoder and the socket of {@code request}'s connection, once per
   * connection; a connection without Vert.x's HTTP/1 encoder (HTTP/2) is left as it is and gets merged writes whole.
   * Returns whether the connection unbundles.
   */
  static boolean unbundle(HttpServerRequest request) {
    ChannelPipeline pipeline = pipeline(request.connection());
    if (pipeline == null || pipeline.get(HTTP_ENCODER) == null) {
      return false;
    }
    if (pipeline.get(UNBUNDLE) == null) {
      pipeline.addBefore(HTTP_ENCODER, UNBUNDLE, Unbundle.INSTANCE);
    }
    return true;
  }

  /**
   * Closes {@code connection} now, from the socket's end of the pipeline: Vert.x's close (its handler sees a close
   * from the tail too) waits behind the writes it queued, which a player that stopped reading never takes.
   */
  static void closeNow(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().pipeline().firstContext().close();
    } else {
      connection.close();
    }
  }

  /** The Netty pipeline under {@code connection}, null if it is not one of Vert.x's connections. */
  static ChannelPipeline pipeline(HttpConnection connection) {
    return connection instanceof ConnectionBase base ? base.channel().pipeline() : null;
  }
}
