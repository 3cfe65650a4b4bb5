package io.estuary.http;

import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.RawHttp;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP-FLV player that stops reading (it read the response head, then nothing) is dropped once it has taken nothing
 * for {@code queue_length} (here 2 s), as an RTMP player is: one log line, gone from the API's clients, its queue
 * bounded meanwhile (whole GOPs dropped) and its buffers released (the leak detector runs). The other players, RTMP and
 * HTTP-FLV, keep getting every frame while it stalls.
 */
class StalledHttpPlayerTest {

  private static final Pattern STALLED = Pattern.compile("\\[([0-9a-z]{8})\\] 127\\.0\\.0\\.1 closing: took nothing for \\d+ ms, "
      + "past queue_length 2\\.0 s \\(\\d+ messages dropped\\)");

  @Test
  void aPlayerThatStopsReadingIsDroppedAndTheOthersKeepTheirFrames() throws Exception {
    try (TestNode node = TestNode.start(smallSendBuffers(new JsonObject().put("queue_length", 2)));
         LogCapture log = LogCapture.of("io.estuary.http")) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      try (TestRtmpClient rtmpPlayer = TestRtmpClient.connect(node.rtmpPort, "live").play("s");
           RawHttp stalled = new RawHttp(node.httpPort, "127.0.0.1", 4096)) {
        node.awaitPublished("live/s");
        assertEquals(200, RawHttp.status(stalled.get("/live/s.flv").head())); // and never reads again
        Ffmpeg.Run httpPlayer = Ffmpeg.play(node.http("live/s.flv"), 5);
        long before = mediaCount(rtmpPlayer);

        List<String> lines = log.await(l -> STALLED.matcher(l).find(), 30);
        assertEquals(1, lines.size(), log.lines().toString());
        Matcher m = STALLED.matcher(lines.get(0));
        assertTrue(m.find());
        String stalledId = m.group(1);
        Await.until(Duration.ofSeconds(5), () -> !clientIds(node).contains(stalledId),
            () -> "the dropped player " + stalledId + " is no longer listed by the API");
        assertTrue(stalled.closedByServer(), "its connection is closed");

        long after = mediaCount(rtmpPlayer);
        assertTrue(after > before + 100, "the RTMP player kept getting the stream: " + before + ", then " + after);
        Ffmpeg.assertDecoded(List.of(httpPlayer), 5); // the HTTP-FLV player lost no frames meanwhile
        assertTrue(publisher.isAlive(), publisher.stderr());
      } finally {
        publisher.stop();
      }
    }
  }

  /** The API's kick of a player that stopped reading closes it at once, though its queued writes are never taken. */
  @Test
  void aPlayerThatStopsReadingIsKickedAtOnce() throws Exception {
    try (TestNode node = TestNode.start(smallSendBuffers(new JsonObject()))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      try (RawHttp stalled = new RawHttp(node.httpPort, "127.0.0.1", 4096)) {
        node.awaitPublished("live/s");
        assertEquals(200, RawHttp.status(stalled.get("/live/s.flv").head())); // and never reads again
        String id = Await.value(Duration.ofSeconds(10), () -> flvPlayers(node), ids -> ids.size() == 1,
            () -> "the player listed").get(0);
        // 300 KB more of the stream than its socket buffers hold (12 KB): writes wait in Vert.x's queue (queue_length
        // is 30 s: the node does not drop it itself).
        long start = publisherBytes(node);
        Await.until(Duration.ofSeconds(20), () -> publisherBytes(node) > start + 300 * 1024,
            () -> "the stream goes on while the player does not read: " + publisherBytes(node));
        HttpResponse<String> kicked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.api("/api/v1/clients/" + id))).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, kicked.statusCode(), kicked.body());
        Await.until(Duration.ofSeconds(5), () -> !clientIds(node).contains(id), () -> "the kicked player is gone");
        stalled.socket.setSoTimeout(5000);
        assertTrue(stalled.closedByServer(), "its connection is closed");
        assertTrue(publisher.isAlive(), publisher.stderr());
      } finally {
        publisher.stop();
      }
    }
  }

  private static List<String> flvPlayers(TestNode node) {
    return clients(node).stream().filter(c -> "flv-play".equals(c.getString("type")))
        .map(c -> c.getString("id")).toList();
  }

  private static long publisherBytes(TestNode node) {
    return clients(node).stream().filter(c -> c.getBoolean("publish", false))
        .mapToLong(c -> c.getLong("recv_bytes", 0L)).sum();
  }

  /**
   * HTTP-FLV on {@code [app]/[stream].flv} with the API, and the default vhost's {@code play} options. The kernel's
   * send buffer, which Linux grows up to 4 MB (a minute of this stream) before the socket says it is full, is kept
   * small (Vert.x's own option): a stall shows within seconds.
   */
  private static JsonObject smallSendBuffers(JsonObject play) {
    return new JsonObject()
        .put("http", new JsonObject().put("sendBufferSize", 8 * 1024))
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/test-www"))
        .put("http_api", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("play", play)
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", new JsonArray().add("[app]/[stream].flv")))));
  }

  /** Audio and video messages the player received so far. */
  private static long mediaCount(TestRtmpClient player) {
    return player.received.stream().filter(r -> r.type() == RtmpMessage.TYPE_AUDIO || r.type() == RtmpMessage.TYPE_VIDEO)
        .count();
  }

  private static List<String> clientIds(TestNode node) {
    return clients(node).stream().map(c -> c.getString("id")).toList();
  }

  private static List<JsonObject> clients(TestNode node) {
    HttpResponse<String> response;
    try {
      response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(node.api("/api/v1/clients/"))).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("the API did not answer", e);
    }
    return new JsonObject(response.body()).getJsonArray("clients").stream().map(c -> (JsonObject) c).toList();
  }
}
