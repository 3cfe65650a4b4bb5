package io.estuary.edge;

import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.Nginx;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's forward to another server: Estuary ({@code forward { enabled on; destination 127.0.0.1:NGINX; }}) pushes what
 * ffmpeg publishes to an nginx-rtmp started here; ffprobe reads nginx's copy. nginx is killed and started again on the
 * same port: the forward comes back by itself within seconds, and the publisher never noticed.
 */
class ForwardNginxTest {

  private static final StreamKey KEY = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "fwd");

  @Test
  void forwardsToNginxAndResumesAfterNginxRestarts() throws Exception {
    try (Nginx nginx = Nginx.start(TestNode.freePort());
         TestNode node = TestNode.start("""
             http_api { enabled on; }
             vhost __defaultVhost__ {
                 forward { enabled on; destination 127.0.0.1:%d; }
             }
             """.formatted(nginx.port))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/fwd"));
      try {
        node.awaitFrames("live/fwd", 1);
        Source source = node.node.hub().get(KEY);
        long publishedAt = source.publishedAt();
        assertDecodable(nginx.rtmp("live/fwd"));

        JsonObject forward = awaitForward(node, f -> "forwarding".equals(f.getString("state"))
            && f.getLong("bytes") > 0);
        assertEquals(nginx.rtmp("live/fwd"), forward.getString("url"));
        long bytes = forward.getLong("bytes");
        awaitForward(node, f -> f.getLong("bytes") > bytes); // and growing

        nginx.kill();
        awaitForward(node, f -> !"forwarding".equals(f.getString("state")));
        nginx.restart();
        awaitForward(node, f -> "forwarding".equals(f.getString("state")));
        assertDecodable(nginx.rtmp("live/fwd"));

        assertTrue(publisher.isAlive(), "the publisher never noticed: " + publisher.stderr());
        assertSame(source, node.node.hub().get(KEY), "the same publish goes on");
        assertTrue(source.isPublishing());
        assertEquals(publishedAt, source.publishedAt(), "never unpublished");
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/fwd");
      Await.until(Duration.ofSeconds(10), () -> node.node.forward().status(KEY).isEmpty(),
          () -> "the forward ended with the publish");
    }
  }

  /** ffprobe reads H.264 and AAC from {@code url}, within seconds (nginx may not have the stream yet). */
  private static void assertDecodable(String url) throws InterruptedException {
    JsonArray streams = Ffmpeg.awaitStreams(url, 2);
    assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
    assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
  }

  /** The API's one forward of live/fwd, once it matches. */
  private static JsonObject awaitForward(TestNode node, java.util.function.Predicate<JsonObject> match)
      throws InterruptedException {
    return Await.value(Duration.ofSeconds(30), () -> forwards(node, "fwd").stream().findFirst().orElse(null),
        f -> f != null && match.test(f), () -> "a forward of live/fwd in the API that matches");
  }

  /** {@code forward} of the API's object for live/{@code stream}, empty when it has none. */
  private static List<JsonObject> forwards(TestNode node, String stream) {
    JsonObject listed = node.apiStream(stream);
    return listed == null || !listed.containsKey("forward") ? List.of()
        : listed.getJsonArray("forward").stream().map(JsonObject.class::cast).toList();
  }
}
