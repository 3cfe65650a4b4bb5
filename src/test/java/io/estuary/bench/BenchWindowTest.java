package io.estuary.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measurement window (--warmup) as a player's counters and its event loop's histograms see it: what arrived
 * before the window starts is in the whole run's figures only.
 */
class BenchWindowTest {

  /** An AVC NALU tag (keyframe, one 4-byte-length NAL), marked with {@code sequence} as a publisher marks it. */
  private static ByteBuf markedFrame(long sequence) {
    ByteBuf frame = Unpooled.buffer().writeBytes(new byte[] {0x17, 1, 0, 0, 0, 0, 0, 0, 3, 0x65, 1, 2});
    ByteBuf marked = LatencyMarker.mark(ByteBufAllocator.DEFAULT, frame, 4, sequence);
    frame.release();
    return marked;
  }

  private static ByteBuf audio(int bytes) {
    return Unpooled.buffer().writeZero(bytes);
  }

  @Test
  void bytesAndFramesBeforeTheWindowAreInTheTotalsOnly() {
    PlayerStats stats = new PlayerStats(0, "rtmp://h/live/s", new SendLog[0]);
    stats.onPlayRequested(System.nanoTime());
    ByteBuf before = audio(700);
    ByteBuf after = audio(40);
    try {
      stats.onBytes(10_000);
      stats.onMedia(false, before);
      stats.onMedia(false, before);
      stats.startWindow(System.nanoTime());
      assertEquals(0, stats.windowBytes());
      assertEquals(0, stats.windowAudioFrames());
      stats.onBytes(300);
      stats.onMedia(false, after);
      assertEquals(300, stats.windowBytes());
      assertEquals(40, stats.windowMediaBytes());
      assertEquals(1, stats.windowAudioFrames());
      assertEquals(0, stats.windowVideoFrames());
      assertEquals(10_300, stats.bytes());
      assertEquals(1440, stats.mediaBytes());
      assertEquals(3, stats.audioFrames());
    } finally {
      assertTrue(before.release());
      assertTrue(after.release());
    }
  }

  @Test
  void latencySamplesBeforeTheResetAreNotInTheWindowsPercentiles() {
    SendLog log = new SendLog();
    PlayerStats stats = new PlayerStats(0, "rtmp://h/live/s", new SendLog[] {log});
    LatencyHistogram total = new LatencyHistogram();
    LatencyHistogram window = new LatencyHistogram();
    stats.latency(total, window);
    long now = System.nanoTime();
    stats.onPlayRequested(now - TimeUnit.SECONDS.toNanos(10));
    // warm-up: 50 frames 2 s late
    for (long seq = 0; seq < 50; seq++) {
      log.sent(seq, now - TimeUnit.SECONDS.toNanos(2));
      receive(stats, seq);
    }
    assertEquals(50, window.count(), "before the window starts, its histogram holds the run so far");
    window.reset(); // what the bench runs on the player's event loop when the window starts
    stats.startWindow(System.nanoTime());
    // the window: 10 frames sent just now
    for (long seq = 50; seq < 60; seq++) {
      log.sent(seq, System.nanoTime());
      receive(stats, seq);
    }
    assertEquals(10, window.count());
    assertTrue(window.maxMicros() < 1_000_000, "a 2 s sample from the warm-up is in the window: " + window.maxMicros());
    assertTrue(window.percentileMicros(99) < 1_000_000);
    assertEquals(60, total.count());
    assertTrue(total.percentileMicros(50) >= 2_000_000, "the whole run keeps the warm-up's samples");
    assertEquals(10, stats.windowVideoFrames());
    assertEquals(60, stats.videoFrames());
  }

  private static void receive(PlayerStats stats, long sequence) {
    ByteBuf frame = markedFrame(sequence);
    try {
      stats.onMedia(true, frame);
    } finally {
      assertTrue(frame.release());
    }
  }

  @Test
  void theWindowsFiguresAndTheWholeRunsAreBothInTheJson() {
    BenchResult.Latency none = new BenchResult.Latency(0, 0, 0, 0, 0);
    BenchResult.Figures total = new BenchResult.Figures(30, 4_000_000_000L, 3_900_000_000L, 100, 200, 600, 620, 615,
        1066, none);
    BenchResult.Figures window = new BenchResult.Figures(10, 1_000_000_000L, 990_000_000L, 30, 60, 610, 621, 618, 800,
        none);
    BenchResult result = new BenchResult("rtmp://h/live/s", 10, 1, 20, 10, 0, 0, total, window,
        new BenchResult.ServerCpuResult(List.of(42L), 100, 8.0, 3.0, List.of()), Map.of(), List.of(), List.of());
    JsonObject json = result.toJson(false);
    assertEquals(4_000_000_000L, json.getLong("bytes"), "the top level is the whole run");
    assertEquals(1.0, json.getJsonObject("window").getDouble("gb"));
    assertEquals(610.0, json.getJsonObject("window").getJsonObject("kbps").getDouble("min"));
    assertEquals(2.0, json.getJsonObject("server_cpu").getJsonObject("total").getDouble("cpu_seconds_per_gb"));
    assertEquals(3.0, json.getJsonObject("server_cpu").getJsonObject("window").getDouble("cpu_seconds_per_gb"));
    String text = result.describe();
    assertTrue(text.contains("window 3.00 CPU-s, 3.00 CPU-s/GB | whole run 8.00 CPU-s, 2.00 CPU-s/GB"), text);
  }
}
