package io.estuary.cluster;

import io.estuary.config.NodeConfig;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS's rules for what an origin announces, and the RTMP 302's URLs, without a network. */
class ClusterQueryTest {

  private static final StreamKey KEY = new StreamKey("v.test", "live", "s");

  private static JsonObject answer(String listen, String apiListen, Map<String, String> query, String host) {
    NodeConfig config = NodeConfig.from(new JsonObject().put("listen", new JsonArray().add(listen))
        .put("http_api", new JsonObject().put("enabled", true).put("listen", apiListen))
        .put("vhosts", new JsonObject().put("v.test", new JsonObject())));
    StreamHub hub = new StreamHub();
    hub.acquire(KEY).startPublish(Runnable::run, PlayOptions.defaults(), true, "publisher");
    return ClusterQuery.answer(hub, config.vhosts(), config.listeners(), query::get, host);
  }

  @Test
  void aListenHostIsAnnouncedAsItIs() {
    JsonObject origin = answer("10.0.0.1:1936", "1985",
        Map.of("vhost", "v.test", "app", "live", "stream", "s", "coworker", "192.168.1.9:1985"), null)
        .getJsonObject("data").getJsonObject("origin");
    assertEquals("10.0.0.1", origin.getString("ip"));
    assertEquals(1936, origin.getInteger("port"));
    assertEquals("10.0.0.1:1985", origin.getString("api"), "a bare API port is announced at the service ip");
  }

  @Test
  void aBarePortAnnouncesTheCoworkerHostOrElseTheRequestHost() {
    Map<String, String> query = Map.of("vhost", "v.test", "app", "live", "stream", "s", "coworker", "192.168.1.9:1985");
    assertEquals("192.168.1.9", answer("1935", "127.0.0.1:1985", query, "ignored").getJsonObject("data")
        .getJsonObject("origin").getString("ip"));
    JsonObject noCoworker = answer("[::]:1935", "1985", Map.of("vhost", "v.test", "app", "live", "stream", "s"),
        "origin-2.example").getJsonObject("data").getJsonObject("origin");
    assertEquals("origin-2.example", noCoworker.getString("ip"));
    assertEquals("origin-2.example:1985", noCoworker.getString("api"));
  }

  @Test
  void anUnpublishedStreamHasANullOrigin() {
    JsonObject data = answer("1935", "1985", Map.of("vhost", "v.test", "app", "live", "stream", "other"), "h")
        .getJsonObject("data");
    assertTrue(data.containsKey("origin"));
    assertNull(data.getValue("origin"));
  }

  @Test
  void theAskingOriginReadsAnAnswerAsSrsDoes() {
    JsonObject named = new JsonObject().put("code", 0).put("data", new JsonObject()
        .put("origin", new JsonObject().put("ip", "10.0.0.2").put("port", 1935)));
    assertEquals(new Origin("10.0.0.2", 1935, "c"), ClusterQuery.read(named, "c"));
    assertNull(ClusterQuery.read(new JsonObject().put("code", 0).put("data", new JsonObject().putNull("origin")), "c"));
    assertThrows(IllegalArgumentException.class, () -> ClusterQuery.read(new JsonObject().put("code", 1028), "c"));
    assertThrows(IllegalArgumentException.class, () -> ClusterQuery.read(new JsonObject().put("code", 0)
        .put("data", new JsonObject().put("origin", new JsonObject().put("ip", "10.0.0.2"))), "c"));
  }

  @Test
  void theRedirectKeepsTheClientsParametersAndNamesTheVhost() {
    Origin origin = new Origin("10.0.0.2", 1935, "c");
    assertEquals("rtmp://10.0.0.2:1935/live", origin.tcUrl("live"));
    assertEquals("rtmp://10.0.0.2:1935/live/s?vhost=v.test", origin.url("live", "s", "v.test", ""));
    assertEquals("rtmp://10.0.0.2:1935/live/s?vhost=v.test&token=1", origin.url("live", "s", "v.test", "?token=1"));
    assertEquals("rtmp://10.0.0.2:1935/live/s?token=1&vhost=v.test",
        origin.url("live", "s", "v.test", "?token=1&vhost=v.test"), "the client's vhost= is not repeated");
    assertEquals("rtmp://10.0.0.2:1935/live/s", origin.url("live", "s", StreamKey.DEFAULT_VHOST, ""));
    assertEquals("rtmp://[fd00::2]:1935/live", new Origin("fd00::2", 1935, "c").tcUrl("live"));
  }
}
