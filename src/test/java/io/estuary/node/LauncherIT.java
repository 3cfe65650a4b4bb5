package io.estuary.node;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.estuary.rtmp.RtmpCapabilities;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientOptions;
import io.vertx.core.Vertx;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar, started as the README says: {@code java -jar target/estuary.jar -c FILE}. */
class LauncherIT {

  @TempDir
  Path dir;

  @Test
  void servesWithAnSrsConfAndStopsCleanlyOnSigterm() throws Exception {
    int port = TestNode.freePort();
    int exporterPort = TestNode.freePort();
    Path conf = write("node.conf", """
        # an SRS-style file
        listen              127.0.0.1:%d;
        max_connections     100;
        daemon              off;
        pid                 %s;
        srs_log_tank        console;
        exporter { enabled on; listen 127.0.0.1:%d; label cn-beijing; tag cn-edge; }
        vhost __defaultVhost__ {
            play { gop_cache on; mw_latency 100; }
        }
        """.formatted(port, dir.resolve("node.pid"), exporterPort));
    Process node = start(conf);
    Ffmpeg.Run publisher = null;
    try {
      awaitLog(node, "RTMP listening");
      publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), "rtmp://127.0.0.1:" + port + "/live/jar");
      awaitPlayable(port, "jar");
      JsonArray streams = new JsonObject(Ffmpeg.probe("rtmp://127.0.0.1:" + port + "/live/jar", "-show_streams"))
          .getJsonArray("streams");
      assertEquals(2, streams.size(), streams.encode());
      String metrics = new String(new java.net.URL("http://127.0.0.1:" + exporterPort + "/metrics").openStream().readAllBytes(),
          StandardCharsets.UTF_8);
      assertTrue(metrics.contains("\nsrs_streams 1\n"), metrics);
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "the launcher enabled JVM metrics for the exporter");

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
  void sigtermAsksAPublisherThatAnnouncedReconnectToMove() throws Exception {
    int port = TestNode.freePort();
    Path conf = write("reconnect.conf", """
        listen 127.0.0.1:%d;
        daemon off;
        pid %s;
        srs_log_tank console;
        """.formatted(port, dir.resolve("reconnect.pid")));
    Process node = start(conf);
    Vertx vertx = Vertx.vertx();
    try {
      awaitLog(node, "RTMP listening");
      String tcUrl = "rtmp://127.0.0.1:" + port + "/live";
      CompletableFuture<String> asked = new CompletableFuture<>();
      RtmpClient.create(vertx, new RtmpClientOptions().setCapsEx(RtmpCapabilities.CAPS_EX_RECONNECT))
          .connect(tcUrl)
          .compose(session -> {
            session.reconnectHandler(asked::complete);
            return session.publish("moving");
          }).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      awaitLog(node, "publish __defaultVhost__/live/moving");

      node.destroy(); // SIGTERM
      assertEquals(tcUrl, asked.get(20, TimeUnit.SECONDS),
          "an Enhanced RTMP publisher that announced Reconnect is asked to move, to the URL it connected to");
      assertTrue(node.waitFor(30, TimeUnit.SECONDS), "then the node stops");
      assertEquals(0, node.exitValue(), output(node));
      assertTrue(output(node).contains("asked to reconnect"), output(node));
    } finally {
      node.destroyForcibly();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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

  @Test
  void sighupReloadsWithoutDroppingThePlayer() throws Exception {
    int port = TestNode.freePort();
    Path conf = write("hup.conf", """
        listen 127.0.0.1:%d;
        daemon off;
        pid %s;
        vhost __defaultVhost__ { play { mw_latency 100; } }
        """.formatted(port, dir.resolve("hup.pid")));
    Process node = start(conf);
    Ffmpeg.Run publisher = null;
    Ffmpeg.Run player = null;
    try {
      awaitLog(node, "RTMP listening");
      publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), "rtmp://127.0.0.1:" + port + "/live/hup");
      awaitPlayable(port, "hup");
      Ffmpeg.Run playing = Ffmpeg.play("rtmp://127.0.0.1:" + port + "/live/hup", 0);
      player = playing;
      Await.until(Duration.ofSeconds(20), () -> playing.frames() > 0, () -> "the player decodes: " + playing.stderr());
      long before = player.frames();
      assertEquals(0, new ProcessBuilder("kill", "-HUP", String.valueOf(node.pid())).start().waitFor());
      awaitLog(node, "reload: configuration applied");
      assertTrue(node.isAlive(), "SIGHUP does not stop the node");
      Await.until(Duration.ofSeconds(20), () -> playing.frames() > before + 25,
          () -> "the player keeps decoding: " + before + " then " + playing.frames() + ": " + playing.stderr());
      assertTrue(player.isAlive(), "the player stays connected: " + player.stderr());
    } finally {
      node.destroy();
      node.waitFor(20, TimeUnit.SECONDS);
      if (publisher != null) {
        publisher.stop();
      }
      if (player != null) {
        player.stop();
      }
    }
  }

  @Test
  void srsListenFromTheEnvironmentBeatsTheFile() throws Exception {
    int filePort = TestNode.freePort();
    int envPort = TestNode.freePort();
    Path conf = write("env.conf", "listen 127.0.0.1:%d;\ndaemon off;\npid %s;\n".formatted(filePort, dir.resolve("env.pid")));
    Process node = start(conf, Map.of("SRS_LISTEN", "127.0.0.1:" + envPort));
    try {
      awaitLog(node, "RTMP listening");
      TestRtmpClient.connect(envPort, "live").close();
      // The node says where it listens (a connect to the file's port could reach another process of this machine).
      String log = output(node);
      assertTrue(log.contains("RTMP listening on [127.0.0.1:" + envPort + "]"), log);
      assertFalse(log.contains(":" + filePort + "]"), "the file's port is not used: " + log);
    } finally {
      node.destroy();
      node.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSecondInstanceWithTheSamePidFileRefusesToStart() throws Exception {
    Path pid = dir.resolve("same.pid");
    Process first = start(write("a.conf", "listen 127.0.0.1:%d;\ndaemon off;\npid %s;\n".formatted(TestNode.freePort(), pid)));
    try {
      awaitLog(first, "RTMP listening");
      assertEquals(String.valueOf(first.pid()), Files.readString(pid).trim(), "the pid file holds the pid");
      Process second = start(write("b.conf", "listen 127.0.0.1:%d;\ndaemon off;\npid %s;\n".formatted(TestNode.freePort(), pid)));
      assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second instance exits");
      assertNotEquals(0, second.exitValue());
      assertTrue(output(second).contains("is locked by a running instance (pid " + first.pid() + ")"), output(second));
      assertTrue(first.isAlive());
    } finally {
      first.destroy();
      first.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void daemonOnDetachesAndLogsToTheFile() throws Exception {
    int port = TestNode.freePort();
    Path pid = dir.resolve("daemon.pid");
    Path log = dir.resolve("logs/srs.log");
    Process launcher = start(write("daemon.conf", """
        listen 127.0.0.1:%d;
        daemon on;
        pid %s;
        srs_log_tank file;
        srs_log_file %s;
        """.formatted(port, pid, log)));
    ProcessHandle daemon = null;
    try {
      assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher returns");
      assertEquals(0, launcher.exitValue(), output(launcher));
      Await.until(Duration.ofSeconds(15), () -> hasContent(pid), () -> "the daemon writes its pid file " + pid);
      daemon = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).orElseThrow();
      assertTrue(output(launcher).contains("running as a daemon, pid " + daemon.pid()), output(launcher));
      // The pid file is written before the listeners start: wait for the daemon to accept RTMP.
      Await.until(Duration.ofSeconds(15), () -> {
        try {
          TestRtmpClient.connect(port, "live").close();
          return true;
        } catch (Exception | AssertionError e) { // connect fails with an AssertionError while nothing listens yet
          return false;
        }
      }, () -> "the daemon accepts RTMP on " + port);
      assertTrue(Files.readString(log).contains("RTMP listening"), "srs_log_file has the log");
    } finally {
      if (daemon != null) {
        daemon.destroy();
        daemon.onExit().get(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theLauncherChoosesHeapSettingsUnlessTheCommandLineDid() throws Exception {
    Process plain = start(write("jvm-a.conf", "listen 127.0.0.1:%d;\ndaemon off;\npid %s;\n"
        .formatted(TestNode.freePort(), dir.resolve("jvm-a.pid"))));
    Process user = start(List.of("-XX:MaxHeapFreeRatio=50"), write("jvm-b.conf", "listen 127.0.0.1:%d;\ndaemon off;\npid %s;\n"
        .formatted(TestNode.freePort(), dir.resolve("jvm-b.pid"))), Map.of());
    try {
      awaitLog(plain, "RTMP listening");
      awaitLog(user, "RTMP listening");
      assertTrue(output(plain).contains(
          "JVM settings: launcher defaults MinHeapFreeRatio=10 MaxHeapFreeRatio=20 G1PeriodicGCInterval=60000"), output(plain));
      assertTrue(output(user).contains("JVM settings: launcher defaults MinHeapFreeRatio=10 G1PeriodicGCInterval=60000; "
          + "from the command line MaxHeapFreeRatio=50"), output(user));
      // What the running JVMs say, with where each value came from
      String flags = vmFlags(plain);
      assertTrue(flags.matches("(?s).*MinHeapFreeRatio += 10 +\\{manageable\\} \\{management\\}.*"), flags);
      assertTrue(flags.matches("(?s).*MaxHeapFreeRatio += 20 +\\{manageable\\} \\{management\\}.*"), flags);
      assertTrue(flags.matches("(?s).*G1PeriodicGCInterval += 60000 +\\{manageable\\} \\{management\\}.*"), flags);
      flags = vmFlags(user);
      assertTrue(flags.matches("(?s).*MaxHeapFreeRatio += 50 +\\{manageable\\} \\{command line\\}.*"), flags);
      assertTrue(flags.matches("(?s).*MinHeapFreeRatio += 10 +\\{manageable\\} \\{management\\}.*"), flags);
    } finally {
      for (Process node : List.of(plain, user)) {
        node.destroy();
        node.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** {@code jcmd PID VM.flags -all}: every flag of a running JVM, with its value and origin. */
  private static String vmFlags(Process node) throws Exception {
    Process jcmd = new ProcessBuilder("jcmd", String.valueOf(node.pid()), "VM.flags", "-all").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS));
    return out;
  }

  @Test
  void twoNodesWithClusterJoinOneHazelcastCluster() throws Exception {
    List<Process> nodes = new java.util.ArrayList<>();
    try {
      for (String name : List.of("a", "b")) {
        Path conf = write("cluster-" + name + ".conf", "listen 127.0.0.1:%d;\ndaemon off;\npid %s;\n"
            .formatted(TestNode.freePort(), dir.resolve("cluster-" + name + ".pid")));
        nodes.add(start(conf, Map.of(), "--cluster"));
      }
      for (Process node : nodes) {
        awaitLog(node, "RTMP listening");
        awaitLog(node, "Members {size:2");
      }
    } finally {
      for (Process node : nodes) {
        node.destroy();
        node.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /** Output of each started process, by process. */
  private final Map<Process, Path> logs = new HashMap<>();

  private Process start(Path conf) throws Exception {
    return start(conf, Map.of());
  }

  private Process start(Path conf, Map<String, String> env, String... more) throws Exception {
    return start(List.of(), conf, env, more);
  }

  private Process start(List<String> jvmOptions, Path conf, Map<String, String> env, String... more) throws Exception {
    Path log = dir.resolve("node-" + logs.size() + ".log");
    List<String> command = new java.util.ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar(), "-c", conf.toString()));
    command.addAll(List.of(more));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
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
    Await.until(Duration.ofSeconds(45), () -> {
      String output = outputUnchecked(p);
      assertTrue(output.contains(text) || p.isAlive(), "node died: " + output);
      return output.contains(text);
    }, () -> "'" + text + "' in the log: " + outputUnchecked(p));
  }

  private String outputUnchecked(Process p) {
    try {
      return output(p);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean hasContent(Path file) {
    try {
      return Files.exists(file) && !Files.readString(file).isBlank();
    } catch (java.io.IOException e) {
      return false; // being written
    }
  }

  /** Waits until a new RTMP player of {@code live/stream} on {@code port} receives media. */
  private static void awaitPlayable(int port, String stream) throws InterruptedException {
    Await.until(Duration.ofSeconds(20), () -> {
      try (TestRtmpClient player = TestRtmpClient.connect(port, "live").play(stream)) {
        return player.nextMedia(2) != null;
      } catch (Exception e) {
        return false;
      }
    }, () -> "live/" + stream + " plays");
  }
}
