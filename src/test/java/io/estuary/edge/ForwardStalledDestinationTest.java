package io.estuary.edge;

import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forward destination that takes the stream, then stalls (an ffmpeg listening for the publish, stopped with
 * SIGSTOP: its socket open, never read again) does not slow the publisher: a local player decodes at least 90% of the
 * frames meanwhile. Once the kernel's buffers are full the forward's queue drops whole GOPs past {@code queue_length}
 * (edges push through the same Forwarder).
 */
class ForwardStalledDestinationTest {

  @Test
  void aStalledDestinationDoesNotSlowThePublisher() throws Exception {
    int port = TestNode.freePort();
    Ffmpeg.Run destination = Ffmpeg.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/s", "-c", "copy", "-f", "null", "-"));
    try (TestNode node = TestNode.start("""
        vhost __defaultVhost__ {
            play { queue_length 2; }
            forward { enabled on; destination 127.0.0.1:%d; }
        }
        """.formatted(port))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      try {
        StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "s");
        Await.until(Duration.ofSeconds(20), () -> forwarded(node, key) > 100_000,
            () -> "the destination takes the stream: " + node.node.forward().status(key));
        destination.pause();
        Ffmpeg.Run player = Ffmpeg.play(node.rtmp("live/s"), 4);
        Ffmpeg.assertDecoded(List.of(player), 4);
        assertTrue(publisher.isAlive(), publisher.stderr());
      } finally {
        publisher.stop();
      }
    } finally {
      destination.resume();
      destination.stop();
    }
  }

  private static long forwarded(TestNode node, StreamKey key) {
    return node.node.forward().status(key).stream().map(JsonObject.class::cast).mapToLong(f -> f.getLong("bytes")).sum();
  }
}
