package io.estuary.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest {

  @Test
  void readsTheCommandLine() throws Exception {
    BenchOptions o = BenchOptions.parse(new String[] {"--url", "rtmp://127.0.0.1:1935/live/bench", "--players",
        "4000", "--publishers=4", "--file", "a.flv", "--ramp", "200", "--duration", "60", "--json", "out.json",
        "--threads", "8"});
    assertEquals(4000, o.players());
    assertEquals(4, o.publishers());
    assertEquals(Path.of("a.flv"), o.file());
    assertEquals(200, o.ramp());
    assertEquals(60, o.duration());
    assertEquals(Path.of("out.json"), o.json());
    assertEquals(8, o.threads());
    assertNull(BenchOptions.parse(new String[] {"--help"}));
  }

  @Test
  void readsTheWarmUpAndTheServerPids() throws Exception {
    BenchOptions o = BenchOptions.parse(new String[] {"--url", "rtmp://h/live/s", "--publishers", "0", "--duration",
        "60", "--warmup", "20", "--server-pid", "123,456, 789,123"});
    assertEquals(20, o.warmup());
    assertEquals(List.of(123L, 456L, 789L), o.serverPids());
    BenchOptions plain = BenchOptions.parse(new String[] {"--url", "rtmp://h/live/s", "--publishers", "0",
        "--server-pid=42"});
    assertEquals(0, plain.warmup(), "no warm-up unless asked for");
    assertEquals(List.of(42L), plain.serverPids());
  }

  @Test
  void aBadWarmUpOrServerPidIsNamedInTheMessage() {
    assertUsage("--warmup (30.0 s) must be shorter than --duration (30.0 s)", "--warmup", "30");
    assertUsage("--warmup (40.0 s) must be shorter than --duration (30.0 s)", "--warmup", "40");
    assertUsage("--warmup must be in [0.0", "--warmup", "-1");
    assertUsage("--warmup needs a number: soon", "--warmup", "soon");
    assertUsage("--server-pid needs process ids separated by commas: 12,x", "--server-pid", "12,x");
    assertUsage("--server-pid needs process ids separated by commas: 12,", "--server-pid", "12,");
    assertUsage("--server-pid: not a process id: 0", "--server-pid", "0");
    assertUsage("--server-pid: not a process id: -5", "--server-pid", "-5");
    assertUsage("--server-pid needs a value", "--server-pid");
  }

  private static void assertUsage(String message, String... options) {
    String[] args = new String[options.length + 4];
    System.arraycopy(new String[] {"--url", "rtmp://h/live/s", "--publishers", "0"}, 0, args, 0, 4);
    System.arraycopy(options, 0, args, 4, options.length);
    BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(args));
    assertTrue(e.getMessage().startsWith(message), "expected '" + message + "...', got '" + e.getMessage() + "'");
  }

  @Test
  void streamsAreSuffixedWhenThereAreSeveralPublishers() throws Exception {
    BenchOptions.Target rtmp = BenchOptions.target("rtmp://h:1936/live/bench?vhost=v");
    assertEquals("live", rtmp.app());
    assertEquals("bench", rtmp.forStream(0, 1).stream());
    assertEquals("bench-2", rtmp.forStream(2, 3).stream());
    assertEquals("bench-2?vhost=v", rtmp.forStream(2, 3).streamWithQuery());
    assertEquals("rtmp://h:1936/live", rtmp.tcUrl());
    BenchOptions.Target http = BenchOptions.target("http://h:8080/live/bench.flv");
    assertEquals("/live/bench-1.flv", http.forStream(1, 2).path());
  }

  @Test
  void httpPlayersGetAnRtmpPublishUrl() throws Exception {
    BenchOptions o = BenchOptions.parse(new String[] {"--url", "http://h:8080/live/s.flv", "--file", "a.flv"});
    assertEquals("rtmp://h:1935/live/s", o.publishUrl());
  }

  @Test
  void refusesWhatItCannotRun() {
    assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(new String[] {"--players", "3"}));
    assertThrows(BenchOptions.UsageException.class, () -> BenchOptions.parse(new String[] {"--url", "rtmp://h/live/s"}));
    assertThrows(BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--url", "srt://h/live/s", "--publishers", "0"}));
    assertThrows(BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--url", "rtmp://h/live/s", "--players", "many"}));
    assertThrows(BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--url", "rtmp://h/live/s", "--bogus"}));
    BenchOptions.UsageException e = assertThrows(BenchOptions.UsageException.class,
        () -> BenchOptions.parse(new String[] {"--url", "rtmp://h/live/s", "--duration"}));
    assertTrue(e.getMessage().contains("--duration"));
  }
}
