package io.estuary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SrsConfEnvTest {

  private static final String FILE = """
      listen 1935;
      chunk_size 60000;
      daemon on;
      srs_log_tank file;
      http_api { enabled on; listen 1985; }
      vhost __defaultVhost__ {
          tcp_nodelay off;
          play { gop_cache on; mw_latency 350; }
      }
      vhost other.com { play { gop_cache on; } }
      """;

  private static JsonObject load(Map<String, String> env) {
    return SrsConf.parse(FILE, "x.conf", Path.of(""), env);
  }

  private static JsonObject defaultVhost(JsonObject c) {
    return c.getJsonObject("vhosts").getJsonObject(SrsConf.DEFAULT_VHOST);
  }

  @Test
  void environmentBeatsTheFile() {
    JsonObject c = load(Map.of(
        "SRS_LISTEN", "19350 127.0.0.1:19351",
        "SRS_CHUNK_SIZE", "4096",
        "SRS_DAEMON", "off",
        "SRS_VHOST_PLAY_GOP_CACHE", "off",
        "SRS_VHOST_PLAY_MW_LATENCY", "0",
        "SRS_VHOST_TCP_NODELAY", "on",
        "SRS_HTTP_API_LISTEN", "11985"));
    assertEquals(new JsonArray().add("19350").add("127.0.0.1:19351"), c.getJsonArray("listen"));
    assertEquals(4096, c.getInteger("chunk_size"));
    assertEquals(false, c.getBoolean("daemon"));
    JsonObject vhost = defaultVhost(c);
    assertEquals(true, vhost.getBoolean("tcp_nodelay"));
    assertEquals(new JsonObject().put("gop_cache", false).put("mw_latency", 0), vhost.getJsonObject("play"));
    assertEquals(new JsonObject().put("enabled", true).put("listen", new JsonArray().add("11985")),
        c.getJsonObject("http_api"));
    // Only the default vhost is overridden, as in SRS.
    assertEquals(true, c.getJsonObject("vhosts").getJsonObject("other.com").getJsonObject("play")
        .getBoolean("gop_cache"));
  }

  @Test
  void withoutEnvironmentTheFileStands() {
    JsonObject c = load(Map.of("HOME", "/root", "SRS_UNRELATED", "x", "SRS_CHUNK_SIZE", ""));
    assertEquals(60000, c.getInteger("chunk_size"));
    assertEquals(true, defaultVhost(c).getJsonObject("play").getBoolean("gop_cache"));
  }

  @Test
  void blocksAndTheDefaultVhostAreCreatedWhenTheFileHasNone() {
    JsonObject c = SrsConf.parse("listen 1935;", "x.conf", Path.of(""), Map.of(
        "SRS_RTMPS_ENABLED", "on", "SRS_RTMPS_LISTEN", "1443",
        "SRS_RTMPS_KEY", "./conf/server.key", "SRS_RTMPS_CERT", "./conf/my cert.crt",
        "SRS_HTTP_SERVER_ENABLED", "on", "SRS_HTTP_SERVER_LISTEN", "8080",
        "SRS_VHOST_IN_ACK_SIZE", "1024", "SRS_VHOST_OUT_ACK_SIZE", "2500000",
        "SRS_VHOST_CHUNK_SIZE", "128", "SRS_VHOST_MIN_LATENCY", "on"));
    assertEquals(new JsonObject().put("enabled", true).put("listen", new JsonArray().add("1443"))
        .put("key", "./conf/server.key").put("cert", "./conf/my cert.crt"), c.getJsonObject("rtmps"));
    assertEquals(new JsonObject().put("enabled", true).put("listen", new JsonArray().add("8080")),
        c.getJsonObject("http_server"));
    assertEquals(new JsonObject().put("min_latency", true).put("chunk_size", 128).put("in_ack_size", 1024)
        .put("out_ack_size", 2500000), defaultVhost(c));
  }

  @Test
  void logVariablesInBothSpellings() {
    JsonObject c = load(Map.of("SRS_LOG_TANK", "console", "SRS_SRS_LOG_LEVEL", "warn",
        "SRS_LOG_FILE", "/tmp/a.log", "SRS_SRS_LOG_FILE", "/tmp/b.log"));
    assertEquals("console", c.getString("srs_log_tank"));
    assertEquals("warn", c.getString("srs_log_level"));
    assertEquals("/tmp/b.log", c.getString("srs_log_file"), "SRS_SRS_* wins over the short alias");
  }

  @Test
  void genericDirectivesOfKnownBlocks() {
    JsonObject c = load(Map.of("SRS_VHOST_HLS_ENABLED", "on", "SRS_VHOST_HLS_HLS_FRAGMENT", "2",
        "SRS_HTTP_API_CROSSDOMAIN", "off"));
    assertEquals(new JsonObject().put("enabled", true).put("hls_fragment", 2),
        defaultVhost(c).getJsonObject("hls"));
    assertEquals(false, c.getJsonObject("http_api").getBoolean("crossdomain"));
  }

  @Test
  void badValueNamesTheVariable() {
    ConfException e = assertThrows(ConfException.class, () -> load(Map.of("SRS_CHUNK_SIZE", "12a")));
    assertEquals("env SRS_CHUNK_SIZE: '12a' is not a number", e.getMessage());
    assertEquals(ConfException.ENV, e.file());
    assertEquals(0, e.line());

    e = assertThrows(ConfException.class, () -> load(Map.of("SRS_VHOST_PLAY_GOP_CACHE", "maybe")));
    assertEquals("env SRS_VHOST_PLAY_GOP_CACHE: 'maybe' is not on|off", e.getMessage());

    e = assertThrows(ConfException.class, () -> load(Map.of("SRS_LISTEN", "1935 99999")));
    assertEquals("env SRS_LISTEN: port 99999 in '99999' is out of range 1..65535", e.getMessage());

    e = assertThrows(ConfException.class, () -> SrsConf.defaults(Map.of("SRS_VHOST_CHUNK_SIZE", "64")));
    assertEquals("env SRS_VHOST_CHUNK_SIZE: 64 is out of range 128..65536", e.getMessage());
  }

  @Test
  void theDocumentedVariablesAreKnown() {
    for (String name : new String[] {"SRS_LISTEN", "SRS_CHUNK_SIZE", "SRS_MAX_CONNECTIONS", "SRS_DAEMON",
        "SRS_PID", "SRS_SRS_LOG_TANK", "SRS_SRS_LOG_LEVEL", "SRS_SRS_LOG_FILE", "SRS_LOG_TANK",
        "SRS_LOG_LEVEL", "SRS_LOG_FILE", "SRS_VHOST_TCP_NODELAY", "SRS_VHOST_CHUNK_SIZE",
        "SRS_VHOST_IN_ACK_SIZE", "SRS_VHOST_OUT_ACK_SIZE", "SRS_VHOST_MIN_LATENCY",
        "SRS_VHOST_PUBLISH_MR", "SRS_VHOST_PUBLISH_KICKOFF_FOR_IDLE", "SRS_VHOST_PLAY_GOP_CACHE",
        "SRS_VHOST_PLAY_QUEUE_LENGTH", "SRS_VHOST_PLAY_MW_MSGS", "SRS_HTTP_API_ENABLED",
        "SRS_HTTP_API_LISTEN", "SRS_HTTP_SERVER_ENABLED", "SRS_HTTP_SERVER_LISTEN", "SRS_RTMPS_ENABLED",
        "SRS_RTMPS_LISTEN", "SRS_RTMPS_KEY", "SRS_RTMPS_CERT"}) {
      assertTrue(SrsConf.environmentVariables().contains(name), name);
    }
  }
}
