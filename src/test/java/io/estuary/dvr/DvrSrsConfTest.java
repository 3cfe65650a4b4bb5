package io.estuary.dvr;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The directives of SRS's shipped DVR configurations (trunk/conf/dvr.session.conf, dvr.segment.conf, dvr.path.conf,
 * dvr.mp4.conf; dvr.session.conf's doubled {@code dvr_path} included), with the port and ./objs/nginx/html changed
 * and a pid file added, start a node from the file, as the launcher does, and record a publish. dvr.mp4.conf needs
 * the real mp4.FragmentedMp4Writer.
 */
class DvrSrsConfTest {

  private static final Map<String, String> SRS = Map.of(
      "dvr.session.conf", """
          listen              1935;
          max_connections     1000;
          vhost __defaultVhost__ {
              dvr {
                  enabled      on;
                  dvr_path     dvr_path     ./objs/nginx/html/[app]/[stream].[timestamp].flv;
                  dvr_plan     session;
              }
          }
          """,
      "dvr.segment.conf", """
          listen              1935;
          max_connections     1000;
          vhost __defaultVhost__ {
              dvr {
                  enabled      on;
                  dvr_path     ./objs/nginx/html/[app]/[stream].[timestamp].flv;
                  dvr_plan     segment;
                  dvr_duration    30;
                  dvr_wait_keyframe       on;
              }
          }
          """,
      "dvr.path.conf", """
          listen              1935;
          max_connections     1000;
          daemon              off;
          srs_log_tank        console;
          vhost __defaultVhost__ {
              dvr {
                  enabled             on;
                  dvr_path            ./objs/nginx/html/[app]/[stream]/[2006]/[01]/[02]/[15].[04].[05].[999].flv;
                  dvr_plan            segment;
                  dvr_duration        30;
                  dvr_wait_keyframe   on;
              }
          }
          """,
      "dvr.mp4.conf", """
          listen              1935;
          max_connections     1000;
          daemon              off;
          srs_log_tank        console;
          vhost __defaultVhost__ {
              dvr {
                  enabled      on;
                  dvr_path     ./objs/nginx/html/[app]/[stream].[timestamp].mp4;
                  dvr_plan     session;
              }
          }
          """);

  /** The file name each configuration gives live/livestream's recording, under the html directory. */
  private static final Map<String, String> NAMES = Map.of(
      "dvr.session.conf", "live/livestream\\.\\d{13}\\.flv",
      "dvr.segment.conf", "live/livestream\\.\\d{13}\\.flv",
      "dvr.path.conf", "live/livestream/\\d{4}/\\d{2}/\\d{2}/\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{3}\\.flv",
      "dvr.mp4.conf", "live/livestream\\.\\d{13}\\.mp4");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"dvr.session.conf", "dvr.segment.conf", "dvr.path.conf", "dvr.mp4.conf"})
  void srssShippedDvrConfigurationRecords(String name) throws Exception {
    int port = TestNode.freePort();
    Path html = dir.resolve("html");
    Path conf = dir.resolve(name);
    Files.writeString(conf, SRS.get(name).replace("listen              1935;", "listen 127.0.0.1:" + port + ";")
        .replace("./objs/nginx/html", html.toString()) + "pid " + dir.resolve("srs.pid") + ";\n");
    try (TestNode node = TestNode.startFile(conf, port)) {
      Ffmpeg.Run publisher = Recordings.publish(node.rtmp("live/livestream"), 3);
      try {
        node.awaitPublished("live/livestream");
        assertTrue(publisher.waitFor(60), "the publisher sends 3 s and ends");
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/livestream");
      String extension = name.equals("dvr.mp4.conf") ? ".mp4" : ".flv";
      List<Path> files = io.estuary.testing.Await.value(java.time.Duration.ofSeconds(15),
          () -> Recordings.files(html, extension), l -> !l.isEmpty() && Recordings.files(html, ".tmp").isEmpty(),
          () -> "the recording, closed");
      assertEquals(1, files.size(), files.toString());
      String relative = html.relativize(files.get(0)).toString();
      assertTrue(relative.matches(NAMES.get(name)), relative);
      JsonObject video = Ffmpeg.stream(new JsonObject(Ffmpeg.probe(files.get(0).toString(), "-show_streams"))
          .getJsonArray("streams"), "video");
      assertEquals("h264", video.getString("codec_name"));
    }
  }
}
