package io.estuary.http;

import io.estuary.log.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpConnection;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The deadline of an HTTP/1 request: from the connection's start, and from the end of each response on a kept-alive
 * connection, the next request (line, headers and body) must arrive whole within {@code timeoutMillis}, or the
 * connection is closed. A slow-request attack (slowloris: headers dribbled a byte at a time, never finished) is cut
 * with a log line; a kept-alive connection where nothing more came is closed quietly.
 *
 * <p>Written by hand: Vert.x bounds a request line's and headers' size ({@code maxInitialLineLength},
 * {@code maxHeaderSize}: 414, 431) and a connection's idle time ({@code idleTimeout}), but a client sending a byte
 * every second is never idle, and nothing bounds how long a request may take to arrive.
 *
 * <p>State accessed exclusively from the connection's event loop thread.
 */
public final class RequestDeadline extends ChannelDuplexHandler {

  private static final Logger LOG = Logger.getLogger("io.estuary.http");
  static final String NAME = "estuary-request-deadline";
  private static final String BYTES = "estuary-request-bytes";

  private final String service;
  private final long timeoutMillis;
  private final RateLimitedLog warnings;
  /** Requests received whole, and responses ended: the connection waits for a request while they are equal. */
  private long requests;
  private long responses;
  /** Bytes of the awaited request arrived (a request is under way), since the deadline was set. */
  private boolean started;
  private ScheduledFuture<?> deadline;

  private RequestDeadline(String service, long timeoutMillis, RateLimitedLog warnings) {
    this.service = service;
    this.timeoutMillis = timeoutMillis;
    this.warnings = warnings;
  }

  /**
   * Puts a deadline on each request of {@code connection} (an HTTP/1 connection just accepted; others are left as they
   * are); {@code service} names the listener in the log line, where the cuts are rate-limited by {@code warnings}.
   */
  public static void install(HttpConnection connection, String service, long timeoutMillis, RateLimitedLog warnings) {
    ChannelPipeline pipeline = HttpChannels.pipeline(connection);
    if (timeoutMillis <= 0 || pipeline == null || pipeline.get(HttpChannels.HTTP_DECODER) == null) {
      return;
    }
    RequestDeadline handler = new RequestDeadline(service, timeoutMillis, warnings);
    pipeline.addBefore(HttpChannels.HTTP_DECODER, BYTES, new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
          handler.started = true;
        }
        ctx.fireChannelRead(msg);
      }
    });
    // Next to Vert.x's own handler, where requests arrive decoded and responses leave not yet encoded.
    pipeline.addBefore(HttpChannels.VERTX_HANDLER, NAME, handler);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    arm(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof LastHttpContent) { // the request is whole (a FullHttpRequest is one too)
      requests++;
      answered(ctx);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof LastHttpContent) { // a response ended (a FullHttpResponse is one too)
      responses++;
      answered(ctx);
    }
    super.write(ctx, msg, promise);
  }

  /**
   * A request came whole, or a response ended (Vert.x may answer on the headers, before the end of the request is read):
   * every request whole and answered, the connection waits for the next, with the same time to come; a whole request
   * being answered has no deadline; a request answered but not whole yet keeps its deadline.
   */
  private void answered(ChannelHandlerContext ctx) {
    if (requests == responses) {
      arm(ctx);
    } else if (requests > responses) {
      disarm();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    started = false;
    deadline = ctx.executor().schedule(() -> expire(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    deadline = null;
    String who = service + ": closing " + (ctx.channel().remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ctx.channel().remoteAddress()));
    if (started) {
      warnings.log(who + ": no complete request within " + timeoutMillis + " ms (a slow request: its line, headers "
          + "or body still arriving)");
    } else {
      LOG.fine(who + ": no request within " + timeoutMillis + " ms");
    }
    ctx.close();
  }
}
