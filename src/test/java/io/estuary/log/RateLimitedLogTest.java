package io.estuary.log;

import io.estuary.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateLimitedLogTest {

  private static final String LOGGER = "io.estuary.test.ratelimited";

  /**
   * A publisher sending 1,000 broken frames within ten seconds costs three lines (the budget, then that more are being
   * left out); the first line of the next window says how many were.
   */
  @Test
  void aFloodOfBadFramesIsABudgetOfLinesAndACount() {
    AtomicLong now = new AtomicLong(1_000);
    try (LogCapture log = LogCapture.of(LOGGER)) {
      RateLimitedLog frames = new RateLimitedLog(Logger.getLogger(LOGGER), Level.WARNING, "hls: live/s: frames dropped",
          2, now::get);
      for (int i = 0; i < 1000; i++) {
        int frame = i;
        frames.log(() -> "hls: live/s: frame dropped: bad NALU " + frame);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
      }
      assertEquals(List.of("WARNING hls: live/s: frame dropped: bad NALU 0", "WARNING hls: live/s: frame dropped: bad NALU 1",
          "WARNING hls: live/s: frames dropped: more than 2 lines in 10 s; suppressing the rest for up to 10 s"), log.lines());
      assertEquals(998, frames.suppressed());

      now.addAndGet(TimeUnit.SECONDS.toNanos(6)); // 11 s after the first line: a new window
      frames.log("hls: live/s: frame dropped: bad NALU 1000");
      assertEquals(List.of("WARNING hls: live/s: frames dropped: 998 more lines suppressed in the last 11 s",
          "WARNING hls: live/s: frame dropped: bad NALU 1000"), log.lines().subList(3, 5));
      assertEquals(0, frames.suppressed());
    }
  }

  @Test
  void aLineLeftOutIsNeverBuilt() {
    AtomicInteger built = new AtomicInteger();
    try (LogCapture log = LogCapture.of(LOGGER)) {
      RateLimitedLog clients = new RateLimitedLog(Logger.getLogger(LOGGER), Level.WARNING, "clients closed", 1, () -> 0);
      for (int i = 0; i < 100; i++) {
        clients.log(() -> "client " + built.incrementAndGet() + " closing: bad handshake");
      }
      assertEquals(1, built.get(), "only the line that was logged was built");
      assertEquals(2, log.lines().size(), log.lines().toString());
    }
  }
}
