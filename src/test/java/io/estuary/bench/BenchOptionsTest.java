package io.estuary.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

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
