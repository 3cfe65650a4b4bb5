package io.estuary.access;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.RawHttp;
import io.estuary.testing.SelfSigned;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code max_connections} counts RTMP, RTMPS and HTTP live players together, as SRS counts every client;
 * {@code max_connections_per_ip} does the same per address. The client past a limit is refused with a log line
 * naming it and the limit; the clients already in keep playing.
 */
class ConnectionLimitsTest {

  private static final String MEDIA = "h264-aac-640x360.flv";

  private static JsonObject httpFlv(JsonObject conf) {
    return conf.put("http_server", new JsonObject().put("enabled", true).put("dir", "target/test-www"))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", new JsonArray().add("[app]/[stream].flv")))));
  }

  @Test
  void maxConnectionsCountsRtmpRtmpsAndHttpPlayersTogether(@TempDir Path tls) throws Exception {
    SelfSigned.write(tls.resolve("k.pem"), tls.resolve("c.pem"), "localhost", "DNS:localhost");
    JsonObject conf = httpFlv(new JsonObject().put("max_connections", 4)).put("rtmps", new JsonObject()
        .put("enabled", true).put("key", tls.resolve("k.pem").toString()).put("cert", tls.resolve("c.pem").toString()));
    try (TestNode node = TestNode.start(conf); LogCapture log = LogCapture.of("io.estuary.access")) {
      // 1: the publisher, over RTMPS; 2: an RTMP player; 3: an HTTP-FLV player; 4: an RTMP client, idle.
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media(MEDIA), "rtmps://127.0.0.1:" + node.rtmpsPort + "/live/s");
      try (TestRtmpClient rtmpPlayer = TestRtmpClient.connect(node.rtmpPort, "live").play("s")) {
        node.awaitPublished("live/s");
        Ffmpeg.Run httpPlayer = Ffmpeg.play(node.http("live/s.flv"), 4);
        Await.until(Duration.ofSeconds(10), () -> node.node.clients().connections() == 3, () -> "3 connections");
        TestRtmpClient idle = TestRtmpClient.connect(node.rtmpPort, "live");

        try (RawHttp refused = new RawHttp(node.httpPort)) {
          String head = refused.get("/live/s.flv").head();
          assertEquals(503, RawHttp.status(head), head);
        }
        List<String> lines = log.await(l -> l.contains("refused HTTP player"), 5);
        assertEquals(1, lines.size(), log.lines().toString());
        assertTrue(lines.get(0).contains("/live/s.flv: max_connections 4 reached"), lines.get(0));
        assertThrows(Throwable.class, () -> TestRtmpClient.connect(node.rtmpPort, "live").close(), "RTMP is refused too");

        Ffmpeg.assertDecoded(List.of(httpPlayer), 4); // the players already in are not disturbed
        assertNotNull(rtmpPlayer.nextMedia(5), "the RTMP player still gets the stream");
        assertTrue(publisher.isAlive(), publisher.stderr());

        idle.close(); // a place is free again: an HTTP player gets it
        Await.until(Duration.ofSeconds(10), () -> node.node.clients().connections() == 2, () -> "2 connections");
        try (RawHttp admitted = new RawHttp(node.httpPort)) {
          assertEquals(200, RawHttp.status(admitted.get("/live/s.flv").head()));
          assertEquals("FLV", admitted.bodyStart(3));
        }
      } finally {
        publisher.stop();
      }
    }
  }

  @Test
  void maxConnectionsPerIpRefusesOnlyThatAddress() throws Exception {
    try (TestNode node = TestNode.start(httpFlv(new JsonObject().put("max_connections_per_ip", 2)));
         LogCapture log = LogCapture.of("io.estuary.access")) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media(MEDIA), node.rtmp("live/s")); // 127.0.0.1: 1
      try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("s")) { // 127.0.0.1: 2
        node.awaitPublished("live/s");
        try (RawHttp third = new RawHttp(node.httpPort)) {
          String head = third.get("/live/s.flv").head();
          assertEquals(503, RawHttp.status(head), head);
        }
        assertThrows(Throwable.class, () -> TestRtmpClient.connect(node.rtmpPort, "live").close(), "RTMP is refused too");
        List<String> lines = log.await(l -> l.contains("max_connections_per_ip 2 reached for 127.0.0.1"), 5);
        assertEquals(2, lines.size(), "a line per refused client, within the refusals' budget: " + log.lines());

        // Another address (127.0.0.2 is loopback too) is not limited by 127.0.0.1's connections.
        try (RawHttp other = new RawHttp(node.httpPort, "127.0.0.2", 0)) {
          assertEquals(200, RawHttp.status(other.get("/live/s.flv").head()));
          assertEquals("FLV", other.bodyStart(3));
        }
        assertNotNull(player.nextMedia(5), "the RTMP player still gets the stream");
        assertTrue(publisher.isAlive(), publisher.stderr());
      } finally {
        publisher.stop();
      }
    }
  }
}
