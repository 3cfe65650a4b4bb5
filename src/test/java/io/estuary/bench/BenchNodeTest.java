package io.estuary.bench;

import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.LogCapture;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench against a whole node: it publishes, its players play, and it counts what they got. */
class BenchNodeTest {

  /** h264-aac-640x360.flv: 25 fps video, about 622 kbps in all (see the media README). */
  private static final double FPS = 25;
  private static final double FILE_KBPS = 622;

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/www"))
        .put("vhosts", new JsonObject().put("__defaultVhost__",
            new JsonObject().put("http_remux", new JsonObject().put("enabled", true)))));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static BenchOptions options(String url, int players) {
    return new BenchOptions().url(url).publishUrl(node.rtmp("live/" + url.replaceAll(".*/|\\.flv$", "")))
        .players(players).publishers(1).file(Ffmpeg.media("h264-aac-640x360.flv")).ramp(50).duration(6)
        .threads(2);
  }

  @Test
  void rtmpPlayersReceiveWhatIsPublished() throws Exception {
    BenchResult result = Bench.run(options(node.rtmp("live/bench-rtmp"), 5), quiet());
    assertPlayersGotTheStream(result, 5);
  }

  @Test
  void httpFlvPlayersReceiveWhatIsPublished() throws Exception {
    BenchResult result = Bench.run(options(node.http("live/bench-http.flv"), 3), quiet());
    assertPlayersGotTheStream(result, 3);
  }

  private static void assertPlayersGotTheStream(BenchResult result, int players) {
    assertTrue(result.ok(), result.describe());
    assertEquals(players, result.connected(), result.describe());
    assertEquals(0, result.failed(), result.describe());
    assertEquals(0, result.stalled(), result.describe());
    assertEquals(1, result.publishers().size());
    assertTrue(result.publishers().get(0).videoFrames() > 0, result.describe());
    for (BenchResult.PlayerResult p : result.players()) {
      // The last few hundred ms are still in the server's merged-write buffer when the bench stops: allow 1 s.
      double expectedFrames = FPS * Math.max(0, p.playSeconds() - 1);
      assertTrue(p.videoFrames() >= 0.9 * expectedFrames,
          "player " + p.index() + " counted " + p.videoFrames() + " video frames in " + p.playSeconds() + " s");
      assertTrue(p.audioFrames() > 0, "player " + p.index() + " counted no audio");
      double expectedBytes = FILE_KBPS * 1000 / 8 * p.playSeconds();
      assertTrue(p.bytes() > 0.5 * expectedBytes && p.bytes() < 2 * expectedBytes,
          "player " + p.index() + " got " + p.bytes() + " bytes in " + p.playSeconds() + " s, expected about "
              + (long) expectedBytes);
      assertTrue(p.mediaBytes() > 0 && p.mediaBytes() <= p.bytes(), "media bytes are part of the bytes received");
    }
    BenchResult.Latency latency = result.total().latency();
    assertTrue(latency.samples() > 0, "no latency samples: " + result.describe());
    assertTrue(latency.p50() > 0, result.describe());
    assertTrue(latency.p50() <= latency.p99() && latency.p99() <= latency.max() + 0.01, result.describe());
  }

  @Test
  void playersThatLeaveAreEachLoggedOnce() throws Exception {
    try (LogCapture log = LogCapture.of("io.estuary.rtmp")) {
      BenchResult result = Bench.run(options(node.rtmp("live/bench-leave"), 30)
          .file(Ffmpeg.media("h264-aac-1080p.flv")).duration(4), quiet());
      assertEquals(30, result.connected(), result.describe());
      // The players leave while the node writes to them: each write that fails after the first must not log again.
      Await.until(Duration.ofSeconds(10), () -> disconnects(log).size() >= 31, () -> "disconnects: " + log.lines());
      Map<String, Long> perClient = disconnects(log).stream()
          .collect(Collectors.groupingBy(line -> line.split(" ")[1], Collectors.counting()));
      assertTrue(perClient.values().stream().allMatch(n -> n == 1), "disconnect lines per client: " + perClient);
    }
  }

  private static List<String> disconnects(LogCapture log) {
    return log.lines().stream().filter(line -> line.contains(" disconnected")).toList();
  }

  /** Runs {@code estuary bench} with {@code args}, asserts it exited 0, and returns what it printed. */
  private static String benchOk(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = BenchCommand.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
    String printed = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    return printed;
  }

  @Test
  void theCommandWritesJsonWithTheSummaryFields() throws Exception {
    Path json = Files.createTempDirectory("bench").resolve("out.json");
    String printed = benchOk("--url", node.rtmp("live/bench-json"), "--players", "2", "--file",
        Ffmpeg.media("h264-aac-640x360.flv").toString(), "--duration", "3", "--ramp", "10", "--json",
        json.toString(), "--json-players", "--threads", "1");
    assertTrue(printed.contains("players 2/2 playing"), printed);
    assertTrue(printed.contains("summary:"), printed);
    JsonObject summary = new JsonObject(Files.readString(json));
    assertEquals(2, summary.getInteger("players"));
    assertEquals(2, summary.getInteger("connected"));
    assertEquals(0, summary.getInteger("failed"));
    assertEquals(0, summary.getInteger("stalled"));
    assertTrue(summary.getLong("bytes") > 0);
    assertTrue(summary.getJsonObject("frames").getLong("video") > 0);
    assertTrue(summary.getJsonObject("frames").getLong("audio") > 0);
    for (String field : new String[] {"min", "median", "mean"}) {
      assertTrue(summary.getJsonObject("kbps").getDouble(field) > 0, field);
    }
    JsonObject latency = summary.getJsonObject("latency_ms");
    for (String field : new String[] {"p50", "p90", "p99", "max"}) {
      assertTrue(latency.containsKey(field), field);
    }
    assertTrue(latency.getLong("samples") > 0);
    assertEquals(2, summary.getJsonArray("player_details").size());
    assertEquals(1, summary.getJsonArray("publisher_details").size());
    // Without --warmup the window is the whole run, as before the option existed
    JsonObject window = summary.getJsonObject("window");
    assertEquals(summary.getLong("bytes"), window.getLong("bytes"));
    assertEquals(latency.getLong("samples"), window.getJsonObject("latency_ms").getLong("samples"));
    assertNull(summary.getJsonObject("server_cpu"), "no --server-pid, no server CPU");
  }

  @Test
  void withAWarmUpTheJsonHasTheWindowAndTheWholeRunAndTheServerCpu() throws Exception {
    Path json = Files.createTempDirectory("bench").resolve("out.json");
    long self = ProcessHandle.current().pid(); // the node runs in this JVM
    String printed = benchOk("--url", node.rtmp("live/bench-warmup"), "--players", "2", "--file",
        Ffmpeg.media("h264-aac-640x360.flv").toString(), "--duration", "5", "--warmup", "2", "--ramp", "10",
        "--server-pid", Long.toString(self), "--json", json.toString(), "--json-players", "--threads", "1");
    assertTrue(printed.contains("warm-up over"), printed);
    assertTrue(printed.contains("server CPU  window"), printed);
    JsonObject summary = new JsonObject(Files.readString(json));
    assertEquals(2.0, summary.getDouble("warmup_seconds"));
    JsonObject window = summary.getJsonObject("window");
    assertTrue(window.getLong("bytes") > 0 && window.getLong("bytes") < summary.getLong("bytes"), printed);
    assertTrue(window.getDouble("seconds") < summary.getDouble("seconds"), printed);
    assertTrue(window.getJsonObject("kbps").getDouble("min") > 0, printed);
    long windowSamples = window.getJsonObject("latency_ms").getLong("samples");
    assertTrue(windowSamples > 0 && windowSamples < summary.getJsonObject("latency_ms").getLong("samples"), printed);
    for (Object o : summary.getJsonArray("player_details")) {
      JsonObject player = (JsonObject) o;
      assertTrue(player.getLong("window_bytes") < player.getLong("bytes"), player.encode());
      assertTrue(player.getDouble("window_seconds") < player.getDouble("play_seconds"), player.encode());
    }
    JsonObject cpu = summary.getJsonObject("server_cpu");
    assertEquals(self, cpu.getJsonArray("pids").getLong(0));
    assertTrue(cpu.getJsonArray("errors").isEmpty(), cpu.encode());
    double whole = cpu.getJsonObject("total").getDouble("cpu_seconds");
    double inWindow = cpu.getJsonObject("window").getDouble("cpu_seconds");
    assertTrue(inWindow >= 0 && inWindow <= whole, cpu.encode());
    assertTrue(cpu.getJsonObject("window").getDouble("cpu_seconds_per_gb") >= 0, cpu.encode());
  }

  @Test
  void helpAndBadArgumentsGiveExitCodes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    assertEquals(0, BenchCommand.run(new String[] {"--help"}, print, print));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--players"));
    assertEquals(2, BenchCommand.run(new String[] {"--players", "x"}, print, print));
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
