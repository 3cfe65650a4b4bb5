package io.estuary.edge;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.Nginx;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An Estuary edge pulls from an nginx-rtmp origin (Debian's nginx-light with libnginx-mod-rtmp, which {@code .ci/run}
 * installs): origin-edge traffic is plain RTMP, so Estuary edges work with other servers' origins.
 */
class NginxOriginTest {

  @Test
  void anEstuaryEdgePullsFromNginxRtmp() throws Exception {
    try (Nginx nginx = Nginx.start(TestNode.freePort())) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), nginx.rtmp("live/nginx"));
      try (TestNode edge = StaticEdgeTest.node(StaticEdgeTest.edgeConf("127.0.0.1:" + nginx.port))) {
        JsonArray streams = new JsonObject(Ffmpeg.probe(edge.rtmp("live/nginx"), "-show_streams"))
            .getJsonArray("streams");
        assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
      } finally {
        publisher.stop();
      }
    }
  }
}
