package io.estuary.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time of the server's processes ({@code --server-pid}): utime + stime from {@code /proc/<pid>/stat}, in
 * clock ticks, summed over the processes. The bench reads it at its start, when the window starts and at its end, so
 * the CPU figures cover the same spans as its byte counts. Linux only. Used by the bench's reporter thread only.
 */
final class ServerCpu {

  /** USER_HZ on Linux (x86, arm64): what {@code getconf CLK_TCK} answers there. */
  static final long DEFAULT_TICKS_PER_SECOND = 100;

  private final List<Long> pids;
  private final long ticksPerSecond;
  private final List<String> errors = new ArrayList<>();

  ServerCpu(List<Long> pids, long ticksPerSecond) {
    this.pids = List.copyOf(pids);
    this.ticksPerSecond = ticksPerSecond;
  }

  List<Long> pids() { return pids; }
  long ticksPerSecond() { return ticksPerSecond; }
  /** Why a reading is missing: a process that was gone, or a file that could not be read. */
  List<String> errors() { return List.copyOf(errors); }

  /**
   * utime + stime of one process in clock ticks: fields 14 and 15 of {@code /proc/<pid>/stat} (proc(5)), counted
   * after the command name, which is in parentheses and may itself hold spaces and parentheses.
   *
   * @throws IOException saying which process is gone, or what could not be read
   */
  static long ticks(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    String text;
    try {
      text = Files.readString(stat, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException("process " + pid + " is gone (no " + stat + ")", e);
    } catch (IOException e) {
      throw new IOException("cannot read " + stat + ": " + e, e);
    }
    String[] fields = text.substring(text.lastIndexOf(')') + 1).trim().split(" +");
    // fields[0] is field 3 (state): utime (14) and stime (15) are fields[11] and fields[12]
    try {
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (RuntimeException e) {
      throw new IOException("unexpected " + stat + ": " + text.strip(), e);
    }
  }

  /** The ticks summed over the processes, or -1 when one could not be read ({@code when} goes into the error). */
  long ticks(String when) {
    long sum = 0;
    boolean ok = true;
    for (long pid : pids) {
      try {
        sum += ticks(pid);
      } catch (IOException e) {
        errors.add(e.getMessage() + " " + when);
        ok = false;
      }
    }
    return ok ? sum : -1;
  }

  /** CPU seconds between two readings of {@link #ticks(String)}, or null when either is missing. */
  Double seconds(long fromTicks, long toTicks) {
    return fromTicks < 0 || toTicks < 0 ? null : (toTicks - fromTicks) / (double) ticksPerSecond;
  }

  /** {@code getconf CLK_TCK}, asked once; {@link #DEFAULT_TICKS_PER_SECOND} when it cannot answer. */
  static long clockTicksPerSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String answer = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        long hz = Long.parseLong(answer);
        if (hz > 0) {
          return hz;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no getconf: Linux's USER_HZ
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_TICKS_PER_SECOND;
  }
}
