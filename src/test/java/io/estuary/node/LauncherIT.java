package io.estuary.node;

import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar, started as the README says: {@code java -jar target/estuary.jar -c FILE}. */
class LauncherIT {

  @TempDir
  Path dir;

  @Test
  void servesWithAnSrsConfAndStopsCleanlyOnSigterm() throws Exception {
    int port = TestNode.freePort();
    Path conf = write("node.conf", """
        # an SRS-style file
        listen              127.0.0.1:%d;
        max_connections     100;
        daemon              off;
        srs_log_tank        console;
        vhost __defaultVhost__ {
            play { gop_cache on; mw_latency 100; }
        }
        """.formatted(port));
    Process node = start(conf);
    Ffmpeg.Run publisher = null;
    try {
      awaitLog(node, "RTMP listening");
      publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), "rtmp://127.0.0.1:" + port + "/live/jar");
      Thread.sleep(1500);
      JsonArray streams = new JsonObject(Ffmpeg.probe("rtmp://127.0.0.1:" + port + "/live/jar", "-show_streams"))
          .getJsonArray("streams");
      assertEquals(2, streams.size(), streams.encode());

      node.destroy(); // SIGTERM
      assertTrue(node.waitFor(20, TimeUnit.SECONDS), "stops on SIGTERM");
      assertEquals(0, node.exitValue(), "exit 0 on SIGTERM: " + output(node));
      assertTrue(publisher.waitFor(10), "the publisher was disconnected");
    } finally {
      node.destroyForcibly();
      if (publisher != null) {
        publisher.stop();
      }
    }
  }

  @Test
  void malformedFileFailsTheStartWithFileAndLine() throws Exception {
    Path conf = write("bad.conf", "listen 1935;\nvhost __defaultVhost__ {\n    chunk_size 4096\n}\n");
    Process node = start(conf);
    assertTrue(node.waitFor(30, TimeUnit.SECONDS), "exits");
    assertNotEquals(0, node.exitValue());
    String out = output(node);
    assertTrue(out.contains("bad.conf:3: missing ';' after directive 'chunk_size'"), out);
  }

  @Test
  void helpListsTheOptions() throws Exception {
    Process help = new ProcessBuilder(List.of("java", "-jar", jar(), "--help")).redirectErrorStream(true).start();
    assertTrue(help.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, help.exitValue());
    String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(out.contains("-c, --conf FILE"), out);
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /** Output of each started process, by process. */
  private final Map<Process, Path> logs = new HashMap<>();

  private Process start(Path conf) throws Exception {
    Path log = dir.resolve("node-" + logs.size() + ".log");
    Process process = new ProcessBuilder(List.of("java", "-jar", jar(), "-c", conf.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    logs.put(process, log);
    return process;
  }

  private static String jar() {
    return System.getProperty("estuary.jar", "target/estuary.jar");
  }

  private String output(Process p) throws Exception {
    return Files.readString(logs.get(p));
  }

  private void awaitLog(Process p, String text) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (output(p).contains(text)) {
        return;
      }
      assertTrue(p.isAlive(), "node died: " + output(p));
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' in the log: " + output(p));
  }
}
