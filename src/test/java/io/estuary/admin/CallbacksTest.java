package io.estuary.admin;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP callbacks and security rules, against a hook service inside the test and real ffmpeg clients. */
class CallbacksTest {

  static Vertx hookVertx;
  static HttpServer hookServer;
  static final List<JsonObject> received = new CopyOnWriteArrayList<>();
  /** What the hook service answers to on_publish. */
  static volatile String publishAnswer = "0";

  @BeforeAll
  static void startHookService() throws Exception {
    hookVertx = Vertx.vertx();
    hookServer = hookVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject event = body.toJsonObject();
      received.add(event);
      String answer = "on_publish".equals(event.getString("action")) ? publishAnswer : "{\"code\":0}";
      request.response().putHeader("Content-Type", "application/json").end(answer);
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    hookVertx.close().await(10, TimeUnit.SECONDS);
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
  void everyEventIsPostedWithSrsFields() throws Exception {
    received.clear();
    publishAnswer = "0";
    try (TestNode node = TestNode.start(hooks(hookUrl()).put("http_api", new JsonObject().put("enabled", true)))) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/hooked?token=abc"));
      node.awaitPublished("live/hooked");
      try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("hooked?token=xyz")) {
        assertNotNull(player.nextMedia(10));
      }
      publisher.stop();
      node.awaitUnpublished("live/hooked");
      JsonObject publish = await("on_publish", "?token=abc");
      assertEquals("live", publish.getString("app"));
      assertEquals("hooked", publish.getString("stream"));
      assertEquals("?token=abc", publish.getString("param"), "the URL's token reaches the hook");
      assertEquals("__defaultVhost__", publish.getString("vhost"));
      assertEquals("127.0.0.1", publish.getString("ip"));
      assertTrue(publish.getString("server_id").startsWith("vid-"));
      assertNotNull(publish.getString("service_id"));
      assertTrue(publish.getString("tcUrl").startsWith("rtmp://127.0.0.1:"), publish.encode());
      assertEquals("/live/hooked", publish.getString("stream_url"));
      String publisherId = publish.getString("client_id");
      assertEquals(publisherId, await("on_connect", "?token=abc").getString("client_id"), "on_connect first, same client id");
      await("on_unpublish", "?token=abc");
      JsonObject close = await("on_close", "?token=abc");
      assertTrue(close.getLong("recv_bytes") > 10_000, "on_close carries the bytes: " + close.encode());
      JsonObject play = await("on_play", "?token=xyz");
      assertNotEquals(publisherId, play.getString("client_id"));
      await("on_stop", "?token=xyz");
    }
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

  /** Waits for the hook service to receive {@code action} for a client with {@code param}. */
  private static JsonObject await(String action, String param) throws InterruptedException {
    Supplier<JsonObject> event = () -> new ArrayList<>(received).stream()
        .filter(e -> action.equals(e.getString("action")) && param.equals(e.getString("param"))).findFirst().orElse(null);
    return Await.value(Duration.ofSeconds(10), event, Objects::nonNull,
        () -> "the hook service receives " + action + " for " + param + " (received " + received + ")");
  }
}
