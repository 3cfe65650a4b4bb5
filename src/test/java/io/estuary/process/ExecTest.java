package io.estuary.process;

import io.estuary.config.SrsConf;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS's exec: a command per publish, its variables replaced, stopped when the stream ends. */
class ExecTest {

  @TempDir
  Path dir;

  @Test
  void runsOnPublishWithTheStreamsVariablesAndStopsOnUnpublish() throws Exception {
    JsonObject conf = IngestTest.withoutListen(SrsConf.parse("""
        vhost __defaultVhost__ {
            exec {
                enabled on;
                publish ffmpeg -i rtmp://127.0.0.1:[port]/[app]?vhost=[vhost]/[stream] -c copy -f flv -y %s/[app]-[stream]-[2006].flv 2>%s/[stream].log;
            }
        }
        """.formatted(dir, dir), "exec.conf", Path.of("."), Map.of()).copy());
    try (TestNode node = TestNode.start(conf)) {
      StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "s");
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      long pid;
      Path recording = dir.resolve("live-s-" + java.time.Year.now() + ".flv");
      try {
        node.awaitPublished("live/s");
        ChildProcess exec = Await.value(Duration.ofSeconds(15), () -> node.node.processes().of(key),
            l -> l.size() == 1 && l.get(0).pid() > 0, () -> "exec runs").get(0);
        pid = exec.pid();
        assertEquals("exec", exec.kind());
        assertEquals("rtmp://127.0.0.1:" + node.rtmpPort + "/live?vhost=__defaultVhost__/s", exec.argv().get(2));
        Await.until(Duration.ofSeconds(20), () -> size(recording) > 100_000, () -> recording + " grows");
        assertTrue(Files.exists(dir.resolve("s.log")), "stderr goes where 2> says");
      } finally {
        publisher.stop();
      }
      node.awaitUnpublished("live/s");
      Await.until(Duration.ofSeconds(15), () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          () -> "exec stops with its stream");
      assertTrue(node.node.processes().all().isEmpty());
      JsonArray streams = new JsonObject(Ffmpeg.probe(recording.toString(), "-show_streams")).getJsonArray("streams");
      assertEquals(640, Ffmpeg.stream(streams, "video").getInteger("width"), "what exec recorded plays");
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
