package io.estuary.edge;

import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Destinations that never work (a closed port, and one that accepts TCP and never answers the handshake) do not
 * disturb the publisher or a local player: the player decodes at least 90% of the frames while the forwards retry.
 */
class ForwardDeadDestinationTest {

  @Test
  void deadDestinationsDisturbNobody() throws Exception {
    int closed = TestNode.freePort();
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
         TestNode node = TestNode.start("""
             vhost __defaultVhost__ {
                 forward { enabled on; destination 127.0.0.1:%d 127.0.0.1:%d; }
             }
             """.formatted(closed, silent.getLocalPort()))) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accepted, never read nor answered
          }
        } catch (Exception e) {
          // the socket closed: the test is over
        }
      });
      acceptor.start();
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/alone"));
      try {
        node.awaitFrames("live/alone", 1);
        StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "alone");
        Await.until(Duration.ofSeconds(20), () -> node.node.forward().status(key).stream().map(JsonObject.class::cast)
                .filter(f -> "retrying".equals(f.getString("state"))).count() == 2,
            () -> "both forwards failed and retry: " + node.node.forward().status(key));
        Ffmpeg.Run player = Ffmpeg.play(node.rtmp("live/alone"), 10);
        Ffmpeg.assertDecoded(List.of(player), 10);
        assertTrue(publisher.isAlive(), publisher.stderr());
        assertEquals(0, node.node.forward().status(key).stream().map(JsonObject.class::cast).mapToLong(f -> f.getLong("bytes")).sum(),
            "nothing reached a dead destination");
      } finally {
        publisher.stop();
        silent.close();
        for (Socket s : held) {
          s.close();
        }
        acceptor.join();
      }
    }
  }
}
