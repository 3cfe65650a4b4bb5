package io.estuary.process;

import io.estuary.config.SrsConf;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRS's ingest: ffmpeg started with the node publishes a file into a stream, and is restarted when it dies. */
class IngestTest {

  private static final StreamKey KEY = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "livestream");

  static JsonObject conf(Path media) {
    return SrsConf.parse("""
        vhost __defaultVhost__ {
            ingest livestream {
                enabled on;
                input { type file; url %s; }
                ffmpeg ffmpeg;
                engine { enabled off; output rtmp://127.0.0.1:[port]/live?vhost=[vhost]/livestream; }
            }
        }
        """.formatted(media), "ingest.conf", Path.of("."), Map.of()).copy();
  }

  @Test
  void aFileIsIngestedPlayedAndItsFfmpegRestartedWhenKilled() throws Exception {
    try (TestNode node = TestNode.start(withoutListen(conf(Ffmpeg.media("h264-aac-640x360.flv"))))) {
      node.awaitPublished("live/livestream");
      ChildProcess ingest = single(node);
      assertEquals("ingest", ingest.kind());
      assertTrue(ingest.argv().containsAll(List.of("-re", "-vcodec", "copy", "-acodec", "copy")), ingest.argv().toString());
      assertEquals(List.of(ingest.toJson()), node.node.processes().describe(KEY), "the API shows the stream's ingest");

      Ffmpeg.Run player = Ffmpeg.play(node.rtmp("live/livestream"), 6);
      Ffmpeg.assertDecoded(List.of(player), 6);

      long first = ingest.pid();
      String firstPublisher = node.node.hub().get(KEY).publisherId();
      assertTrue(ProcessHandle.of(first).orElseThrow().destroyForcibly(), "the test kills ingest's ffmpeg");
      long second = Await.value(Duration.ofSeconds(30), ingest::pid, pid -> pid > 0 && pid != first,
          () -> "a new ffmpeg after the first was killed");
      Await.until(Duration.ofSeconds(30), () -> {
        Source source = node.node.hub().get(KEY);
        return source != null && source.isPublishing() && !firstPublisher.equals(source.publisherId());
      }, () -> "the new ffmpeg publishes live/livestream again");
      assertEquals(2, ingest.starts());
      assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));

      node.close();
      assertFalse(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false), "stopping the node stops ffmpeg");
    }
  }

  /** A parsed file always listens somewhere (1935 by default): the test node picks a free port instead. */
  static JsonObject withoutListen(JsonObject conf) {
    conf.remove("listen");
    return conf;
  }

  private static ChildProcess single(TestNode node) throws InterruptedException {
    return Await.value(Duration.ofSeconds(15), () -> node.node.processes().all(), l -> l.size() == 1 && l.get(0).pid() > 0,
        () -> "one running ingest").get(0);
  }
}
