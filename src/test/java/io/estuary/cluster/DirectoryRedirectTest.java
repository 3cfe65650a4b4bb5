package io.estuary.cluster;

import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamOwners;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An origin in Hazelcast mode, its stream directory stood in for: a player of a stream that another node owns gets
 * SRS's RTMP 302 (RTMP) or an HTTP 302 (HTTP-FLV, HLS) to that node; a stream nobody publishes is waited for here.
 */
class DirectoryRedirectTest {

  static TestNode node;
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject().put("http_server", new JsonObject().put("enabled", true))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", "[vhost]/[app]/[stream].flv")))
        .put("other.example", new JsonObject().put("hls", new JsonObject().put("enabled", true)
            .put("hls_m3u8_file", "[vhost]/[app]/[stream].m3u8")))));
    node.node.hub().owners(new StreamOwners() {
      @Override
      public CompletionStage<Owner> elsewhere(StreamKey key) {
        return CompletableFuture.completedFuture("there".equals(key.stream())
            ? new Owner("node-2", "10.1.2.3:19350", "10.1.2.3:18080") : null);
      }

      @Override
      public AutoCloseable watch(StreamKey key, Consumer<Owner> changed) {
        return () -> { };
      }

      @Override
      public CompletionStage<List<String>> origins() {
        return CompletableFuture.completedFuture(List.of());
      }
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anRtmpPlayerOfAStreamOwnedElsewhereGetsSrsRtmp302() throws Exception {
    try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live")) {
      player.sendPlay("there?token=t");
      assertTrue(player.awaitClosed(15), "the redirected player is closed (after 3 s)");
      RtmpMessage last = player.all.get(player.all.size() - 1);
      CommandMessage status = (CommandMessage) last;
      assertEquals("onStatus", status.name());
      Map<?, ?> info = (Map<?, ?>) status.argument(0);
      assertEquals("NetConnection.Connect.Rejected", info.get("code"));
      assertEquals("RTMP 302 Redirect", info.get("description"));
      Map<?, ?> ex = (Map<?, ?>) info.get("ex");
      assertEquals(302, ((Number) ex.get("code")).intValue());
      assertEquals("rtmp://10.1.2.3:19350/live", ex.get("redirect"));
      assertEquals("rtmp://10.1.2.3:19350/live/there?token=t", ex.get("redirect2"));
    }
  }

  @Test
  void aPlayerOfAStreamNobodyPublishesWaitsHere() throws Exception {
    try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live")) {
      player.play("nobody");
      Thread.sleep(500);
      assertTrue(player.isActive(), "still waiting");
      assertFalse(player.all.stream().anyMatch(m -> m instanceof CommandMessage c && "onStatus".equals(c.name())
          && c.argument(0) instanceof Map<?, ?> i && "NetConnection.Connect.Rejected".equals(i.get("code"))));
    }
  }

  @Test
  void httpFlvAndHlsOfAStreamOwnedElsewhereGetAnHttp302() throws Exception {
    HttpResponse<String> flv = HTTP.send(HttpRequest.newBuilder(URI.create(node.http("live/there.flv?x=1"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(302, flv.statusCode());
    assertEquals("http://10.1.2.3:18080/live/there.flv?x=1", flv.headers().firstValue("Location").orElse(null));
    HttpResponse<String> hls = HTTP.send(HttpRequest.newBuilder(URI.create(node.http("live/there.m3u8"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(302, hls.statusCode());
    assertEquals("http://10.1.2.3:18080/live/there.m3u8", hls.headers().firstValue("Location").orElse(null));
    HttpResponse<String> vhostHls = HTTP.send(HttpRequest.newBuilder(
        URI.create(node.http("other.example/live/there.m3u8?t=1"))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(302, vhostHls.statusCode(), "any vhost's hls_m3u8_file is redirected, not only the default layout");
    assertEquals("http://10.1.2.3:18080/other.example/live/there.m3u8?t=1",
        vhostHls.headers().firstValue("Location").orElse(null));
    HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(node.http("live/nobody.m3u8"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertNotNull(none);
    assertEquals(404, none.statusCode());
  }
}
