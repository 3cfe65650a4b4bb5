package io.estuary.rtmp;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS directives seen from a client: each visibly changes what the server does. */
class RtmpConfigEffectsTest {

  private static JsonObject vhosts(JsonObject vhosts) {
    return new JsonObject().put("vhosts", vhosts);
  }

  @Test
  void gopCacheOffMakesALatePlayerWaitForTheNextKeyframe() throws Exception {
    // Two vhosts on one node: the default caches the GOP, "nogop" does not. Raw timestamps (time_jitter off).
    JsonObject play = new JsonObject().put("time_jitter", "off");
    try (TestNode node = TestNode.start(vhosts(new JsonObject()
        .put("__defaultVhost__", new JsonObject().put("play", play.copy()))
        .put("nogop", new JsonObject().put("play", play.copy().put("gop_cache", false)))))) {
      Ffmpeg.Run withCache = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      Ffmpeg.Run withoutCache = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s?vhost=nogop"));
      try {
        node.awaitPublished("live/s");
        // Mid-GOP: keyframes at 0, 2000, 4000 ms; 78 frames at 25 fps is 3.1 s into both streams.
        node.awaitFrames("live/s", 78);
        node.awaitFrames("nogop", "live/s", 78);
        try (TestRtmpClient cached = TestRtmpClient.connect(node.rtmpPort, "live").play("s");
             TestRtmpClient uncached = TestRtmpClient.connect(node.rtmpPort, "live?vhost=nogop").play("s")) {
          long cachedKey = firstKeyframe(cached).timestamp();
          long uncachedKey = firstKeyframe(uncached).timestamp();
          assertTrue(cachedKey < 3000, "gop_cache on: the cached keyframe at once (ts " + cachedKey + ")");
          assertTrue(uncachedKey >= 3900, "gop_cache off: only the next keyframe (ts " + uncachedKey + ")");
        }
      } finally {
        withCache.stop();
        withoutCache.stop();
      }
    }
  }

  @Test
  void chunkSizeIsWhatTheServerAnnounces() throws Exception {
    try (TestNode node = TestNode.start(new JsonObject().put("chunk_size", 4096));
         TestRtmpClient client = TestRtmpClient.connect(node.rtmpPort, "live")) {
      assertEquals(4096, chunkSize(client));
    }
    try (TestNode node = TestNode.start(vhosts(new JsonObject().put("__defaultVhost__", new JsonObject().put("chunk_size", 8192))));
         TestRtmpClient client = TestRtmpClient.connect(node.rtmpPort, "live")) {
      assertEquals(8192, chunkSize(client), "a vhost's chunk_size beats the global one");
    }
  }

  @Test
  void maxConnectionsRefusesTheNextClient() throws Exception {
    try (TestNode node = TestNode.start(new JsonObject().put("max_connections", 3));
         LogCapture log = LogCapture.of("io.estuary.access")) {
      List<TestRtmpClient> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        clients.add(TestRtmpClient.connect(node.rtmpPort, "live"));
      }
      assertThrows(Throwable.class, () -> TestRtmpClient.connect(node.rtmpPort, "live").close(), "the 4th is refused");
      assertFalse(log.await(l -> l.contains("max_connections 3"), 5).isEmpty(), log.lines().toString());
      clients.remove(0).close();
      clients.add(Await.value(Duration.ofSeconds(10), () -> tryConnect(node.rtmpPort), java.util.Objects::nonNull,
          () -> "a place is free again once a client left"));
      clients.forEach(TestRtmpClient::close);
    }
  }

  @Test
  void kickoffForIdleDisconnectsOnlyUnwatchedPublishers() throws Exception {
    JsonObject publish = new JsonObject().put("kickoff_for_idle", 3);
    try (TestNode node = TestNode.start(vhosts(new JsonObject().put("__defaultVhost__", new JsonObject().put("publish", publish))));
         LogCapture log = LogCapture.of("io.estuary.rtmp")) {
      Ffmpeg.Run unwatched = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/alone"));
      Ffmpeg.Run watched = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/seen"));
      try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("seen")) {
        assertTrue(unwatched.waitFor(15), "the unwatched publisher is disconnected");
        assertFalse(log.await(l -> l.contains("kickoff_for_idle"), 1).isEmpty(), log.lines().toString());
        // Nothing to wait for: the watched publisher must outlive the idle timeout by a margin, so time passes.
        Thread.sleep(2000);
        assertTrue(watched.isAlive(), "the watched publisher stays: " + watched.stderr());
        assertNotNull(player.nextMedia(5), "and its player still receives");
      } finally {
        unwatched.stop();
        watched.stop();
      }
    }
  }

  @Test
  void vhostsAreChosenAsSrsChoosesThem() throws Exception {
    try (TestNode node = TestNode.start(vhosts(new JsonObject()
        .put("__defaultVhost__", new JsonObject())
        .put("big.example", new JsonObject().put("chunk_size", 16000))
        .put("off.example", new JsonObject().put("enabled", false))))) {
      try (TestRtmpClient byParam = TestRtmpClient.connect(node.rtmpPort, "live?vhost=big.example");
           TestRtmpClient byHost = TestRtmpClient.connect(node.rtmpPort, "live", "big.example");
           TestRtmpClient unknown = TestRtmpClient.connect(node.rtmpPort, "live?vhost=nobody.example")) {
        assertEquals(16000, chunkSize(byParam), "?vhost= selects the vhost");
        assertEquals(16000, chunkSize(byHost), "so does the tcUrl's host");
        assertEquals(60000, chunkSize(unknown), "an unknown vhost falls back to __defaultVhost__");
      }
      assertThrows(AssertionError.class, () -> TestRtmpClient.connect(node.rtmpPort, "live?vhost=off.example"),
          "a disabled vhost refuses clients");
    }
    try (TestNode node = TestNode.start(vhosts(new JsonObject().put("only.example", new JsonObject())))) {
      try (TestRtmpClient unknown = TestRtmpClient.connect(node.rtmpPort, "live?vhost=nobody.example")) {
        // SRS resolves the vhost at publish or play (the stream may name it), so connect succeeds.
        assertThrows(AssertionError.class, () -> unknown.play("s"),
            "without a default vhost, an unknown vhost is refused");
      }
      TestRtmpClient.connect(node.rtmpPort, "live?vhost=only.example").close();
    }
  }

  private static TestRtmpClient.Received firstKeyframe(TestRtmpClient player) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      TestRtmpClient.Received media = player.nextMedia(10);
      assertNotNull(media, "media arrives");
      if (media.type() == RtmpMessage.TYPE_VIDEO && media.keyframe() && !media.sequenceHeader()) {
        return media;
      }
    }
    throw new AssertionError("no keyframe");
  }

  private static int chunkSize(TestRtmpClient client) {
    int size = client.announcedChunkSize();
    assertTrue(size > 0, "no Set Chunk Size");
    return size;
  }

  /** A new client on {@code port}, or null if the node refuses it. */
  private static TestRtmpClient tryConnect(int port) {
    try {
      return TestRtmpClient.connect(port, "live");
    } catch (Throwable refused) {
      return null;
    }
  }
}
