package io.estuary.config;

import io.estuary.stream.Jitter;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code dvr { }} block, read from SRS's .conf syntax into the typed snapshot. */
class DvrOptionsTest {

  private static final StreamKey LIVE = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "livestream");
  private static final StreamKey OTHER = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "other");

  private static DvrOptions dvr(String block) {
    JsonObject conf = SrsConf.parse("listen 1935; vhost __defaultVhost__ { dvr { " + block + " } }", "x.conf",
        Path.of(""), Map.of());
    return Vhosts.fromConfig(conf).resolve(StreamKey.DEFAULT_VHOST).dvr();
  }

  @Test
  void defaultsAreSrss() {
    DvrOptions d = VhostConfig.defaults().dvr();
    assertFalse(d.enabled());
    assertFalse(d.records(LIVE), "off unless enabled");
    assertEquals(List.of("all"), d.apply());
    assertEquals("./objs/nginx/html/[app]/[stream].[timestamp].flv", d.path());
    assertEquals(DvrOptions.Plan.SESSION, d.plan());
    assertEquals(30, d.duration());
    assertTrue(d.waitKeyframe());
    assertEquals(Jitter.Algorithm.FULL, d.timeJitter());
    assertEquals("flv", d.container());
  }

  @Test
  void readsEveryDirective() {
    DvrOptions d = dvr("enabled on; dvr_apply live/livestream live/b; dvr_path /rec/[stream].mp4; dvr_plan segment;"
        + " dvr_duration 4; dvr_wait_keyframe off; time_jitter zero;");
    assertTrue(d.records(LIVE));
    assertFalse(d.records(OTHER), "dvr_apply names app/stream");
    assertEquals(DvrOptions.Plan.SEGMENT, d.plan());
    assertEquals(4, d.duration());
    assertFalse(d.waitKeyframe());
    assertEquals(Jitter.Algorithm.ZERO, d.timeJitter());
    assertEquals("mp4", d.container(), "the extension picks the container");
    assertTrue(dvr("enabled on; dvr_apply all;").records(OTHER));
    assertTrue(dvr("enabled on; dvr_apply live/other;").records(OTHER));
  }

  @Test
  void srssOwnDoubledDvrPathRecordsToThePath() {
    // trunk/conf/dvr.session.conf writes "dvr_path dvr_path ./objs/...": the path is the last value.
    assertEquals("./objs/nginx/html/[app]/[stream].[timestamp].flv",
        dvr("enabled on; dvr_path dvr_path ./objs/nginx/html/[app]/[stream].[timestamp].flv;").path());
  }

  @Test
  void badValuesAreClearErrors() {
    ConfException plan = assertThrows(ConfException.class, () -> dvr("dvr_plan append;"));
    assertTrue(plan.getMessage().contains("dvr_plan") && plan.getMessage().contains("session|segment"), plan.getMessage());
    ConfException enabled = assertThrows(ConfException.class, () -> dvr("enabled maybe;"));
    assertTrue(enabled.getMessage().contains("on|off"), enabled.getMessage());
    IllegalArgumentException duration = assertThrows(IllegalArgumentException.class,
        () -> dvr("dvr_plan segment; dvr_duration 0;"));
    assertTrue(duration.getMessage().contains("dvr_duration must be > 0"), duration.getMessage());
    IllegalArgumentException json = assertThrows(IllegalArgumentException.class,
        () -> DvrOptions.fromJson(new JsonObject().put("dvr_plan", "append")));
    assertTrue(json.getMessage().contains("dvr_plan must be session or segment"), json.getMessage());
  }
}
