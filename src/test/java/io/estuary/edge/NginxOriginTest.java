package io.estuary.edge;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An Estuary edge pulls from an nginx-rtmp origin (Debian's nginx-light with libnginx-mod-rtmp, which {@code .ci/run}
 * installs): origin-edge traffic is plain RTMP, so Estuary edges work with other servers' origins.
 */
class NginxOriginTest {

  static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

  @Test
  void anEstuaryEdgePullsFromNginxRtmp() throws Exception {
    int port = TestNode.freePort();
    Path prefix = Files.createDirectories(Path.of("target", "nginx-origin-" + port).toAbsolutePath());
    Files.createDirectories(prefix.resolve("logs"));
    Files.writeString(prefix.resolve("nginx.conf"), """
        load_module %s;
        worker_processes 1;
        pid %s/nginx.pid;
        error_log %s/logs/error.log warn;
        events { worker_connections 256; }
        rtmp {
            server {
                listen 127.0.0.1:%d;
                application live { live on; }
            }
        }
        """.formatted(MODULE, prefix, prefix, port));
    Process nginx = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
        "-e", prefix.resolve("logs/error.log").toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
    Ffmpeg.Run publisher = null;
    try {
      Await.until(Duration.ofSeconds(10), () -> listening(port), () -> "nginx listens on " + port);
      publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), "rtmp://127.0.0.1:" + port + "/live/nginx");
      try (TestNode edge = StaticEdgeTest.node(StaticEdgeTest.edgeConf("127.0.0.1:" + port))) {
        JsonArray streams = new JsonObject(Ffmpeg.probe(edge.rtmp("live/nginx"), "-show_streams"))
            .getJsonArray("streams");
        assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
        assertEquals("aac", Ffmpeg.stream(streams, "audio").getString("codec_name"));
      }
    } finally {
      if (publisher != null) {
        publisher.stop();
      }
      nginx.destroy();
      nginx.waitFor();
    }
  }

  private static boolean listening(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
