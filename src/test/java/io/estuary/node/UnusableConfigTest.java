package io.estuary.node;

import io.estuary.config.NodeConfig;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A value the typed snapshot cannot use fails the start with the reason, and a reload with it changes nothing. */
class UnusableConfigTest {

  @TempDir
  Path dir;

  @Test
  void aBadEndpointFailsTheStartNamingIt() {
    Exception e = assertThrows(Exception.class, () -> TestNode.start(new JsonObject().put("http_api",
        new JsonObject().put("enabled", true).put("listen", new JsonArray().add("1.2.3:99999")))).close());
    assertEquals("http_api: listen: port 99999 in '1.2.3:99999' is out of range 1..65535", e.getMessage());
  }

  @Test
  void aReloadWithUnpairedKeysIsRefusedAndTheRunningConfigurationStays() throws Exception {
    int port = TestNode.freePort();
    Path conf = dir.resolve("rtmps.conf");
    String text = "listen 127.0.0.1:%d;\npid %s;\ninotify_auto_reload off;\n%s\nvhost __defaultVhost__ { chunk_size %d; }\n";
    Files.writeString(conf, text.formatted(port, dir.resolve("rtmps.pid"), "", 4096));
    try (TestNode node = TestNode.startFile(conf, port)) {
      NodeConfig running = node.node.nodeConfig();
      Files.writeString(conf, text.formatted(port, dir.resolve("rtmps.pid"),
          "rtmps { enabled on; key a.key b.key; cert a.crt; }", 8192));
      Exception e = assertThrows(Exception.class,
          () -> node.vertx.eventBus().request(NodeVerticle.RELOAD_ADDRESS, null).await(10, TimeUnit.SECONDS));
      assertTrue(e.getMessage().contains("rtmps: 2 keys for 1 certificates"), e.getMessage());
      assertSame(running, node.node.nodeConfig(), "the running configuration stays");
      try (TestRtmpClient client = TestRtmpClient.connect(port, "live")) {
        assertEquals(4096, client.announcedChunkSize(), "new clients still get the running chunk_size");
      }
    }
  }
}
