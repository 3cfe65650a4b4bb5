package io.estuary.config;

import io.estuary.config.ForwardOptions.Destination;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vhost's {@code forward} block as SRS writes it, and clear errors (with the line) where it cannot be used. */
class ForwardOptionsTest {

  private static ForwardOptions forward(String conf) {
    JsonObject json = SrsConf.read(conf, "x.conf", Path.of(""), Map.of()).config();
    return Vhosts.fromConfig(json).resolve("v").forward();
  }

  @Test
  void destinationsAsSrsWritesThem() {
    ForwardOptions forward = forward("""
        vhost v {
            forward {
                enabled on;
                destination 127.0.0.1:19350 slave.example;
                destination 10.0.0.2:1936/backup?token=abc [::1]:1937;
            }
        }
        """);
    assertTrue(forward.enabled());
    assertTrue(forward.active());
    assertNull(forward.backend());
    assertEquals(List.of(new Destination("127.0.0.1", 19350, null, ""), new Destination("slave.example", 1935, null, ""),
        new Destination("10.0.0.2", 1936, "backup", "token=abc"), new Destination("::1", 1937, null, "")),
        forward.destinations());
  }

  @Test
  void srs2SpellingIsAnEnabledForward() {
    ForwardOptions forward = forward("vhost v { forward 127.0.0.1:1936 127.0.0.1:1937; }\n");
    assertTrue(forward.enabled());
    assertEquals(2, forward.destinations().size());
  }

  @Test
  void offUnlessEnabled() {
    assertFalse(forward("vhost v { }\n").active());
    ForwardOptions disabled = forward("vhost v { forward { enabled off; destination 127.0.0.1:1936; } }\n");
    assertFalse(disabled.active());
    assertEquals(1, disabled.destinations().size());
  }

  @Test
  void aBackend() {
    ForwardOptions forward = forward("vhost v { forward { enabled on; backend http://127.0.0.1:8085/api/v1/forward; } }\n");
    assertTrue(forward.active());
    assertEquals("http://127.0.0.1:8085/api/v1/forward", forward.backend());
    assertTrue(forward.destinations().isEmpty());
  }

  @Test
  void aBadDestinationNamesItsLine() {
    ConfException e = assertThrows(ConfException.class, () -> forward("""
        vhost v {
            forward {
                enabled on;
                destination 127.0.0.1:1936 127.0.0.1:99999;
            }
        }
        """));
    assertTrue(e.getMessage().contains("x.conf:4") && e.getMessage().contains("forward.destination")
        && e.getMessage().contains("99999"), e.getMessage());
    e = assertThrows(ConfException.class, () -> forward("vhost v { forward { enabled on; destination host:1936/; } }\n"));
    assertTrue(e.getMessage().contains("no app"), e.getMessage());
  }

  @Test
  void aBackendMustBeHttp() {
    ConfException e = assertThrows(ConfException.class,
        () -> forward("vhost v { forward { enabled on; backend rtmp://127.0.0.1/live; } }\n"));
    assertTrue(e.getMessage().contains("forward.backend") && e.getMessage().contains("not an http(s) URL"),
        e.getMessage());
  }

  @Test
  void theTypedSnapshotChecksToo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ForwardOptions.fromJson(
        new JsonObject().put("enabled", true).put("destination", "nohost:port")));
    assertTrue(e.getMessage().startsWith("forward.destination: 'nohost:port'"), e.getMessage());
  }
}
