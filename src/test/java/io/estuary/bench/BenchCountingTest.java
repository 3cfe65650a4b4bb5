package io.estuary.bench;

import io.estuary.flv.FlvReader;
import io.estuary.flv.FlvTag;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.HandshakeHandler;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.testing.Ffmpeg;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bench's players against a tiny fake RTMP server that answers connect/createStream/play, sends a known set
 * of media messages, then nothing: every player must count exactly those frames and bytes, and be reported stalled.
 */
class BenchCountingTest {

  private static final int TAGS = 60;

  private static EventLoopGroup group;
  private static Channel server;
  private static List<FlvTag> tags;
  private static long videoFrames;
  private static long audioFrames;
  private static long mediaBytes;

  @BeforeAll
  static void start() throws Exception {
    List<FlvTag> all = FlvReader.readFile(Ffmpeg.media("h264-aac-640x360.flv"));
    tags = all.stream().filter(t -> t.isAudio() || t.isVideo()).limit(TAGS).toList();
    all.stream().filter(t -> !tags.contains(t)).forEach(FlvTag::release);
    for (FlvTag tag : tags) {
      videoFrames += tag.isVideo() ? 1 : 0;
      audioFrames += tag.isAudio() ? 1 : 0;
      mediaBytes += tag.body().readableBytes();
    }
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HandshakeHandler(10_000), new ChunkCodec(), new FakePlayServer());
          }
        }).bind("127.0.0.1", 0).sync().channel();
  }

  @AfterAll
  static void stop() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully().syncUninterruptibly();
    tags.forEach(FlvTag::release);
  }

  /** Answers what a player asks, sends the tags once after NetStream.Play.Start, then goes silent. */
  private static final class FakePlayServer extends SimpleChannelInboundHandler<Object> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof CommandMessage command)) {
        return;
      }
      switch (command.name()) {
        case "connect" -> ctx.writeAndFlush(new CommandMessage(0, "_result", command.transactionId(),
            Map.of("fmsVer", "FMS/3,5,3,888"),
            Map.of("level", "status", "code", "NetConnection.Connect.Success")));
        case "createStream" -> ctx.writeAndFlush(new CommandMessage(0, "_result", command.transactionId(), null, 1.0));
        case "play" -> {
          ctx.write(new CommandMessage(1, "onStatus", 0, null,
              Map.of("level", "status", "code", "NetStream.Play.Start")));
          for (FlvTag tag : tags) {
            ctx.write(new Media(tag.type(), 1, tag.timestamp(), tag.body().retainedDuplicate()));
          }
          ctx.flush();
        }
        default -> { }
      }
    }
  }

  @Test
  void playersCountExactlyWhatTheyReceiveAndAStalledPlayerIsReported() throws Exception {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    BenchResult result = Bench.run(new BenchOptions().url("rtmp://127.0.0.1:" + port + "/live/silent")
        .players(2).publishers(0).ramp(10).duration(3).stallSeconds(1).threads(1),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    String printed = progress.toString(StandardCharsets.UTF_8);
    assertEquals(2, result.connected(), result.describe());
    assertEquals(0, result.failed(), result.describe());
    assertEquals(2, result.stalled(), result.describe());
    for (BenchResult.PlayerResult p : result.players()) {
      assertEquals(videoFrames, p.videoFrames(), "video frames of player " + p.index());
      assertEquals(audioFrames, p.audioFrames(), "audio frames of player " + p.index());
      assertEquals(mediaBytes, p.mediaBytes(), "media bytes of player " + p.index());
      assertTrue(p.bytes() > mediaBytes, "the bytes received include the chunk headers and commands");
      assertTrue(p.stalled(), "player " + p.index() + " stalled");
      assertEquals("PLAYING", p.state());
    }
    assertEquals(2 * videoFrames, result.total().videoFrames());
    assertEquals(2 * mediaBytes, result.total().mediaBytes());
    assertEquals(0, result.total().latency().samples(), "no latency without this bench's publishers");
    assertTrue(printed.contains("2 stalled"), printed);
  }

  @Test
  void whatArrivedDuringTheWarmUpIsOutOfTheWindowButInTheWholeRun() throws Exception {
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    // The fake server sends everything right after play, well within the 3 s warm-up, then nothing
    BenchResult result = Bench.run(new BenchOptions().url("rtmp://127.0.0.1:" + port + "/live/silent")
        .players(2).publishers(0).ramp(10).duration(5).warmup(3).stallSeconds(1).threads(1),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    String printed = progress.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("warm-up over"), printed);
    assertEquals(2, result.connected(), result.describe());
    assertEquals(2, result.stalled(), "stalls count over the whole run: " + result.describe());
    assertEquals(2 * videoFrames, result.total().videoFrames(), result.describe());
    assertEquals(2 * mediaBytes, result.total().mediaBytes(), result.describe());
    assertTrue(result.total().kbpsMin() > 0, result.describe());
    assertEquals(0, result.window().bytes(), result.describe());
    assertEquals(0, result.window().videoFrames() + result.window().audioFrames(), result.describe());
    assertEquals(0, result.window().kbpsMedian(), "players that got nothing in the window: " + result.describe());
    assertTrue(result.window().seconds() < result.total().seconds(), result.describe());
    for (BenchResult.PlayerResult p : result.players()) {
      assertEquals(0, p.windowBytes(), "player " + p.index());
      assertTrue(p.bytes() > mediaBytes, "player " + p.index());
    }
    assertTrue(result.describe().contains("whole run"), result.describe());
  }

  @Test
  void aRefusedConnectionIsAFailedPlayer() throws Exception {
    int port = io.estuary.testing.TestNode.freePort(); // nothing listens there
    BenchResult result = Bench.run(new BenchOptions().url("rtmp://127.0.0.1:" + port + "/live/none")
        .players(2).publishers(0).ramp(10).duration(1).threads(1),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, result.connected(), result.describe());
    assertEquals(2, result.failed(), result.describe());
    assertTrue(!result.ok());
    assertEquals(2, result.failures().values().stream().mapToInt(Integer::intValue).sum(), result.describe());
  }
}
