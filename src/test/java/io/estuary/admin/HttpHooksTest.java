package io.estuary.admin;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HttpHooks against a real HTTP server on 127.0.0.1 playing the hook service; one behaviour per path. */
@ExtendWith(VertxExtension.class)
class HttpHooksTest {

  static final JsonObject ON_PUBLISH = new JsonObject()
      .put("server_id", "vid-test").put("action", "on_publish").put("client_id", "k3z9")
      .put("ip", "127.0.0.1").put("vhost", "__defaultVhost__").put("app", "live")
      .put("tcUrl", "rtmp://127.0.0.1/live").put("stream", "s").put("param", "?token=t");

  /** What the hook service received: one per request. */
  record Seen(String method, String path, String contentType, String body, String connection) {
  }

  Vertx vertx;
  HttpServer service;
  HttpHooks hooks;
  final Queue<Seen> seen = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    hooks = new HttpHooks(vertx);
    vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1").onComplete(ctx.succeeding(server -> {
      service = server;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    hooks.close().compose(v -> service.close()).onComplete(ctx.succeedingThenComplete());
  }

  private void answer(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      seen.add(new Seen(request.method().name(), request.path(), request.getHeader("Content-Type"),
          body.toString(), request.connection().remoteAddress().toString()));
      var response = request.response();
      switch (request.path()) {
        case "/zero" -> response.end(" 0\n");
        case "/code0" -> response.end("{\"code\":0}");
        case "/code0-data" -> response.setStatusCode(201).end("{\"code\": 0, \"data\": {}}");
        case "/code1" -> response.end("{\"code\":1}");
        case "/code-string" -> response.end("{\"code\":\"0\"}");
        case "/error" -> response.setStatusCode(500).end("0");
        case "/empty" -> response.end();
        case "/garbage" -> response.end("<html>ok</html>");
        case "/huge" -> response.end("0" + " ".repeat(HttpHooks.MAX_ANSWER_BYTES));
        case "/silent" -> { } // never answers
        default -> response.setStatusCode(404).end();
      }
    });
  }

  private String url(String path) {
    return "http://127.0.0.1:" + service.actualPort() + path;
  }

  /** A port nothing listens on. */
  private static String deadUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return "http://127.0.0.1:" + port + "/hook";
  }

  private static void assertAllowed(VertxTestContext ctx, Future<Void> decision) {
    decision.onComplete(ctx.succeedingThenComplete());
  }

  private static void assertRefused(VertxTestContext ctx, Future<Void> decision, String message) {
    decision.onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(message, e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void allowsZero(VertxTestContext ctx) {
    assertAllowed(ctx, hooks.authorize(List.of(url("/zero")), ON_PUBLISH));
  }

  @Test
  void allowsCodeZero(VertxTestContext ctx) {
    assertAllowed(ctx, hooks.authorize(List.of(url("/code0")), ON_PUBLISH));
  }

  @Test
  void allowsCodeZeroWithDataAndStatus201(VertxTestContext ctx) {
    assertAllowed(ctx, hooks.authorize(List.of(url("/code0-data")), ON_PUBLISH));
  }

  @Test
  void allowsWhenThereIsNoHook(VertxTestContext ctx) {
    assertAllowed(ctx, hooks.authorize(List.of(), ON_PUBLISH));
  }

  @Test
  void refusesNonZeroCode(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/code1")), ON_PUBLISH),
        "on_publish " + url("/code1") + " answered code 1");
  }

  @Test
  void refusesCodeThatIsNotAnInteger(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/code-string")), ON_PUBLISH),
        "on_publish " + url("/code-string") + " answered '{\"code\":\"0\"}', not 0 nor an object with an integer code");
  }

  @Test
  void refusesHttpError(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/error")), ON_PUBLISH),
        "on_publish " + url("/error") + " answered HTTP 500");
  }

  @Test
  void refusesEmptyBody(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/empty")), ON_PUBLISH),
        "on_publish " + url("/empty") + " answered HTTP 200 with an empty body");
  }

  @Test
  void refusesBodyThatIsNotJson(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/garbage")), ON_PUBLISH),
        "on_publish " + url("/garbage") + " answered '<html>ok</html>', which is not JSON");
  }

  @Test
  void refusesOversizedAnswer(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/huge")), ON_PUBLISH),
        "on_publish " + url("/huge") + " answered more than " + HttpHooks.MAX_ANSWER_BYTES + " bytes");
  }

  @Test
  void refusesUnreachableHook(VertxTestContext ctx) throws Exception {
    String dead = deadUrl();
    hooks.authorize(List.of(dead), ON_PUBLISH).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertTrue(e.getMessage().startsWith("on_publish " + dead + " is unreachable ("), e.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void refusesWhatIsNotAnHttpUrl(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of("true"), ON_PUBLISH), "on_publish true is not an http(s) URL");
  }

  @Test
  void refusesSilentHookAfterTheTimeout(VertxTestContext ctx) {
    HttpHooks quick = new HttpHooks(vertx, 300);
    Future<Void> decision = quick.authorize(List.of(url("/silent")), ON_PUBLISH)
        .andThen(done -> quick.close());
    assertRefused(ctx, decision, "on_publish " + url("/silent") + " gave no answer within 300 ms");
  }

  @Test
  void refusesWhenTheSecondHookRefuses(VertxTestContext ctx) {
    assertRefused(ctx, hooks.authorize(List.of(url("/zero"), url("/code1")), ON_PUBLISH),
        "on_publish " + url("/code1") + " answered code 1");
  }

  @Test
  void stopsAtTheFirstRefusal(VertxTestContext ctx) {
    hooks.authorize(List.of(url("/code1"), url("/zero")), ON_PUBLISH).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertEquals(List.of("/code1"), seen.stream().map(Seen::path).toList());
      ctx.completeNow();
    })));
  }

  @Test
  void postsTheBodyAsJson(VertxTestContext ctx) {
    hooks.authorize(List.of(url("/zero")), ON_PUBLISH).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      Seen request = seen.remove();
      assertEquals("POST", request.method());
      assertEquals("application/json", request.contentType());
      assertEquals(ON_PUBLISH, new JsonObject(request.body()));
      ctx.completeNow();
    })));
  }

  @Test
  void keepsTheConnectionAlive(VertxTestContext ctx) {
    hooks.authorize(List.of(url("/zero")), ON_PUBLISH)
        .compose(v -> hooks.authorize(List.of(url("/code0")), ON_PUBLISH))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<String> connections = seen.stream().map(Seen::connection).distinct().toList();
          assertEquals(1, connections.size(), connections.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void notifyPostsAndLogsFailures() throws Exception {
    String dead = deadUrl();
    JsonObject unpublish = ON_PUBLISH.copy().put("action", "on_unpublish");
    try (LogCapture log = LogCapture.of("io.estuary.admin")) {
      hooks.notify(List.of(dead, url("/code1"), url("/zero"), "not a url"), unpublish);
      assertEquals(1, log.await(l -> l.contains(dead) && l.contains("unreachable"), 10).size(), log.lines().toString());
      assertEquals(1, log.await(l -> l.contains(url("/code1") + " answered code 1"), 10).size(), log.lines().toString());
      assertEquals(1, log.await(l -> l.contains("not a url is not an http(s) URL"), 10).size(), log.lines().toString());
      assertFalse(log.lines().stream().anyMatch(l -> l.contains("/zero")), log.lines().toString());
    }
    Await.until(Duration.ofSeconds(10), () -> seen.size() >= 2, () -> "two hooks are called: " + seen);
    assertEquals(List.of("/code1", "/zero"), seen.stream().map(Seen::path).sorted().toList());
    assertTrue(seen.stream().allMatch(s -> new JsonObject(s.body()).equals(unpublish)));
  }
}
