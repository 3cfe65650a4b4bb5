package io.estuary.testing;

import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.HandshakeHandler;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.UserControl;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A raw RTMP server on loopback that answers connect, createStream and play as SRS does, then sends SRS's RTMP 302 (an
 * onStatus on stream 0 after the play statuses) to {@code target.apply(stream)}.
 */
public final class RtmpRedirector {

  private RtmpRedirector() {
  }

  /**
   * Starts a redirector on {@code group}. {@code playStatuses} are the NetStream codes sent on stream 1 before the 302
   * (e.g. {@code "NetStream.Play.Start"}), in order.
   */
  public static Channel start(EventLoopGroup group, Function<String, String> target, String... playStatuses)
      throws InterruptedException {
    List<String> statuses = List.of(playStatuses);
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HandshakeHandler(5000), new ChunkCodec(), new SimpleChannelInboundHandler<Object>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof CommandMessage command) {
                  answer(ctx, command, target, statuses);
                }
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
  }

  /** The port {@code server} listens on. */
  public static int port(Channel server) {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private static void answer(ChannelHandlerContext ctx, CommandMessage command, Function<String, String> target,
      List<String> playStatuses) {
    switch (command.name()) {
      case "connect" -> ctx.writeAndFlush(new CommandMessage(0, "_result", command.transactionId(),
          Map.of("fmsVer", "FMS/3,5,3,888"), status("status", "NetConnection.Connect.Success")));
      case "createStream" -> ctx.writeAndFlush(new CommandMessage(0, "_result", command.transactionId(), null, 1.0));
      case "play" -> {
        String stream = (String) command.argument(0);
        ctx.write(new UserControl(UserControl.STREAM_BEGIN, 1));
        for (String code : playStatuses) {
          ctx.write(new CommandMessage(1, "onStatus", 0, null, status("status", code)));
        }
        Map<String, Object> redirect = status("error", "NetConnection.Connect.Rejected");
        redirect.put("description", "RTMP 302 Redirect");
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("code", 302.0);
        String to = target.apply(stream);
        ex.put("redirect", to.substring(0, to.lastIndexOf('/')));
        ex.put("redirect2", to);
        redirect.put("ex", ex);
        ctx.writeAndFlush(new CommandMessage(0, "onStatus", 0, null, redirect));
      }
      default -> { }
    }
  }

  private static Map<String, Object> status(String level, String code) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("level", level);
    info.put("code", code);
    return info;
  }
}
