package io.estuary.cluster;

import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.UserControl;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestHttp;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's static origin cluster: two origins A and B name each other's API as {@code coworkers} (B names a dead one
 * first); ffmpeg publishes to A. Each origin answers {@code /api/v1/clusters} in SRS's shape, a player of B gets SRS's
 * RTMP 302 to A, the RtmpClient follows it and plays from A, and a stream nobody publishes is refused at once.
 */
@ExtendWith(VertxExtension.class)
class OriginClusterTest {

  private static final String VHOST = "origin.test";
  private static final Predicate<RtmpMessage> IS_302 = m -> m instanceof CommandMessage c && "onStatus".equals(c.name())
      && c.argument(0) instanceof Map<?, ?> info && "NetConnection.Connect.Rejected".equals(info.get("code"));

  static int apiA;
  static int apiB;
  static int dead;
  static TestNode a;
  static TestNode b;
  static Ffmpeg.Run publisher;
  static TestHttp http;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    apiA = TestNode.freePort();
    apiB = TestNode.freePort();
    dead = TestNode.freePort(); // a coworker that is down: asked, refused, skipped
    a = TestNode.start(origin(apiA, "127.0.0.1:" + apiB));
    b = TestNode.start(origin(apiB, "127.0.0.1:" + dead + " 127.0.0.1:" + apiA));
    publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), a.rtmp("live/s?vhost=" + VHOST));
    a.awaitFrames(VHOST, "live/s", 1);
    http = TestHttp.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (publisher != null) {
      publisher.stop();
    }
    for (TestNode node : new TestNode[] {b, a}) {
      if (node != null) {
        node.close();
      }
    }
  }

  /** {@code vhost origin.test { cluster { mode local; origin_cluster on; coworkers ...; } }} and its HTTP API. */
  private static JsonObject origin(int apiPort, String coworkers) {
    return new JsonObject()
        .put("http_api", new JsonObject().put("enabled", true)
            .put("listen", new JsonArray().add("127.0.0.1:" + apiPort)))
        .put("vhosts", new JsonObject().put(VHOST, new JsonObject().put("cluster", new JsonObject()
            .put("mode", "local").put("origin_cluster", "on").put("coworkers", coworkers))));
  }

  private static String clusters(int apiPort, String stream) {
    return "http://127.0.0.1:" + apiPort + "/api/v1/clusters?vhost=" + VHOST + "&ip=10.1.2.3&app=live&stream="
        + stream + "&coworker=127.0.0.1:" + apiPort;
  }

  @Test
  void everyOriginAnswersWhereAStreamIsPublished(VertxTestContext ctx) {
    // As SRS's coworkers ask: POST with an empty body. A publishes the stream, B does not.
    http.request(HttpMethod.POST, clusters(apiA, "s"), null).compose(onA -> {
      ctx.verify(() -> {
        assertEquals(200, onA.status());
        JsonObject body = onA.json();
        assertEquals(0, body.getValue("code"));
        JsonObject data = body.getJsonObject("data");
        JsonObject query = data.getJsonObject("query");
        assertEquals("10.1.2.3", query.getString("ip"));
        assertEquals(VHOST, query.getString("vhost"));
        assertEquals("live", query.getString("app"));
        assertEquals("s", query.getString("stream"));
        JsonObject origin = data.getJsonObject("origin");
        assertNotNull(origin, "A publishes the stream: " + body);
        // A listens on 127.0.0.1, which SRS does not announce: the coworker host it was asked at stands for it.
        assertEquals("127.0.0.1", origin.getString("ip"));
        assertEquals(a.rtmpPort, origin.getValue("port"));
        assertEquals(VHOST, origin.getString("vhost"));
        assertEquals("127.0.0.1:" + apiA, origin.getString("api"));
        assertEquals(new JsonArray().add("127.0.0.1:" + apiA), origin.getJsonArray("routers"));
      });
      return http.get(clusters(apiB, "s"));
    }).onComplete(ctx.succeeding(onB -> ctx.verify(() -> {
      assertEquals(200, onB.status());
      JsonObject body = onB.json();
      assertEquals(0, body.getValue("code"));
      JsonObject data = body.getJsonObject("data");
      assertEquals("s", data.getJsonObject("query").getString("stream"));
      assertTrue(data.containsKey("origin"), "origin is there, null: " + body);
      assertNull(data.getValue("origin"), "B does not publish the stream: " + body);
      ctx.completeNow();
    })));
  }

  @Test
  void aPlayerOfAStreamPublishedOnAnotherOriginGetsSrsRtmp302() throws Exception {
    String tcUrl = "rtmp://127.0.0.1:" + a.rtmpPort + "/live";
    String url = tcUrl + "/s?vhost=" + VHOST;
    try (LogCapture log = LogCapture.of("io.estuary.rtmp");
         TestRtmpClient player = TestRtmpClient.connect(b.rtmpPort, "live")) {
      player.sendPlay("s?vhost=" + VHOST);
      assertTrue(player.awaitClosed(15), "B closes the redirected player (after 3 s)");

      List<RtmpMessage> seen = new ArrayList<>(player.all);
      int begin = indexOf(seen, m -> m instanceof UserControl u && u.event() == UserControl.STREAM_BEGIN);
      int start = indexOf(seen, m -> isStatus(m, "NetStream.Play.Start"));
      int redirect = indexOf(seen, IS_302);
      assertTrue(begin >= 0 && begin < start && start < redirect,
          "StreamBegin, Play.Start, then the 302: " + seen);
      assertEquals(redirect, seen.size() - 1, "nothing after the 302: " + seen);

      CommandMessage status = (CommandMessage) seen.get(redirect);
      assertEquals("onStatus", status.name());
      assertEquals(0, status.streamId(), "SRS sends it on stream 0");
      assertEquals(0.0, status.transactionId());
      assertNull(status.commandObject());
      Map<?, ?> info = (Map<?, ?>) status.argument(0);
      assertEquals("error", info.get("level"));
      assertEquals("NetConnection.Connect.Rejected", info.get("code"));
      assertEquals("RTMP 302 Redirect", info.get("description"));
      Map<?, ?> ex = (Map<?, ?>) info.get("ex");
      assertEquals(302, ((Number) ex.get("code")).intValue());
      assertEquals(tcUrl, ex.get("redirect"));
      assertEquals(url, ex.get("redirect2"));

      List<String> lines = log.await(l -> l.contains("RTMP 302 to " + url), 5);
      assertEquals(1, lines.size(), "one line per redirect: " + log.lines());
      assertTrue(lines.get(0).matches("INFO \\[\\S+] 127\\.0\\.0\\.1:\\d+ play " + VHOST.replace(".", "\\.")
          + "/live/s\\?vhost=.*coworker 127\\.0\\.0\\.1:" + apiA + " publishes it\\)"), lines.get(0));
    }
  }

  @Test
  void theRtmpClientFollowsThe302AndPlaysFromTheOrigin(Vertx vertx, VertxTestContext ctx) {
    RtmpClient client = RtmpClient.create(vertx);
    AtomicInteger frames = new AtomicInteger();
    Promise<Void> played = Promise.promise();
    client.play(b.rtmp("live/s?vhost=" + VHOST), msg -> {
      if (msg instanceof Media m && m.isVideo() && frames.incrementAndGet() == 25) {
        played.tryComplete();
      }
    }).compose(session -> played.future().map(v -> session)).onComplete(ctx.succeeding(session -> ctx.verify(() -> {
      assertEquals(a.rtmp("live/s?vhost=" + VHOST), session.url(), "playing from A, where the 302 pointed");
      client.close().onComplete(ctx.succeedingThenComplete());
    })));
  }

  @Test
  void aStreamNoOriginPublishesIsRefusedAtOnce() throws Exception {
    try (LogCapture log = LogCapture.of("io.estuary.rtmp");
         TestRtmpClient player = TestRtmpClient.connect(b.rtmpPort, "live")) {
      player.sendPlay("nobody?vhost=" + VHOST);
      assertTrue(player.awaitClosed(10), "closed, not left waiting for a publisher");
      assertFalse(player.all.stream().anyMatch(IS_302), "no redirect: " + player.all);
      List<String> lines = log.await(l -> l.contains("closing: play " + VHOST + "/live/nobody"), 5);
      assertEquals(1, lines.size(), String.valueOf(log.lines()));
      String line = lines.get(0);
      assertTrue(line.contains("no coworker publishes " + VHOST + "/live/nobody (SRS error 3092)"), line);
      assertTrue(line.contains("127.0.0.1:" + dead + ": "), "the dead coworker is named: " + line);
      assertTrue(line.contains("127.0.0.1:" + apiA + ": not published there"), line);
    }
  }

  private static boolean isStatus(RtmpMessage m, String code) {
    return m instanceof CommandMessage c && "onStatus".equals(c.name()) && c.argument(0) instanceof Map<?, ?> info
        && code.equals(info.get("code"));
  }

  private static int indexOf(List<RtmpMessage> messages, Predicate<RtmpMessage> match) {
    for (int i = 0; i < messages.size(); i++) {
      if (match.test(messages.get(i))) {
        return i;
      }
    }
    return -1;
  }
}
