package io.estuary.dvr;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reload that changes dvr_apply starts and stops the recording of a live stream, as SRS does. */
class DvrReloadTest {

  @TempDir
  Path dir;

  private void write(Path conf, int port, String apply) throws Exception {
    Files.writeString(conf, """
        listen 127.0.0.1:%d;
        pid %s;
        inotify_auto_reload off;
        vhost __defaultVhost__ { dvr { enabled on; dvr_apply %s; dvr_path %s/[app]/[stream].flv; } }
        """.formatted(port, dir.resolve("srs.pid"), apply, dir.resolve("rec")));
  }

  @Test
  void dvrApplyStartsAndStopsALiveStreamsRecording() throws Exception {
    int port = TestNode.freePort();
    Path conf = dir.resolve("dvr.conf");
    write(conf, port, "live/other");
    try (TestNode node = TestNode.startFile(conf, port)) {
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/s"));
      try {
        node.awaitFrames("live/s", 25);
        assertTrue(Recordings.files(dir, "").stream().noneMatch(p -> p.toString().contains("rec")), "not named: not recorded");
        write(conf, port, "live/s");
        node.node.reload().await(10, TimeUnit.SECONDS);
        Path tmp = dir.resolve("rec/live/s.flv.tmp");
        Await.until(Duration.ofSeconds(15), () -> Files.exists(tmp), () -> "recording starts on reload");
        node.awaitFrames("live/s", 100); // some seconds in the file
        write(conf, port, "live/other");
        node.node.reload().await(10, TimeUnit.SECONDS);
        Path file = dir.resolve("rec/live/s.flv");
        Await.until(Duration.ofSeconds(15), () -> Files.exists(file) && !Files.exists(tmp),
            () -> "recording stops on reload: the file is closed");
        assertTrue(Recordings.startsWithKeyframe(file), "a reload's recording starts at the gop cache's keyframe");
        assertTrue(publisher.isAlive(), "the publisher goes on");
      } finally {
        publisher.stop();
      }
    }
  }
}
