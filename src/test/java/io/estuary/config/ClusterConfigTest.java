package io.estuary.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterConfigTest {

  private static VhostConfig vhost(String conf) {
    JsonObject json = SrsConf.read(conf, "x.conf", Path.of(""), Map.of()).config();
    return Vhosts.fromConfig(json).resolve("v");
  }

  @Test
  void anEdgeAsSrsWritesIt() {
    ClusterConfig cluster = vhost("""
        vhost v {
            cluster {
                mode remote;
                origin 10.0.0.1:1935 10.0.0.2;
                origin origin.example:19350;
                token_traverse on;
                vhost same.example;
            }
        }
        """).cluster();
    assertTrue(cluster.edge());
    assertEquals(List.of(new Endpoint("10.0.0.1", 1935), new Endpoint("10.0.0.2", 1935),
        new Endpoint("origin.example", 19350)), cluster.origins());
    assertTrue(cluster.tokenTraverse());
    assertEquals("same.example", cluster.upstreamVhost());
  }

  @Test
  void anOriginClusterWithCoworkers() {
    ClusterConfig cluster = vhost("""
        vhost v {
            cluster {
                mode local;
                origin_cluster on;
                coworkers 127.0.0.1:9091 127.0.0.1:9092;
            }
        }
        """).cluster();
    assertFalse(cluster.edge());
    assertTrue(cluster.originCluster());
    assertEquals(List.of("127.0.0.1:9091", "127.0.0.1:9092"), cluster.coworkers());
  }

  @Test
  void withoutABlockAVhostIsAnOrigin() {
    ClusterConfig cluster = vhost("vhost v { }").cluster();
    assertFalse(cluster.edge());
    assertEquals(List.of(), cluster.origins());
    assertFalse(cluster.originCluster());
  }

  @Test
  void aBadModeOrOriginIsRefused() {
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> vhost("vhost v { cluster { mode edge; } }"));
    assertTrue(mode.getMessage().contains("cluster.mode"), mode.getMessage());
    IllegalArgumentException origin = assertThrows(IllegalArgumentException.class,
        () -> vhost("vhost v { cluster { mode remote; origin 10.0.0.1:99999; } }"));
    assertTrue(origin.getMessage().contains("cluster.origin"), origin.getMessage());
  }
}
