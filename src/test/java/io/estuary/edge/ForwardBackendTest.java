package io.estuary.edge;

import io.estuary.stream.StreamKey;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRS's forward {@code backend}: on each publish the node POSTs SRS's on_forward body to the backend (a Vert.x HTTP
 * server here) and forwards to the URLs it answers, in place of the {@code destination} list; an answer with a
 * non-zero code forwards nowhere, and the publish goes on.
 */
class ForwardBackendTest {

  @Test
  void forwardsWhereTheBackendSays() throws Exception {
    Vertx vertx = Vertx.vertx();
    Map<String, JsonObject> asked = new ConcurrentHashMap<>();
    try (TestNode slave = TestNode.start()) {
      HttpServer backend = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        JsonObject json = body.toJsonObject();
        asked.put(json.getString("stream"), json);
        JsonObject answer = new JsonObject().put("code", 0).put("data", new JsonObject()
            .put("urls", new JsonArray().add(slave.rtmp("live/other"))));
        request.response().putHeader("Content-Type", "application/json").end(answer.encode());
      })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      int dead = TestNode.freePort(); // the destination list, replaced by the backend's answer
      try (TestNode master = TestNode.start("""
          http_api { enabled on; }
          vhost __defaultVhost__ {
              forward {
                  enabled on;
                  destination 127.0.0.1:%d;
                  backend http://127.0.0.1:%d/api/v1/forward;
              }
          }
          """.formatted(dead, backend.actualPort()))) {
        Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"),
            master.rtmp("live/livestream?token=abc"));
        try {
          slave.awaitFrames("live/other", 10);
          Ffmpeg.assertH264Aac(Ffmpeg.awaitStreams(slave.rtmp("live/other"), 2));
          JsonObject body = asked.get("livestream");
          assertEquals("on_forward", body.getString("action"));
          assertEquals(master.node.clients().all().stream().filter(c -> c.isPublishing()).findFirst().orElseThrow()
              .id(), body.getString("client_id"));
          for (String field : List.of("server_id", "service_id", "ip", "tcUrl")) {
            assertFalse(body.getString(field, "").isEmpty(), field + " in " + body);
          }
          assertEquals("__defaultVhost__", body.getString("vhost"));
          assertEquals("live", body.getString("app"));
          assertEquals("?token=abc", body.getString("param"));
          assertEquals(slave.rtmp("live/other"),
              master.apiStream("livestream").getJsonArray("forward").getJsonObject(0).getString("url"));
        } finally {
          publisher.stop();
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRefusingBackendForwardsNowhereAndThePublishGoesOn() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer backend = vertx.createHttpServer().requestHandler(request -> request.response()
          .end(new JsonObject().put("code", 1).encode())).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      try (LogCapture log = LogCapture.of("io.estuary.edge");
           TestNode master = TestNode.start("""
               http_api { enabled on; }
               vhost __defaultVhost__ {
                   forward { enabled on; backend http://127.0.0.1:%d/api/v1/forward; }
               }
               """.formatted(backend.actualPort()))) {
        Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), master.rtmp("live/refused"));
        try {
          assertFalse(log.await(l -> l.contains("answered code 1") && l.contains("not forwarded"), 15).isEmpty(),
              "the refusal is logged: " + log.lines());
          master.awaitFrames("live/refused", 50);
          assertTrue(publisher.isAlive(), publisher.stderr());
          assertFalse(master.apiStream("refused").containsKey("forward"), "no forward listed");
          assertNull(master.node.forward().status(new StreamKey(StreamKey.DEFAULT_VHOST, "live", "refused"))
              .stream().findAny().orElse(null));
        } finally {
          publisher.stop();
        }
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
