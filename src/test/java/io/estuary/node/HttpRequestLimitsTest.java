package io.estuary.node;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.RawHttp;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every HTTP listener (the HTTP server, the API) bounds a request: its line and headers by size (Vert.x's 414 and
 * 431), and the time it takes to arrive ({@code requestTimeout}, here 1 s): a slowloris client dribbling its headers
 * is cut with a log line, a kept-alive connection where nothing more comes is closed quietly. An HTTP-FLV player on the
 * same server decodes the stream meanwhile.
 */
class HttpRequestLimitsTest {

  static TestNode node;
  static Ffmpeg.Run publisher;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("http", new JsonObject().put("requestTimeout", 1000))
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/test-www"))
        .put("http_api", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", new JsonArray().add("[app]/[stream].flv"))))));
    publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
    node.awaitPublished("live/s");
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.stop();
    node.close();
  }

  @Test
  void slowRequestsAreCutAndOthersServed() throws Exception {
    Ffmpeg.Run player = Ffmpeg.play(node.http("live/s.flv"), 4);
    try (LogCapture log = LogCapture.of("io.estuary.http")) {
      assertSlowlorisCut(node.httpPort, log, "HTTP server");
      assertSlowlorisCut(node.apiPort, log, "HTTP API");
    }
    Ffmpeg.assertDecoded(List.of(player), 4);
  }

  @Test
  void aKeptAliveConnectionWithNothingMoreIsClosedQuietly() throws Exception {
    try (LogCapture log = LogCapture.of("io.estuary.http"); RawHttp client = new RawHttp(node.apiPort)) {
      assertEquals(200, RawHttp.status(client.get("/api/v1/versions").head()));
      assertTrue(client.closedByServer(), "closed once the deadline passed with no next request");
      assertEquals(List.of(), log.lines().stream().filter(l -> l.startsWith("WARNING")).toList());
    }
  }

  @Test
  void tooLongARequestLineIs414AndTooLargeHeaders431() throws Exception {
    for (int port : List.of(node.httpPort, node.apiPort)) {
      try (LogCapture log = LogCapture.of("io.estuary.http"); RawHttp client = new RawHttp(port)) {
        String head = client.get("/live/" + "x".repeat(5000) + ".flv").head();
        assertEquals(414, RawHttp.status(head), head);
        assertTrue(client.closedByServer());
        List<String> lines = log.await(l -> l.contains("refused a request from 127.0.0.1:"), 5);
        assertEquals(1, lines.size(), log.lines().toString());
        assertTrue(lines.get(0).contains("4096"), "says the limit: " + lines.get(0));
      }
      try (RawHttp client = new RawHttp(port)) {
        String head = client.send("GET /api/v1/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "y".repeat(9000)
            + "\r\n\r\n").head();
        assertEquals(431, RawHttp.status(head), head);
        assertTrue(client.closedByServer());
      }
    }
  }

  /** A request whose headers come a byte every 200 ms, never finished: the server closes it, and says so. */
  private static void assertSlowlorisCut(int port, LogCapture log, String service) throws Exception {
    try (RawHttp slow = new RawHttp(port)) {
      slow.send("GET /api/v1/versions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
      AtomicBoolean stop = new AtomicBoolean();
      Thread dribbler = new Thread(() -> {
        try {
          while (!stop.get()) {
            slow.send("a");
            Thread.sleep(200); // the dribble's pace, faster than any idle timeout
          }
        } catch (IOException | InterruptedException e) {
          // closed by the server, or the test is over
        }
      });
      dribbler.start();
      try {
        assertTrue(slow.closedByServer(), service + " cut the slow request");
      } finally {
        stop.set(true);
        dribbler.join();
      }
    }
    List<String> lines = log.await(l -> l.contains(service + ": closing 127.0.0.1:"), 5);
    assertEquals(1, lines.size(), log.lines().toString());
    assertTrue(lines.get(0).contains("no complete request within 1000 ms"), lines.get(0));
  }
}
