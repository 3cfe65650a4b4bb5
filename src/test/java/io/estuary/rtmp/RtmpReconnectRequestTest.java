package io.estuary.rtmp;

import io.estuary.access.Client;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.testing.TestHttp;
import io.estuary.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.estuary.rtmp.RtmpCapabilities.CAPS_EX_RECONNECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enhanced RTMP v2's Reconnect Request: a publisher that announced capsEx Reconnect is asked to move, and may keep
 * publishing a few seconds, when the API kicks it with {@code ?reconnect=1} and when the node stops gracefully (as it
 * does on SIGTERM); a publisher that did not announce it is closed at once, as before.
 */
@ExtendWith(VertxExtension.class)
class RtmpReconnectRequestTest {

  static TestNode node;
  static TestHttp http;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    node = TestNode.start(new JsonObject().put("http_api", new JsonObject().put("enabled", true)));
    http = TestHttp.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static RtmpClient reconnecting(Vertx vertx) {
    return RtmpClient.create(vertx, new RtmpClientOptions().setCapsEx(CAPS_EX_RECONNECT));
  }

  @Test
  void aKickWithReconnectAsksAnAnnouncingPublisherToMove(Vertx vertx, VertxTestContext test) {
    Promise<String> asked = Promise.promise();
    reconnecting(vertx).connect(node.rtmp("live")).compose(session -> {
      session.reconnectHandler(asked::tryComplete);
      return session.publish("moving").compose(publishing -> kick(node, "moving", true)).map(session);
    }).compose(session -> asked.future().compose(url -> {
      test.verify(() -> {
        assertEquals(node.rtmp("live"), url, "the tcUrl it connected with");
        Source source = node.node.hub().get(new StreamKey(StreamKey.DEFAULT_VHOST, "live", "moving"));
        assertTrue(source != null && source.isPublishing(), "it may go on publishing while it moves");
      });
      return session.closed(); // it does not move: the server closes it after its grace period
    })).onComplete(test.succeeding(reason -> test.verify(() -> {
      assertTrue(reason.contains("after its reconnect request"), reason);
      test.completeNow();
    })));
  }

  @Test
  void aKickWithReconnectClosesAPublisherThatDidNotAnnounce(Vertx vertx, VertxTestContext test) {
    RtmpClient.create(vertx).connect(node.rtmp("live")).compose(session -> {
      session.reconnectHandler(url -> test.failNow("a legacy publisher was asked to reconnect to " + url));
      return session.publish("kicked").compose(publishing -> kick(node, "kicked", true)).compose(kicked -> session.closed());
    }).onComplete(test.succeeding(reason -> test.verify(() -> {
      assertEquals("closed by the server", reason);
      test.completeNow();
    })));
  }

  @Test
  void aGracefulStopAsksAnnouncingPublishersToMoveAndClosesTheOthers(Vertx vertx, VertxTestContext test)
      throws Exception {
    TestNode stopping = TestNode.start();
    Promise<String> asked = Promise.promise();
    Promise<Void> stopped = Promise.promise();
    Future<RtmpClientSession> legacy = RtmpClient.create(vertx).connect(stopping.rtmp("live"))
        .compose(session -> session.publish("legacy").map(session));
    Future<RtmpClientSession> moving = reconnecting(vertx).connect(stopping.rtmp("live")).compose(session -> {
      session.reconnectHandler(asked::tryComplete);
      return session.publish("moving").map(session);
    });
    Future.all(legacy, moving).onComplete(test.succeeding(both -> {
      // The node stops as on SIGTERM: Vert.x closes, undeploying the listeners (blocking, so off the event loop).
      new Thread(() -> {
        try {
          stopping.close();
          stopped.complete();
        } catch (Exception e) {
          stopped.fail(e);
        }
      }, "stopping-node").start();
    }));
    asked.future().compose(url -> {
      test.verify(() -> assertEquals(stopping.rtmp("live"), url));
      return legacy.result().closed();
    }).compose(reason -> {
      test.verify(() -> {
        assertEquals("closed by the server", reason);
        assertTrue(moving.result().isActive(), "the announcing publisher is not cut off with the others");
      });
      return moving.result().close(); // it moves: the node's stop need not wait out the grace period
    }).compose(closed -> stopped.future()).onComplete(test.succeedingThenComplete());
  }

  /** {@code DELETE /api/v1/clients/{id}} of the publisher of {@code live/stream}, with {@code ?reconnect=1}. */
  private static Future<Void> kick(TestNode on, String stream, boolean reconnect) {
    Client publisher = on.node.clients().all().stream()
        .filter(c -> stream.equals(c.stream()) && c.isPublishing()).findFirst().orElseThrow();
    return http.delete(on.api("/api/v1/clients/" + publisher.id() + (reconnect ? "?reconnect=1" : "")))
        .map(response -> {
          if (response.json().getInteger("code") != 0) {
            throw new IllegalStateException("kick refused: " + response.body());
          }
          return null;
        });
  }
}
