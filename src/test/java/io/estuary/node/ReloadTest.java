package io.estuary.node;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reload as SRS does it: nobody is dropped, new clients get the new settings, a broken file changes nothing. */
class ReloadTest {

  @TempDir
  Path dir;

  private Path conf;
  private int port;

  private void write(String timeJitter, int chunkSize) throws Exception {
    Files.writeString(conf, """
        listen 127.0.0.1:%d;
        pid %s;
        srs_log_tank console;
        vhost __defaultVhost__ {
            chunk_size %d;
            play { time_jitter %s; }
        }
        """.formatted(port, dir.resolve("node.pid"), chunkSize, timeJitter));
  }

  @Test
  void reloadAppliesToNewPlayersAndKeepsTheConnectedOnes() throws Exception {
    port = TestNode.freePort();
    conf = dir.resolve("srs.conf");
    write("full", 60000);
    try (TestNode node = TestNode.startFile(conf, port); LogCapture log = LogCapture.of("io.estuary.node")) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/r"));
      try (TestRtmpClient early = TestRtmpClient.connect(port, "live").play("r")) {
        node.awaitFrames("live/r", 75); // 3 s in: a player that kept the publisher's timestamps would start past 1500
        assertTrue(firstTimestamp(port) < 500, "time_jitter full: a new player starts near 0");

        write("off", 60000);
        reload(node);
        assertTrue(firstTimestamp(port) >= 1500, "after reload, time_jitter off: the publisher's own timestamps");

        // A broken file keeps the running configuration, and says why.
        Files.writeString(conf, "listen 1935;\nvhost __defaultVhost__ {\n");
        assertFalse(reloadSucceeds(node));
        assertFalse(log.await(l -> l.contains("reload failed") && l.contains("never closed"), 5).isEmpty(), log.lines().toString());
        assertTrue(firstTimestamp(port) >= 1500, "the old configuration still applies");

        assertTrue(early.isActive(), "the first player stayed connected through every reload");
        early.received.clear();
        assertNotNull(early.nextMedia(5), "and still receives");
      } finally {
        publisher.stop();
      }
    }
  }

  /** A malformed security rule is refused at reload, where it is written; the running configuration stays. */
  @Test
  void aReloadWithABadRuleIsRefusedAndTheRunningConfigurationStays() throws Exception {
    port = TestNode.freePort();
    conf = dir.resolve("rules.conf");
    String text = "listen 127.0.0.1:%d;\npid %s;\nsrs_log_tank console;\nvhost __defaultVhost__ {\n"
        + "    security {\n        enabled on;\n        %s\n    }\n}\n";
    Files.writeString(conf, text.formatted(port, dir.resolve("rules.pid"), "deny publish 10.0.0.1;"));
    try (TestNode node = TestNode.startFile(conf, port); LogCapture log = LogCapture.of("io.estuary.node")) {
      Files.writeString(conf, text.formatted(port, dir.resolve("rules.pid"), "deny publish 1.2.3;"));
      assertFalse(reloadSucceeds(node), "a malformed rule is refused");
      assertFalse(log.await(l -> l.contains("reload failed") && l.contains("rules.conf:7:")
          && l.contains("publish 1.2.3: not an IP address or CIDR"), 5).isEmpty(), log.lines().toString());
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/still"));
      try {
        node.awaitPublished("live/still"); // the running rules (deny 10.0.0.1 only) still let 127.0.0.1 in
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void aChangedFileIsPickedUpByTheScan() throws Exception {
    port = TestNode.freePort();
    conf = dir.resolve("scan.conf");
    write("full", 60000);
    try (TestNode node = TestNode.startFile(conf, port)) {
      write("full", 4096);
      Await.value(Duration.ofSeconds(15), this::announcedChunkSize, seen -> seen == 4096,
          () -> "the new chunk_size is announced to new clients without a signal");
    }
  }

  @Test
  void theApiReloadsToo() throws Exception {
    port = TestNode.freePort();
    int apiPort = TestNode.freePort();
    conf = dir.resolve("api.conf");
    String text = "listen 127.0.0.1:%d;\npid %s;\nhttp_api { enabled on; listen 127.0.0.1:%d; }\nvhost __defaultVhost__ { chunk_size %d; }\n";
    Files.writeString(conf, text.formatted(port, dir.resolve("api.pid"), apiPort, 60000));
    try (TestNode node = TestNode.startFile(conf, port)) {
      Files.writeString(conf, text.formatted(port, dir.resolve("api.pid"), apiPort, 8192));
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + apiPort + "/api/v1/raw?rpc=reload")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertTrue(response.body().contains("\"code\":0"), response.body());
      try (TestRtmpClient client = TestRtmpClient.connect(port, "live")) {
        assertTrue(client.announcedChunkSize() == 8192, "the reloaded chunk_size: " + client.announcedChunkSize());
      }
    }
  }

  private static void reload(TestNode node) throws Exception {
    node.vertx.eventBus().request(NodeVerticle.RELOAD_ADDRESS, null).await(10, TimeUnit.SECONDS);
  }

  private static boolean reloadSucceeds(TestNode node) {
    try {
      reload(node);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The chunk size the node announces to a new client. */
  private int announcedChunkSize() {
    try (TestRtmpClient client = TestRtmpClient.connect(port, "live")) {
      return client.announcedChunkSize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The timestamp of the first frame (not a sequence header) a new player receives. */
  private static long firstTimestamp(int port) throws Exception {
    try (TestRtmpClient player = TestRtmpClient.connect(port, "live").play("r")) {
      TestRtmpClient.Received media;
      do {
        media = player.nextMedia(10);
        assertNotNull(media, "media arrives");
      } while (media.sequenceHeader());
      return media.timestamp();
    }
  }
}
