package io.estuary.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class SrsConfTest {

  private static SrsConf.Result read(String text) {
    return SrsConf.read(text, "x.conf", Path.of(""), Map.of());
  }

  private static JsonObject parse(String text) {
    return read(text).config();
  }

  private static void assertError(String expected, String text) {
    ConfException e = assertThrows(ConfException.class, () -> parse(text));
    assertEquals(expected, e.getMessage());
  }

  private static JsonArray strings(String... s) {
    return new JsonArray(List.of((Object[]) s));
  }

  @Test
  void everyTypedDirective() {
    SrsConf.Result r = SrsConf.read(Path.of("src/test/resources/conf/typed.conf"), Map.of());
    assertEquals(List.of(), r.warnings());
    JsonObject expected = new JsonObject()
        .put("listen", strings("1935", "127.0.0.1:1936", "[::1]:1937"))
        .put("chunk_size", 60000)
        .put("max_connections", 1000)
        .put("daemon", false)
        .put("pid", "./objs/srs.pid")
        .put("srs_log_tank", "console")
        .put("srs_log_level", "trace")
        .put("srs_log_file", "./objs/srs.log")
        .put("vhosts", new JsonObject()
            .put("__defaultVhost__", new JsonObject()
                .put("enabled", true).put("min_latency", false).put("tcp_nodelay", false)
                .put("chunk_size", 4096).put("in_ack_size", 0).put("out_ack_size", 2500000)
                .put("publish", new JsonObject()
                    .put("mr", false).put("mr_latency", 350).put("firstpkt_timeout", 20000)
                    .put("normal_timeout", 5000).put("parse_sps", true).put("try_annexb_first", true)
                    .put("kickoff_for_idle", 0))
                .put("play", new JsonObject()
                    .put("gop_cache", true).put("gop_cache_max_frames", 2500).put("queue_length", 30)
                    .put("time_jitter", "full").put("atc", false).put("atc_auto", false)
                    .put("mix_correct", false).put("mw_latency", 350).put("mw_msgs", 8)
                    .put("send_min_interval", 0).put("reduce_sequence_header", false)))
            .put("other.vhost.com", new JsonObject()
                .put("enabled", true).put("min_latency", true).put("tcp_nodelay", true)
                .put("play", new JsonObject()
                    .put("queue_length", 2.5).put("time_jitter", "zero").put("send_min_interval", 10.5)
                    .put("mw_latency", 0))));
    assertEquals(expected.encodePrettily(), r.config().encodePrettily());
    // JSON types, not just values: ints are ints, fractions doubles.
    JsonObject play = r.config().getJsonObject("vhosts").getJsonObject("other.vhost.com").getJsonObject("play");
    assertTrue(play.getValue("queue_length") instanceof Double);
    assertTrue(r.config().getValue("chunk_size") instanceof Integer);
  }

  @Test
  void includedFilesLoadTheSame() {
    SrsConf.Result r = SrsConf.read(Path.of("src/test/resources/conf/include/main.conf"), Map.of());
    assertEquals(List.of(), r.warnings());
    assertEquals(new JsonObject()
        .put("listen", strings("1935"))
        .put("chunk_size", 4096)
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("tcp_nodelay", true)
            .put("play", new JsonObject().put("gop_cache", false).put("mw_latency", 100))
            .put("out_ack_size", 1000000))), r.config());
  }

  @Test
  void listenIsAlwaysAnArray() {
    assertEquals(strings("1935"), parse("chunk_size 4096;").getJsonArray("listen"));
    assertEquals(strings("1936"), parse("listen 1936;").getJsonArray("listen"));
    assertEquals(strings("1935", "127.0.0.1:1936", "[::1]:1937", "0.0.0.0:1938"),
        parse("listen 1935 127.0.0.1:1936 [::1]:1937 0.0.0.0:1938;").getJsonArray("listen"));
    assertEquals(new JsonObject(), parse("").getJsonObject("vhosts"));
  }

  @Test
  void badListen() {
    assertError("x.conf:1: listen: port 70000 in '70000' is out of range 1..65535", "listen 70000;");
    assertError("x.conf:1: listen: port 0 in '1.2.3.4:0' is out of range 1..65535", "listen 1.2.3.4:0;");
    assertError("x.conf:2: listen: 'abc' is not a port, ip:port or [ipv6]:port", "\nlisten 1935 abc;");
    assertError("x.conf:1: listen: '::1:1935' is not a port, ip:port or [ipv6]:port", "listen ::1:1935;");
    assertError("x.conf:1: listen: '300.1.1.1:1935' is not a port, ip:port or [ipv6]:port",
        "listen 300.1.1.1:1935;");
    assertError("x.conf:1: listen: expects at least one port, ip:port or [ipv6]:port", "listen;");
  }

  @Test
  void namedVhosts() {
    JsonObject vhosts = parse("""
        vhost __defaultVhost__ { }
        vhost a.example.com { tcp_nodelay on; }
        vhost "b.example.com" { chunk_size 128; }
        """).getJsonObject("vhosts");
    assertEquals(List.of("__defaultVhost__", "a.example.com", "b.example.com"), List.copyOf(vhosts.fieldNames()));
    assertEquals(new JsonObject(), vhosts.getJsonObject("__defaultVhost__"));
    assertEquals(true, vhosts.getJsonObject("a.example.com").getBoolean("tcp_nodelay"));
    assertEquals(128, vhosts.getJsonObject("b.example.com").getInteger("chunk_size"));
  }

  @Test
  void duplicateVhost() {
    assertError("x.conf:3: duplicate vhost 'a', first defined at x.conf:1", "vhost a {\n}\nvhost a { }");
    assertError("x.conf:1: vhost expects one name, got 0", "vhost { }");
    assertError("x.conf:1: vhost 'a' expects a block { ... }", "vhost a;");
  }

  @Test
  void genericBlocks() {
    JsonObject c = parse("""
        http_api { enabled on; listen 1985; crossdomain on; auth { enabled off; username admin; } }
        http_server { enabled on; listen 8080; dir ./objs/nginx/html; }
        rtmps { enabled off; listen 1443; key ./conf/server.key; cert ./conf/server.crt; }
        heartbeat { enabled off; interval 9.3; url http://127.0.0.1:8085/api/v1/servers; device_id "my-srs-device"; }
        stats { network 0; disk sda sdb; }
        stream_caster { enabled off; caster mpegts_over_udp; listen 8935; }
        stream_caster { enabled off; caster rtsp; listen 554; }
        vhost __defaultVhost__ {
            http_hooks {
                enabled on;
                on_publish http://127.0.0.1:8085/api/v1/streams;
                on_publish http://localhost:8085/api/v1/streams;
                on_play http://127.0.0.1:8085/api/v1/sessions http://127.0.0.1:8086/api/v1/sessions;
            }
            security {
                enabled on;
                deny publish 1.2.3.4;
                allow play all;
                allow publish 10.0.0.0/8;
            }
            hls { enabled on; hls_fragment 10; hls_td_ratio 1.5; hls_m3u8_file [app]/[stream].m3u8; }
            ingest livestream { enabled on; input { type file; url ./doc/source.flv; } }
        }
        """);
    assertEquals(new JsonObject().put("enabled", true).put("listen", strings("1985")).put("crossdomain", true)
        .put("auth", new JsonObject().put("enabled", false).put("username", "admin")), c.getJsonObject("http_api"));
    assertEquals(new JsonObject().put("enabled", true).put("listen", strings("8080")).put("dir", "./objs/nginx/html"),
        c.getJsonObject("http_server"));
    assertEquals(new JsonObject().put("enabled", false).put("listen", strings("1443"))
        .put("key", "./conf/server.key").put("cert", "./conf/server.crt"), c.getJsonObject("rtmps"));
    assertEquals(9.3, c.getJsonObject("heartbeat").getDouble("interval"));
    assertEquals("my-srs-device", c.getJsonObject("heartbeat").getString("device_id"));
    assertEquals(strings("sda", "sdb"), c.getJsonObject("stats").getJsonArray("disk"));
    JsonArray casters = c.getJsonArray("stream_caster");
    assertEquals(2, casters.size());
    assertEquals("rtsp", casters.getJsonObject(1).getString("caster"));
    assertEquals(554, casters.getJsonObject(1).getInteger("listen"));

    JsonObject vhost = c.getJsonObject("vhosts").getJsonObject("__defaultVhost__");
    assertEquals(new JsonObject()
        .put("enabled", true)
        .put("on_publish", strings("http://127.0.0.1:8085/api/v1/streams", "http://localhost:8085/api/v1/streams"))
        .put("on_play", strings("http://127.0.0.1:8085/api/v1/sessions", "http://127.0.0.1:8086/api/v1/sessions")),
        vhost.getJsonObject("http_hooks"));
    assertEquals(new JsonObject()
        .put("enabled", true)
        .put("deny", strings("publish", "1.2.3.4"))
        .put("allow", new JsonArray().add(strings("play", "all")).add(strings("publish", "10.0.0.0/8"))),
        vhost.getJsonObject("security"));
    assertEquals(new JsonObject().put("enabled", true).put("hls_fragment", 10).put("hls_td_ratio", 1.5)
        .put("hls_m3u8_file", "[app]/[stream].m3u8"), vhost.getJsonObject("hls"));
    assertEquals(new JsonObject().put(SrsConf.ARGS, strings("livestream")).put("enabled", true)
        .put("input", new JsonObject().put("type", "file").put("url", "./doc/source.flv")),
        vhost.getJsonObject("ingest"));
  }

  @Test
  void unknownDirectiveIsOneWarningAndTheRestLoads() {
    List<String> logged = new ArrayList<>();
    Logger log = Logger.getLogger("io.estuary.config");
    Handler h = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel() == Level.WARNING) {
          logged.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    log.addHandler(h);
    try {
      SrsConf.Result r = read("""
          listen 1935;
          chunk_size 4096;
          foo bar { baz 1; }
          vhost __defaultVhost__ {
              tcp_nodelay on;
              play { gop_cache off; }
          }
          """);
      assertEquals(List.of("x.conf:3: unknown directive 'foo', ignored"), r.warnings());
      assertEquals(r.warnings(), logged);
      assertFalse(r.config().containsKey("foo"));
      assertEquals(4096, r.config().getInteger("chunk_size"));
      assertEquals(false, r.config().getJsonObject("vhosts").getJsonObject("__defaultVhost__")
          .getJsonObject("play").getBoolean("gop_cache"));
    } finally {
      log.removeHandler(h);
    }
  }

  @Test
  void unknownInsideKnownBlocks() {
    SrsConf.Result r = read("vhost v {\n  play {\n    gop_cach on;\n  }\n  hls { hls_fragmen 10; }\n}\n");
    assertEquals(List.of("x.conf:3: unknown directive 'gop_cach', ignored",
        "x.conf:5: unknown directive 'hls_fragmen', ignored"), r.warnings());
    assertEquals(new JsonObject().put("play", new JsonObject()).put("hls", new JsonObject()),
        r.config().getJsonObject("vhosts").getJsonObject("v"));
  }

  @Test
  void repeatedTypedDirectiveKeepsTheFirstAsSrsDoes() {
    SrsConf.Result r = read("chunk_size 4096;\nchunk_size 8192;\n");
    assertEquals(4096, r.config().getInteger("chunk_size"));
    assertEquals(List.of("x.conf:2: duplicate directive 'chunk_size' ignored, the first one at x.conf:1 applies"),
        r.warnings());
  }

  @Test
  void wrongTypes() {
    assertError("x.conf:4: chunk_size: '12a' is not a number", "\n\n\nchunk_size 12a;");
    assertError("x.conf:1: chunk_size: 100 is out of range 128..65536", "chunk_size 100;");
    assertError("x.conf:1: chunk_size: 70000 is out of range 128..65536", "chunk_size 70000;");
    assertError("x.conf:1: chunk_size: '1.5' is not a whole number", "chunk_size 1.5;");
    assertError("x.conf:1: chunk_size: expects 1 value, got 2", "chunk_size 128 256;");
    assertError("x.conf:1: max_connections: 0 is out of range 1..2147483647", "max_connections 0;");
    assertError("x.conf:2: max_connections_per_ip: -1 is out of range 0..2147483647", "\nmax_connections_per_ip -1;");
    assertError("x.conf:1: daemon: 'maybe' is not on|off", "daemon maybe;");
    assertError("x.conf:1: srs_log_tank: 'syslog' is not console|file", "srs_log_tank syslog;");
    assertError("x.conf:1: srs_log_level: 'debug' is not trace|verbose|info|warn|error", "srs_log_level debug;");
    assertError("x.conf:1: pid: expects a value", "pid;");
    assertError("x.conf:5: play.gop_cache: 'maybe' is not on|off",
        "vhost v {\n  chunk_size 4096;\n\n  play {\n    gop_cache maybe;\n  }\n}");
    assertError("x.conf:1: play.time_jitter: 'some' is not full|zero|off", "vhost v { play { time_jitter some; } }");
    assertError("x.conf:1: play.queue_length: 'x' is not a number", "vhost v { play { queue_length x; } }");
    assertError("x.conf:1: play.queue_length: -1 is out of range, must be >= 0",
        "vhost v { play { queue_length -1; } }");
    assertError("x.conf:1: play.mw_latency: -5 is out of range (must be >= 0)", "vhost v { play { mw_latency -5; } }");
    assertError("x.conf:1: publish.mr_latency: '3.5' is not a whole number", "vhost v { publish { mr_latency 3.5; } }");
    assertError("x.conf:1: in_ack_size: -1 is out of range (must be >= 0)", "vhost v { in_ack_size -1; }");
    assertError("x.conf:1: play: expects a block { ... }", "vhost v { play on; }");
    assertError("x.conf:1: tcp_nodelay: expects a value, not a block", "vhost v { tcp_nodelay { } }");
    assertError("x.conf:1: http_api.listen: 'x' is not a port, ip:port or [ipv6]:port", "http_api { listen x; }");
  }

  @Test
  void booleanSpellings() {
    JsonObject v = parse("vhost v { tcp_nodelay yes; min_latency FALSE; play { atc true; gop_cache no; } }")
        .getJsonObject("vhosts").getJsonObject("v");
    assertEquals(true, v.getBoolean("tcp_nodelay"));
    assertEquals(false, v.getBoolean("min_latency"));
    assertEquals(new JsonObject().put("atc", true).put("gop_cache", false), v.getJsonObject("play"));
  }

  @Test
  void fullConfIsRejected() {
    assertError("x.conf:3: this is SRS's full.conf reference, not a runnable config",
        "listen 1935;\nvhost __defaultVhost__ { }\nis_full on;\n");
    assertEquals(strings("1935"), parse("is_full off;").getJsonArray("listen"));
  }

  @Test
  void olderSrsSpellingsAreReadWhereSrsReadsThemNow() {
    SrsConf.Result r = read("""
        http_stream { enabled on; listen 8080; }
        rtmp { listen 1936; chunk_size 4096; }
        vhost v {
            gop_cache off;
            queue_length 10;
            mw_latency 100;
            mr { enabled on; latency 300; }
            publish_1stpkt_timeout 1000;
            mode remote;
            origin 127.0.0.1:1935 localhost:1935;
            forward 127.0.0.1:19350;
            refer github.com;
            play { mw_msgs 4; }
        }
        """);
    assertEquals(List.of(), r.warnings());
    JsonObject c = r.config();
    assertEquals(new JsonObject().put("enabled", true).put("listen", strings("8080")), c.getJsonObject("http_server"));
    assertEquals(strings("1936"), c.getJsonArray("listen"));
    assertEquals(4096, c.getInteger("chunk_size"));
    JsonObject v = c.getJsonObject("vhosts").getJsonObject("v");
    assertEquals(new JsonObject().put("gop_cache", false).put("queue_length", 10).put("mw_latency", 100)
        .put("mw_msgs", 4), v.getJsonObject("play"));
    assertEquals(new JsonObject().put("mr", true).put("mr_latency", 300).put("firstpkt_timeout", 1000),
        v.getJsonObject("publish"));
    assertEquals(new JsonObject().put("mode", "remote").put("origin", strings("127.0.0.1:1935", "localhost:1935")),
        v.getJsonObject("cluster"));
    assertEquals(new JsonObject().put("enabled", true).put("destination", "127.0.0.1:19350"), v.getJsonObject("forward"));
    assertEquals(new JsonObject().put("enabled", true).put("all", "github.com"), v.getJsonObject("refer"));
  }

  @Test
  void defaultsAreWhatRunsWithoutAFile() {
    JsonObject d = SrsConf.defaults();
    assertEquals(strings("1935"), d.getJsonArray("listen"));
    assertEquals(false, d.getBoolean("daemon"));
    assertEquals("console", d.getString("srs_log_tank"));
    assertEquals(new JsonObject(), d.getJsonObject("vhosts").getJsonObject("__defaultVhost__"));
    assertEquals(strings("19350"), SrsConf.defaults(Map.of("SRS_LISTEN", "19350")).getJsonArray("listen"));
  }

  @Test
  void shippedConfsLoadWithoutWarnings() {
    SrsConf.Result srs = SrsConf.read(Path.of("conf/srs.conf"), Map.of());
    assertEquals(List.of(), srs.warnings());
    JsonObject c = srs.config();
    assertEquals(strings("1935"), c.getJsonArray("listen"));
    assertEquals(false, c.getBoolean("daemon"));
    assertEquals("console", c.getString("srs_log_tank"));
    assertEquals(new JsonObject().put("enabled", true).put("listen", strings("1985")), c.getJsonObject("http_api"));
    assertEquals(strings("8080"), c.getJsonObject("http_server").getJsonArray("listen"));
    JsonObject vhost = c.getJsonObject("vhosts").getJsonObject("__defaultVhost__");
    assertEquals("[vhost]/[app]/[stream].flv", vhost.getJsonObject("http_remux").getString("mount"));
    assertEquals(true, vhost.getJsonObject("hls").getBoolean("enabled"));

    SrsConf.Result rtmp = SrsConf.read(Path.of("conf/rtmp.conf"), Map.of());
    assertEquals(List.of(), rtmp.warnings());
    assertEquals(new JsonObject().put("listen", strings("1935")).put("max_connections", 1000).put("daemon", false)
        .put("srs_log_tank", "console").put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject())),
        rtmp.config());
  }
}
