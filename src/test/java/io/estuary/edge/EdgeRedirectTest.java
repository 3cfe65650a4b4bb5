package io.estuary.edge;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.RtmpRedirector;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

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
      Channel redirector = RtmpRedirector.start(group, stream -> origin.rtmp("live/" + stream), "NetStream.Play.Start");
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), origin.rtmp("live/moved"));
      try (TestNode edge = StaticEdgeTest.node(StaticEdgeTest.edgeConf("127.0.0.1:" + RtmpRedirector.port(redirector)))) {
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
    Channel loop = RtmpRedirector.start(group, stream -> "rtmp://127.0.0.1:" + port[0] + "/live/" + stream,
        "NetStream.Play.Start");
    port[0] = RtmpRedirector.port(loop);
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
}
