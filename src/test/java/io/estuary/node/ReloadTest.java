package io.estuary.node;

import java.time.Duration;
import io.estuary.media.FlvTags;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.message.Media;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestHttp;
import io.estuary.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reload as SRS does it: nobody is dropped, new clients get the new settings, a broken file changes nothing. */
@ExtendWith(VertxExtension.class)
class ReloadTest {

  @TempDir
  Path dir;

  private Path conf;
  private int port;
  /** The node under test, closed after the test (once its asynchronous checks are done). */
  private TestNode node;
  private Ffmpeg.Run publisher;
  private LogCapture log;
  /** The test's RTMP clients: Estuary's own client, on the test's Vert.x. */
  private RtmpClient rtmp;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    port = TestNode.freePort();
    rtmp = RtmpClient.create(vertx);
    log = LogCapture.of("io.estuary.node");
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    if (publisher != null) {
      publisher.stop();
    }
    if (node != null) {
      node.close();
    }
  }

  private void write(String timeJitter, int chunkSize) {
    write("""
        listen 127.0.0.1:%d;
        pid %s;
        srs_log_tank console;
        vhost __defaultVhost__ {
            chunk_size %d;
            play { time_jitter %s; }
        }
        """.formatted(port, dir.resolve("node.pid"), chunkSize, timeJitter));
  }

  private void write(String text) {
    try {
      Files.writeString(conf, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void reloadAppliesToNewPlayersAndKeepsTheConnectedOnes(Vertx vertx, VertxTestContext ctx) throws Exception {
    conf = dir.resolve("srs.conf");
    write("full", 60000);
    node = TestNode.startFile(conf, port);
    publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/r"));
    node.awaitFrames("live/r", 75); // 3 s in: a player that kept the publisher's timestamps would start past 1500
    AtomicLong earlyMedia = new AtomicLong();
    rtmp.play(node.rtmp("live/r"), message -> {
      if (message instanceof Media) {
        earlyMedia.incrementAndGet();
      }
    }).compose(early -> {
      return firstTimestamp().compose(first -> {
        assertTrue(first < 500, "time_jitter full: a new player starts near 0, not " + first);
        write("off", 60000);
        return reload();
      }).compose(reloaded -> firstTimestamp()).compose(first -> {
        assertTrue(first >= 1500, "after reload, time_jitter off: the publisher's own timestamps, not " + first);
        // A broken file keeps the running configuration, and says why.
        write("listen 1935;\nvhost __defaultVhost__ {\n");
        return reload().transform(refused -> {
          assertTrue(refused.failed(), "a broken file is refused");
          // logged before the refusal is answered
          assertTrue(log.lines().stream().anyMatch(l -> l.contains("reload failed") && l.contains("never closed")),
              log.lines().toString());
          return firstTimestamp();
        });
      }).compose(first -> {
        assertTrue(first >= 1500, "the old configuration still applies, not " + first);
        assertFalse(early.closed().isComplete(), "the first player stayed connected through every reload");
        long seen = earlyMedia.get();
        return Await.eventually(vertx, Duration.ofSeconds(5), () -> Future.succeededFuture(earlyMedia.get()),
            n -> n > seen, () -> "the first player still receives");
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** A malformed security rule is refused at reload, where it is written; the running configuration stays. */
  @Test
  void aReloadWithABadRuleIsRefusedAndTheRunningConfigurationStays(VertxTestContext ctx) throws Exception {
    conf = dir.resolve("rules.conf");
    String text = "listen 127.0.0.1:%d;\npid %s;\nsrs_log_tank console;\nvhost __defaultVhost__ {\n"
        + "    security {\n        enabled on;\n        %s\n    }\n}\n";
    write(text.formatted(port, dir.resolve("rules.pid"), "deny publish 10.0.0.1;"));
    node = TestNode.startFile(conf, port);
    write(text.formatted(port, dir.resolve("rules.pid"), "deny publish 1.2.3;"));
    reload().transform(refused -> {
      assertTrue(refused.failed(), "a malformed rule is refused");
      // logged before the refusal is answered
      assertTrue(log.lines().stream().anyMatch(l -> l.contains("reload failed") && l.contains("rules.conf:7:")
          && l.contains("publish 1.2.3: not an IP address or CIDR")), log.lines().toString());
      // the running rules (deny 10.0.0.1 only) still let 127.0.0.1 publish: NetStream.Publish.Start
      return rtmp.publish(node.rtmp("live/still"));
    }).compose(publishing -> publishing.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aChangedFileIsPickedUpByTheScan(Vertx vertx, VertxTestContext ctx) throws Exception {
    conf = dir.resolve("scan.conf");
    write("full", 60000);
    node = TestNode.startFile(conf, port);
    write("full", 4096);
    Await.eventually(vertx, Duration.ofSeconds(15), this::announcedChunkSize, seen -> seen == 4096,
        () -> "the new chunk_size is announced to new clients without a signal"
    ).onComplete(ctx.succeedingThenComplete());
  }

  /**
   * A file nobody touched is not reloaded by the scan; an edit is, once. Without a {@code pid} directive (as
   * conf/srs.conf): the node's default pid file (./objs/srs.pid, ignored by git) once made the first scan see a change.
   */
  @Test
  void theScanReloadsAnEditedFileOnlyNotAnUntouchedOne(Vertx vertx, VertxTestContext ctx) throws Exception {
    conf = dir.resolve("untouched.conf");
    String text = "listen 127.0.0.1:%d;\nsrs_log_tank console;\nvhost __defaultVhost__ { chunk_size %d; }\n";
    write(text.formatted(port, 60000));
    node = TestNode.startFile(conf, port);
    // Two scans go by with the file untouched.
    List<String> reloads = log.await(l -> l.contains("configuration file changed"), 2 * NodeVerticle.SCAN_PERIOD_MS / 1000 + 1);
    assertEquals(List.of(), reloads, "an untouched file is not reloaded");
    write(text.formatted(port, 4096));
    Await.eventually(vertx, Duration.ofSeconds(15), this::announcedChunkSize, seen -> seen == 4096,
        () -> "the edited file is reloaded").onComplete(ctx.succeeding(size -> ctx.verify(() -> {
          assertEquals(1, log.lines().stream().filter(l -> l.contains("configuration file changed, reloading")).count(),
              log.lines().toString());
          ctx.completeNow();
        })));
  }

  @Test
  void theApiReloadsToo(Vertx vertx, VertxTestContext ctx) throws Exception {
    int apiPort = TestNode.freePort();
    conf = dir.resolve("api.conf");
    String text = "listen 127.0.0.1:%d;\npid %s;\nhttp_api { enabled on; listen 127.0.0.1:%d; }\nvhost __defaultVhost__ { chunk_size %d; }\n";
    write(text.formatted(port, dir.resolve("api.pid"), apiPort, 60000));
    node = TestNode.startFile(conf, port);
    write(text.formatted(port, dir.resolve("api.pid"), apiPort, 8192));
    TestHttp.create(vertx).get("http://127.0.0.1:" + apiPort + "/api/v1/raw?rpc=reload").compose(response -> {
      assertTrue(response.body().contains("\"code\":0"), response.body());
      return announcedChunkSize();
    }).onComplete(ctx.succeeding(size -> ctx.verify(() -> {
      assertEquals(8192, size, "the reloaded chunk_size");
      ctx.completeNow();
    })));
  }

  /** Reloads as SIGHUP does: the launcher's event-bus request; fails when the node refuses the file. */
  private Future<Void> reload() {
    return node.vertx.eventBus().request(NodeVerticle.RELOAD_ADDRESS, null).mapEmpty();
  }

  /** The chunk size the node announces to a new client. */
  private Future<Integer> announcedChunkSize() {
    return rtmp.connect(SocketAddress.inetSocketAddress(port, "127.0.0.1"), "rtmp://127.0.0.1:" + port + "/live")
        .compose(client -> {
          int size = client.serverChunkSize();
          return client.close().map(size);
        });
  }

  /** The timestamp of the first frame (not a sequence header) a new player of live/r receives. */
  private Future<Long> firstTimestamp() {
    Promise<Long> first = Promise.promise();
    return rtmp.play(node.rtmp("live/r"), message -> {
      if (message instanceof Media media && !(media.isVideo()
          ? FlvTags.isVideoSequenceHeader(media.payload()) : FlvTags.isAudioSequenceHeader(media.payload()))) {
        first.tryComplete(media.timestamp());
      }
    }).compose(player -> first.future().timeout(10, TimeUnit.SECONDS).eventually(player::close));
  }
}
