package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VhostConfigTest {

  private static VhostConfig vhost(String json) {
    return VhostConfig.fromJson("v", new JsonObject(json), VhostConfig.DEFAULT_CHUNK_SIZE);
  }

  @Test
  void playersGetNoDelayWithTcpNodelayOrMinLatency() {
    assertFalse(vhost("{}").playerNoDelay(), "SRS's default: Nagle on for players");
    assertTrue(vhost("{\"tcp_nodelay\": true}").playerNoDelay());
    assertTrue(vhost("{\"min_latency\": true}").playerNoDelay(), "min_latency: every message leaves at once");
  }

  @Test
  void minLatencyDropsTheMergedWriteWaitUnlessConfigured() {
    assertEquals(0, vhost("{\"min_latency\": true}").play().mwLatency());
    assertEquals(0, vhost("{\"min_latency\": true}").play().mwMsgs());
    assertEquals(100, vhost("{\"min_latency\": true, \"play\": {\"mw_latency\": 100}}").play().mwLatency());
    assertEquals(350, vhost("{}").play().mwLatency());
  }

  private static VhostConfig hooks(JsonObject httpHooks) {
    return VhostConfig.fromJson("v", new JsonObject().put("http_hooks", httpHooks), VhostConfig.DEFAULT_CHUNK_SIZE);
  }

  @Test
  void hookUrlsFromEveryShapeOfTheBlock() {
    assertEquals(List.of("http://a"),
        hooks(new JsonObject().put("enabled", true).put("on_publish", "http://a")).hookUrls("on_publish"));
    assertEquals(List.of("http://a", "http://b"), hooks(new JsonObject().put("enabled", "on")
        .put("on_publish", new JsonArray().add("http://a").add("http://b"))).hookUrls("on_publish"));
    // on_publish http://a http://b; on_publish http://c;
    VhostConfig repeated = hooks(new JsonObject().put("enabled", true).put("on_play", "http://p")
        .put("on_publish", new JsonArray().add(new JsonArray().add("http://a").add("http://b")).add("http://c")));
    assertEquals(List.of("http://a", "http://b", "http://c"), repeated.hookUrls("on_publish"));
    assertEquals(List.of("http://p"), repeated.hookUrls("on_play"));
    assertEquals(List.of(), repeated.hookUrls("on_connect"));
  }

  @Test
  void hookUrlsAsTheFileWritesThem() {
    JsonObject conf = SrsConf.read("""
        vhost v {
            http_hooks {
                enabled on;
                on_publish http://a http://b;
                on_publish http://c;
                on_play http://p;
            }
        }
        """, "x.conf", Path.of(""), Map.of()).config();
    VhostConfig v = Vhosts.fromConfig(conf).resolve("v");
    assertEquals(List.of("http://a", "http://b", "http://c"), v.hookUrls("on_publish"));
    assertEquals(List.of("http://p"), v.hookUrls("on_play"));
    assertEquals(List.of(), v.hookUrls("on_close"));
  }

  @Test
  void noHookUrlsWhenDisabled() {
    JsonObject hooksOff = new JsonObject().put("on_publish", "http://a");
    assertEquals(List.of(), hooks(hooksOff).hookUrls("on_publish"));
    assertEquals(List.of(), hooks(hooksOff.copy().put("enabled", false)).hookUrls("on_publish"));
    assertEquals(List.of(), hooks(hooksOff.copy().put("enabled", "off")).hookUrls("on_publish"));
    assertEquals(List.of(), vhost("{}").hookUrls("on_publish"));
  }

  @Test
  void aMistypedHookValueIsKeptSoItRefuses() {
    // "on_publish on;" reaches us as true: kept as "true", which HttpHooks.authorize refuses as not a URL.
    assertEquals(List.of("true"),
        hooks(new JsonObject().put("enabled", true).put("on_publish", true)).hookUrls("on_publish"));
  }
}
