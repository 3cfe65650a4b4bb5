package io.estuary.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --server-pid: CPU time from /proc/<pid>/stat, and a clear answer when a process is not there. */
class ServerCpuTest {

  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void readsTheCpuOfThisJvmAsTheJdkDoes() throws Exception {
    long hz = ServerCpu.clockTicksPerSecond();
    assertTrue(hz > 0);
    // The JDK reads the same two fields (with sysconf(_SC_CLK_TCK)): ours must lie between two of its readings
    Duration before = ProcessHandle.current().info().totalCpuDuration().orElseThrow();
    long ticks = ServerCpu.ticks(SELF);
    Duration after = ProcessHandle.current().info().totalCpuDuration().orElseThrow();
    long millis = ticks * 1000 / hz;
    long tick = 1000 / hz;
    assertTrue(ticks > 0, "a running JVM has used some CPU");
    assertTrue(millis >= before.toMillis() - tick && millis <= after.toMillis() + tick,
        "utime+stime " + millis + " ms, the JDK says " + before.toMillis() + ".." + after.toMillis() + " ms");
  }

  @Test
  void aProcessThatDoesNotExistIsNamedInTheError() {
    long pid = Integer.MAX_VALUE; // above any Linux pid_max
    IOException e = assertThrows(IOException.class, () -> ServerCpu.ticks(pid));
    assertTrue(e.getMessage().contains("process " + pid + " is gone"), e.getMessage());
  }

  @Test
  void aProcessThatEndsDuringTheRunLeavesThatFigureOutWithTheReason() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      ServerCpu cpu = new ServerCpu(List.of(SELF, sleeper.pid()), ServerCpu.DEFAULT_TICKS_PER_SECOND);
      long start = cpu.ticks("at the bench's start");
      assertTrue(start >= 0, "both processes read: " + cpu.errors());
      sleeper.destroy();
      assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
      long end = cpu.ticks("at the end");
      assertEquals(-1, end);
      assertNull(cpu.seconds(start, end));
      assertEquals(List.of("process " + sleeper.pid() + " is gone (no /proc/" + sleeper.pid() + "/stat) at the end"),
          cpu.errors());
      assertEquals(0.5, cpu.seconds(100, 150), "ticks at 100 per second");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void aServerPidThatIsNotRunningStopsTheBenchBeforeItStarts() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = BenchCommand.run(new String[] {"--url", "rtmp://127.0.0.1:1/live/s", "--publishers", "0",
        "--server-pid", SELF + "," + Integer.MAX_VALUE}, print, print);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, printed);
    assertTrue(printed.contains("--server-pid: process " + Integer.MAX_VALUE + " is gone"), printed);
    assertFalse(printed.contains("summary:"), printed);
  }
}
