package io.estuary.rtmp;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher that stalls (ffmpeg stopped with SIGSTOP, its socket open) is cut after {@code normal_timeout} (here
 * 1 s): one log line, the stream unpublished; its player stays connected, waiting for the next publisher, and gets the
 * stream again when one comes.
 */
class StalledPublisherTest {

  @Test
  void aStalledPublisherIsCutAfterNormalTimeout() throws Exception {
    JsonObject publish = new JsonObject().put("normal_timeout", 1000);
    try (TestNode node = TestNode.start(new JsonObject().put("vhosts", new JsonObject()
        .put("__defaultVhost__", new JsonObject().put("publish", publish))));
         LogCapture log = LogCapture.of("io.estuary.rtmp");
         TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("s")) {
      Ffmpeg.Run stalling = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      try {
        node.awaitFrames("live/s", 25);
        stalling.pause();
        List<String> lines = log.await(l -> l.contains("closing: publisher idle for"), 10);
        assertEquals(1, lines.size(), log.lines().toString());
        assertTrue(lines.get(0).contains("(normal_timeout 1000 ms)"), lines.get(0));
        node.awaitUnpublished("live/s");
      } finally {
        stalling.resume();
        stalling.stop();
      }
      assertTrue(player.isActive(), "the player stays, waiting for the stream");
      Ffmpeg.Run next = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      try {
        node.awaitPublished("live/s");
        player.received.clear();
        assertNotNull(player.nextMedia(10), "the player gets the next publisher's stream");
      } finally {
        next.stop();
      }
    }
  }
}
