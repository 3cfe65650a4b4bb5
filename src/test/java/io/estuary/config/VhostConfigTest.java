package io.estuary.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

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
}
