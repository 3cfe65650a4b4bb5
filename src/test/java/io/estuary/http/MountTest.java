package io.estuary.http;

import io.estuary.config.VhostConfig;
import io.estuary.stream.StreamKey;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code http_remux} mounts as SRS reads them. */
class MountTest {

  @Test
  void aVariableNamedTwiceMatchesTheSameNameTwice() {
    // A -Pfuzz finding: the second [stream] was a second group of the same name, and the mount did not compile.
    Mount mount = Mount.of(VhostConfig.defaults(), "[app]/[stream]/[stream].flv");
    assertEquals(new StreamKey(StreamKey.DEFAULT_VHOST, "live", "cam"), mount.match("/live/cam/cam.flv"));
    assertNull(mount.match("/live/cam/other.flv"));
    Mount apps = Mount.of(VhostConfig.defaults(), "[app]/[app]-[stream].ts");
    assertEquals(new StreamKey(StreamKey.DEFAULT_VHOST, "live", "cam"), apps.match("/live/live-cam.ts"));
  }

  @Test
  void aMountWithoutStreamNamesNoStream() {
    // A -Pfuzz finding: the path matched, then its stream was asked of a pattern that has none.
    assertNull(Mount.of(VhostConfig.defaults(), "live/x.flv").match("/live/x.flv"));
    // nor does one whose text looks like the regex group a [stream] becomes
    assertNull(Mount.of(VhostConfig.defaults(), "live/(?<stream>.flv").match("/live/(?<stream>.flv"));
  }
}
