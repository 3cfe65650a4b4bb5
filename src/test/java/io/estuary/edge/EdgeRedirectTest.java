package io.estuary.edge;

import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.HandshakeHandler;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.UserControl;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** An edge whose origin answers with SRS's RTMP 302: followed, and given up after 5 in a row, with a clear log line. */
class EdgeRedirectTest {

  static EventLoopGroup group;

  @BeforeAll
  static void start() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void theEdgeFollowsTheOriginsRedirect() throws Exception {
    try (TestNode origin = StaticEdgeTest.node("vhost __defaultVhost__ { }\n");
         LogCapture log = LogCapture.of("io.estuary.edge")) {
      Channel redirector = redirector(stream -> origin.rtmp("live/" + stream));
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/moved"));
      try (TestNode edge = StaticEdgeTest.node(StaticEdgeTest.edgeConf("127.0.0.1:" + port(redirector)))) {
        origin.awaitFrames("live/moved", 10);
        JsonArray streams = new JsonObject(Ffmpeg.probe(edge.rtmp("live/moved"), "-show_streams"))
            .getJsonArray("streams");
        assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
        assertFalse(log.await(l -> l.contains("redirected (RTMP 302)") && l.contains(origin.rtmp("live/moved")), 5)
            .isEmpty());
      } finally {
        publisher.stop();
        redirector.close().syncUninterruptibly();
      }
    }
  }

  @Test
  void theEdgeStopsFollowingAfterFiveRedirectsInARow() throws Exception {
    int[] port = new int[1];
    Channel loop = redirector(stream -> "rtmp://127.0.0.1:" + port[0] + "/live/" + stream);
    port[0] = port(loop);
    try (LogCapture log = LogCapture.of("io.estuary.edge");
         TestNode edge = StaticEdgeTest.node(StaticEdgeTest.edgeConf("127.0.0.1:" + port[0]));
         TestRtmpClient player = TestRtmpClient.connect(edge.rtmpPort, "live")) {
      player.play("loop"); // waits, as a player of an edge does, while the edge tries
      assertFalse(log.await(l -> l.contains("stopped following RTMP 302") && l.contains("5 redirects in a row"), 15)
          .isEmpty());
    } finally {
      loop.close().syncUninterruptibly();
    }
  }

  private static int port(Channel server) {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Answers connect, createStream and play as SRS does, then SRS's RTMP 302 to {@code target.apply(stream)}. */
  private static Channel redirector(Function<String, String> target) throws InterruptedException {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HandshakeHandler(5000), new ChunkCodec(), new SimpleChannelInboundHandler<Object>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof CommandMessage command) {
                  answer(ctx, command, target);
                }
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
  }

  private static void answer(ChannelHandlerContext ctx, CommandMessage command, Function<String, String> target) {
    switch (command.name()) {
      case "connect" -> ctx.writeAndFlush(new CommandMessage(0, "_result", command.transactionId(),
          Map.of("fmsVer", "FMS/3,5,3,888"), status("status", "NetConnection.Connect.Success")));
      case "createStream" -> ctx.writeAndFlush(new CommandMessage(0, "_result", command.transactionId(), null, 1.0));
      case "play" -> {
        String stream = (String) command.argument(0);
        ctx.write(new UserControl(UserControl.STREAM_BEGIN, 1));
        ctx.write(new CommandMessage(1, "onStatus", 0, null, status("status", "NetStream.Play.Start")));
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
