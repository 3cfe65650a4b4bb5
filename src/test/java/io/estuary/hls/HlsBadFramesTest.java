package io.estuary.hls;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpPublishSession;
import io.estuary.testing.Await;
import io.estuary.testing.FlvBodies;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A publisher whose H.264 frames are broken (a NAL unit longer than its tag), 300 of them at once: HLS drops each, and
 * the log holds one line about it and one saying the rest are suppressed, not 300.
 */
class HlsBadFramesTest {

  private static final int BAD_FRAMES = 300;
  /** AVCDecoderConfigurationRecord of the test media (Main 3.0, 640x360). */
  private static final String AVC_SEQUENCE_HEADER = "1700000000014d401effe10018"
      + "674d401eeca05017fcb808800000030080000019078b16cb010004" + "68efbc80";

  @TempDir
  Path html;

  @Test
  void aStreamOfBadFramesIsTwoLogLines() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestNode node = TestNode.start(new JsonObject().put("vhosts", new JsonObject().put("__defaultVhost__",
             new JsonObject().put("hls", new JsonObject().put("enabled", true).put("hls_path", html.toString())))));
         LogCapture log = LogCapture.of("io.estuary.hls")) {
      RtmpPublishSession publishing = RtmpClient.create(vertx).publish(node.rtmp("live/bad")).await(10, TimeUnit.SECONDS);
      publishing.writeVideo(0, Unpooled.wrappedBuffer(FlvBodies.hex(AVC_SEQUENCE_HEADER)));
      publishing.writeVideo(0, Unpooled.wrappedBuffer(FlvBodies.video(true, 0, FlvBodies.hex("65888400ff"))));
      byte[] broken = FlvBodies.hex("2701000000 00000fff 41e0a0b0"); // declares 4095 bytes, has 4
      for (int i = 1; i <= BAD_FRAMES; i++) {
        publishing.writeVideo(40L * i, Unpooled.wrappedBuffer(broken));
      }
      node.awaitFrames("live/bad", BAD_FRAMES + 1);
      publishing.close().await(10, TimeUnit.SECONDS);
      node.awaitUnpublished("live/bad");
      Await.until(Duration.ofSeconds(10), () -> node.node.hls().idle(), () -> "HLS has seen the end of live/bad");

      List<String> dropped = log.lines().stream().filter(l -> l.contains("live/bad: frame dropped")).toList();
      assertEquals(1, dropped.size(), log.lines().toString());
      assertEquals(1, log.lines().stream().filter(l -> l.contains(
          "live/bad: frames dropped: more than 1 lines in 10 s; suppressing the rest for up to 10 s")).count(),
          log.lines().toString());
      assertEquals(2, log.lines().stream().filter(l -> l.startsWith("WARNING")).count(), log.lines().toString());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
