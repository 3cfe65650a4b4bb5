package io.estuary.admin;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP callbacks and security rules, against a hook service inside the test and real ffmpeg clients. */
@ExtendWith(VertxExtension.class)
class CallbacksTest {

  static HttpServer hookServer;
  /** The hook POSTs received, by action and param ("on_publish ?token=abc"): the first of each completes its promise. */
  static final Map<String, Promise<JsonObject>> received = new ConcurrentHashMap<>();
  /** What the hook service answers to on_publish. */
  static volatile String publishAnswer = "0";
  /** The node of a test that checks its hook POSTs asynchronously: closed once they are checked. */
  TestNode node;

  @BeforeAll
  static void startHookService(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject event = body.toJsonObject();
      promise(event.getString("action"), event.getString("param")).tryComplete(event);
      String answer = "on_publish".equals(event.getString("action")) ? publishAnswer : "{\"code\":0}";
      request.response().putHeader("Content-Type", "application/json").end(answer);
    })).listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> {
      hookServer = server;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static JsonObject hooks(String url) {
    JsonObject hooks = new JsonObject().put("enabled", true);
    for (String event : List.of("on_connect", "on_publish", "on_play", "on_stop", "on_unpublish", "on_close")) {
      hooks.put(event, url);
    }
    return new JsonObject().put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject().put("http_hooks", hooks)));
  }

  private static String hookUrl() {
    return "http://127.0.0.1:" + hookServer.actualPort() + "/hooks";
  }

  @Test
  void everyEventIsPostedWithSrsFields(VertxTestContext ctx) throws Exception {
    received.clear();
    publishAnswer = "0";
    node = TestNode.start(hooks(hookUrl()).put("http_api", new JsonObject().put("enabled", true)));
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/hooked?token=abc"));
    node.awaitPublished("live/hooked");
    try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("hooked?token=xyz")) {
      assertNotNull(player.nextMedia(10));
    }
    publisher.stop();
    Future<JsonObject> connect = hook("on_connect", "?token=abc");
    Future<JsonObject> publish = hook("on_publish", "?token=abc");
    Future<JsonObject> unpublish = hook("on_unpublish", "?token=abc");
    Future<JsonObject> close = hook("on_close", "?token=abc");
    Future<JsonObject> play = hook("on_play", "?token=xyz");
    Future<JsonObject> stop = hook("on_stop", "?token=xyz");
    // on_unpublish and on_close follow the publisher's end; the node is closed after the test, once all are in.
    Future.all(List.of(connect, publish, unpublish, close, play, stop)).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      JsonObject p = publish.result();
      assertEquals("live", p.getString("app"));
      assertEquals("hooked", p.getString("stream"));
      assertEquals("?token=abc", p.getString("param"), "the URL's token reaches the hook");
      assertEquals("__defaultVhost__", p.getString("vhost"));
      assertEquals("127.0.0.1", p.getString("ip"));
      assertTrue(p.getString("server_id").startsWith("vid-"));
      assertNotNull(p.getString("service_id"));
      assertTrue(p.getString("tcUrl").startsWith("rtmp://127.0.0.1:"), p.encode());
      assertEquals("/live/hooked", p.getString("stream_url"));
      String publisherId = p.getString("client_id");
      assertEquals(publisherId, connect.result().getString("client_id"), "on_connect first, same client id");
      assertTrue(close.result().getLong("recv_bytes") > 10_000, "on_close carries the bytes: " + close.result().encode());
      assertNotEquals(publisherId, play.result().getString("client_id"));
      ctx.completeNow();
    })));
  }

  @Test
  void aRefusingHookRejectsThePublish() throws Exception {
    publishAnswer = "{\"code\":1}";
    try (TestNode node = TestNode.start(hooks(hookUrl()))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/refused"));
      assertTrue(publisher.waitFor(20), "ffmpeg's publish fails");
      assertNotEquals(0, publisher.exitCode());
    } finally {
      publishAnswer = "0";
    }
  }

  @Test
  void anUnreachableHookRejects() throws Exception {
    try (TestNode node = TestNode.start(hooks("http://127.0.0.1:" + TestNode.freePort() + "/down"))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/unreachable"));
      assertTrue(publisher.waitFor(20), "ffmpeg's publish fails: fail closed");
      assertNotEquals(0, publisher.exitCode());
    }
  }

  @Test
  void securityRulesAsSrsEvaluatesThem() throws Exception {
    JsonObject deny = new JsonObject().put("enabled", true).put("deny", new JsonArray().add("publish").add("127.0.0.1"));
    try (TestNode node = TestNode.start(new JsonObject().put("vhosts", new JsonObject()
        .put("__defaultVhost__", new JsonObject().put("security", deny))))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/denied"));
      assertTrue(publisher.waitFor(20), "deny publish 127.0.0.1 refuses the publish");
      assertNotEquals(0, publisher.exitCode());
    }
    JsonObject allow = new JsonObject().put("enabled", true).put("allow", new JsonArray()
        .add(new JsonArray().add("publish").add("127.0.0.0/8")).add(new JsonArray().add("play").add("10.0.0.0/8")));
    try (TestNode node = TestNode.start(new JsonObject().put("vhosts", new JsonObject()
        .put("__defaultVhost__", new JsonObject().put("security", allow))))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/allowed"));
      try {
        node.awaitPublished("live/allowed");
        // 127.0.0.1 is not in the play allow list.
        Ffmpeg.Run player = Ffmpeg.play(node.rtmp("live/allowed"), 2);
        assertTrue(player.waitFor(20));
        assertNotEquals(0, player.exitCode(), "play from outside allow play 10.0.0.0/8 is refused");
      } finally {
        publisher.stop();
      }
    }
  }

  /** Bug 2: as SRS, an allow rule of either action makes the allow list exclusive: allow play all; refuses publishing. */
  @Test
  void allowPlayAllAloneRefusesThePublish() throws Exception {
    JsonObject allowPlay = new JsonObject().put("enabled", true).put("allow", new JsonArray().add("play").add("all"));
    try (TestNode node = TestNode.start(new JsonObject().put("vhosts", new JsonObject()
        .put("__defaultVhost__", new JsonObject().put("security", allowPlay))))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/playonly"));
      assertTrue(publisher.waitFor(20), "no allow publish rule matches 127.0.0.1: the publish is refused");
      assertNotEquals(0, publisher.exitCode());
    }
  }

  /** The hook POST of {@code action} for a client with {@code param}, when the hook service receives it. */
  private static Promise<JsonObject> promise(String action, String param) {
    return received.computeIfAbsent(action + " " + param, key -> Promise.promise());
  }

  /** {@link #promise}'s future, failing with what did not come if the hook service does not receive it within 10 s. */
  private static Future<JsonObject> hook(String action, String param) {
    return promise(action, param).future().timeout(10, TimeUnit.SECONDS).recover(e -> Future.failedFuture(
        new AssertionError("the hook service receives " + action + " for " + param + " (received " + received.keySet() + ")")));
  }
}
