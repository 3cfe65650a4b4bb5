package io.estuary.config;

import io.vertx.core.json.JsonArray;
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

/** The node's settings, typed once from the normalized configuration, and refused as a whole when one is unusable. */
class NodeConfigTest {

  private static NodeConfig file(String text) {
    return NodeConfig.from(SrsConf.read(text, "x.conf", Path.of(""), Map.of()).config());
  }

  private static void assertRefused(String expected, JsonObject normalized) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> NodeConfig.from(normalized)).getMessage());
  }

  @Test
  void srsDefaults() {
    NodeConfig c = NodeConfig.from(SrsConf.defaults());
    assertEquals(List.of(new Endpoint("0.0.0.0", 1935)), c.listeners().rtmp());
    assertFalse(c.listeners().rtmps().enabled());
    assertEquals(List.of(new Listeners.KeyCert("./conf/server.key", "./conf/server.crt")),
        c.listeners().rtmps().keyCerts());
    assertFalse(c.listeners().httpServer().enabled());
    assertEquals(List.of(new Endpoint("0.0.0.0", 8080)), c.listeners().httpServer().listen());
    assertEquals("./objs/nginx/html", c.listeners().httpServer().dir());
    assertTrue(c.listeners().httpServer().crossdomain());
    assertFalse(c.listeners().httpApi().enabled());
    assertEquals(List.of(new Endpoint("0.0.0.0", 1985)), c.listeners().httpApi().listen());
    assertFalse(c.listeners().httpApi().auth().enabled());
    assertFalse(c.listeners().exporter().enabled());
    assertEquals(List.of(new Endpoint("0.0.0.0", 9972)), c.listeners().exporter().listen());
    assertEquals(NodeConfig.DEFAULT_MAX_CONNECTIONS, c.maxConnections());
    assertEquals(0, c.maxConnectionsPerIp(), "no per-IP limit unless configured");
    assertNull(c.pid());
    assertFalse(c.daemon());
    assertTrue(c.inotifyAutoReload());
    assertEquals(new NodeConfig.Quit(2300, 3200, false), c.quit(), "SRS's defaults");
    assertEquals(new NodeConfig.Log("console", "trace", "./objs/srs.log"), c.log());
    assertEquals(new JsonObject(), c.rtmpServerOptions());
  }

  @Test
  void everyNodeSettingFromAFile() {
    NodeConfig c = file("""
        listen 1935 [::1]:1936;
        max_connections 20;
        max_connections_per_ip 5;
        pid ./objs/x.pid;
        daemon on;
        inotify_auto_reload off;
        grace_start_wait 100;
        grace_final_wait 1500;
        force_grace_quit on;
        srs_log_tank file;
        srs_log_level warn;
        srs_log_file ./objs/x.log;
        rtmps { enabled on; listen 1443 127.0.0.1:1444; key a.key b.key; cert a.crt b.crt; }
        http_server { enabled on; listen 8080; dir ./www; crossdomain off; }
        http_api {
            enabled on; listen 127.0.0.1:1985 8080; crossdomain off;
            auth { enabled on; username admin; password 1234; }
        }
        exporter { enabled on; listen 9973; label cn-beijing; tag cn-edge; }
        """);
    assertEquals(List.of(new Endpoint("0.0.0.0", 1935), new Endpoint("::1", 1936)), c.listeners().rtmp());
    assertEquals(20, c.maxConnections());
    assertEquals(5, c.maxConnectionsPerIp());
    assertEquals("./objs/x.pid", c.pid());
    assertTrue(c.daemon());
    assertFalse(c.inotifyAutoReload());
    assertEquals(new NodeConfig.Quit(100, 1500, true), c.quit());
    assertEquals(new NodeConfig.Log("file", "warn", "./objs/x.log"), c.log());
    assertTrue(c.log().toFile());
    assertEquals(new Listeners.Rtmps(true, List.of(new Endpoint("0.0.0.0", 1443), new Endpoint("127.0.0.1", 1444)),
        List.of(new Listeners.KeyCert("a.key", "a.crt"), new Listeners.KeyCert("b.key", "b.crt"))), c.listeners().rtmps());
    assertEquals(new Listeners.HttpServer(true, List.of(new Endpoint("0.0.0.0", 8080)), "./www", false),
        c.listeners().httpServer());
    // A numeric password is read back as text.
    assertEquals(new Listeners.HttpApi(true, List.of(new Endpoint("127.0.0.1", 1985), new Endpoint("0.0.0.0", 8080)),
        false, new Listeners.Auth(true, "admin", "1234")), c.listeners().httpApi());
    assertEquals(new Listeners.Exporter(true, List.of(new Endpoint("0.0.0.0", 9973)), "cn-beijing", "cn-edge"),
        c.listeners().exporter());
    assertEquals(List.of(new Endpoint("0.0.0.0", 8080)), c.listeners().sharedApiEndpoints(), "the API on the HTTP server's port");
  }

  @Test
  void theApiSharesNoEndpointUnlessBothAreEnabled() {
    NodeConfig c = file("http_server { enabled off; listen 8080; }\nhttp_api { enabled on; listen 8080; }\n");
    assertEquals(List.of(), c.listeners().sharedApiEndpoints());
  }

  @Test
  void onOffAsTheConfigLayerOrAHandMadeConfigurationWritesIt() {
    JsonObject c = new JsonObject().put("exporter", new JsonObject().put("enabled", "on"))
        .put("http_api", new JsonObject().put("enabled", true).put("crossdomain", "off"));
    NodeConfig typed = NodeConfig.from(c);
    assertTrue(typed.listeners().exporter().enabled());
    assertTrue(typed.listeners().httpApi().enabled());
    assertFalse(typed.listeners().httpApi().crossdomain());
  }

  @Test
  void anUnusableValueRefusesTheWholeConfigurationNamingTheDirective() {
    assertRefused("listen: port 99999 in '1.2.3:99999' is out of range 1..65535",
        new JsonObject().put("listen", new JsonArray().add("1.2.3:99999")));
    assertRefused("http_api: listen: 'x y' is not a port, ip:port or [ipv6]:port",
        new JsonObject().put("http_api", new JsonObject().put("enabled", true).put("listen", "x y")));
    assertRefused("exporter: listen: port 70000 in '70000' is out of range 1..65535",
        new JsonObject().put("exporter", new JsonObject().put("listen", 70000)));
    assertRefused("rtmps: 2 keys for 1 certificates", new JsonObject().put("rtmps", new JsonObject()
        .put("enabled", true).put("key", new JsonArray().add("a.key").add("b.key")).put("cert", "a.crt")));
    assertRefused("http_server: enabled: 'maybe' is not on|off",
        new JsonObject().put("http_server", new JsonObject().put("enabled", "maybe")));
    assertRefused("max_connections: '0' is not a whole number >= 1", new JsonObject().put("max_connections", 0));
    assertRefused("srs_log_level: 'loud' is not trace|verbose|info|warn|error",
        new JsonObject().put("srs_log_level", "loud"));
    assertRefused("http_api: expects a block { }", new JsonObject().put("http_api", "on"));
  }

  @Test
  void keysAndCertificatesNeedNotPairWhileRtmpsIsOff() {
    NodeConfig c = NodeConfig.from(new JsonObject().put("rtmps", new JsonObject()
        .put("key", new JsonArray().add("a.key").add("b.key")).put("cert", "a.crt")));
    assertFalse(c.listeners().rtmps().enabled());
  }

  @Test
  void aBadExporterEndpointInAFileIsRefusedWhereItIsWritten() {
    ConfException e = assertThrows(ConfException.class,
        () -> file("\nexporter { enabled on; listen 1.2.3:99999; }\n"));
    assertEquals("x.conf:2: exporter.listen: port 99999 in '1.2.3:99999' is out of range 1..65535", e.getMessage());
  }

  @Test
  void theAuthPasswordStaysOutOfPrintedConfiguration() {
    assertFalse(new Listeners.Auth(true, "admin", "secret").toString().contains("secret"));
  }
}
