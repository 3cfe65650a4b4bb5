package io.estuary.bench;

import io.estuary.flv.FlvDecoder;
import io.estuary.flv.FlvTag;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.function.BooleanSupplier;

/**
 * An HTTP-FLV player: GET the stream, then read the (chunked or close-delimited) body as FLV with {@link FlvDecoder};
 * counts the tags into its {@link PlayerStats}. Pipeline: byte counter, HTTP client codec, {@link Body} (status,
 * body bytes), FLV decoder, this handler (tags).
 */
final class HttpFlvPlayer extends ChannelInboundHandlerAdapter {

  private final PlayerStats stats;
  private final BooleanSupplier stopping;

  private HttpFlvPlayer(PlayerStats stats, BooleanSupplier stopping) {
    this.stats = stats;
    this.stopping = stopping;
  }

  static void init(ChannelPipeline pipeline, BenchOptions.Target target, PlayerStats stats, BooleanSupplier stopping) {
    pipeline.addLast(new ByteCounter(stats), new HttpClientCodec(), new Body(target, stats), new FlvDecoder(),
        new HttpFlvPlayer(stats, stopping));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof FlvTag tag && (tag.isVideo() || tag.isAudio())) {
        stats.onMedia(tag.isVideo(), tag.body());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    boolean stop = stopping.getAsBoolean();
    stats.onEnd(stop ? "stopped" : "closed by the server", !stop);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stats.onEnd(cause.toString(), true);
    ctx.close();
  }

  /** Sends the request, checks the response status, passes the body bytes on. */
  static final class Body extends ChannelInboundHandlerAdapter {
    private final BenchOptions.Target target;
    private final PlayerStats stats;

    Body(BenchOptions.Target target, PlayerStats stats) {
      this.target = target;
      this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.path());
      request.headers().set(HttpHeaderNames.HOST, target.host() + ":" + target.port())
          .set(HttpHeaderNames.USER_AGENT, "estuary-bench")
          .set(HttpHeaderNames.ACCEPT, "*/*");
      stats.onPlayRequested(System.nanoTime());
      ctx.writeAndFlush(request);
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpResponse response) {
          if (!response.status().equals(HttpResponseStatus.OK)) {
            stats.onEnd("HTTP " + response.status(), true);
            ctx.close();
            return;
          }
          stats.onPlaying();
        }
        if (msg instanceof HttpContent content && content.content().isReadable()) {
          ctx.fireChannelRead(content.content().retain());
        }
        if (msg instanceof LastHttpContent) {
          stats.onEnd("the server ended the body", true);
          ctx.close();
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
