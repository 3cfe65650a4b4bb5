package io.estuary.rtmp;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Bug 3 of issue 11: with no {@code __defaultVhost__}, a client naming its vhost in the stream
 * ({@code rtmp://host/live/s?vhost=v.example.com}, as SRS's include.conf does) is served: SRS resolves the vhost at
 * publish and play, not at connect.
 */
class RtmpVhostInStreamTest {

  private static JsonObject onlyVhost(String name) {
    return new JsonObject().put("vhosts", new JsonObject().put(name, new JsonObject()));
  }

  @Test
  void theStreamsVhostIsResolvedAtPublishAndPlay() throws Exception {
    try (TestNode node = TestNode.start(onlyVhost("v.example.com"))) {
      String url = node.rtmp("live/s?vhost=v.example.com");
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), url);
      try {
        // The player may come first: it waits for the publisher on the same vhost.
        JsonArray streams = new JsonObject(Ffmpeg.probe(url, "-show_streams")).getJsonArray("streams");
        JsonObject video = Ffmpeg.stream(streams, "video");
        assertEquals("h264", video.getString("codec_name"));
        assertEquals(640, video.getInteger("width"));
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void aStreamOfNoConfiguredVhostIsRefusedAtPlay() throws Exception {
    try (TestNode node = TestNode.start(onlyVhost("v.example.com"));
         TestRtmpClient client = TestRtmpClient.connect(node.rtmpPort, "live")) {
      assertEquals(60000, client.announcedChunkSize(), "connect is answered with SRS's global chunk size");
      assertThrows(AssertionError.class, () -> client.play("s?vhost=nobody.example"));
    }
  }
}
