package io.estuary.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitterTest {

  @Test
  void fullStartsNearZeroAndSmoothsJumps() {
    Jitter jitter = new Jitter(Jitter.Algorithm.FULL);
    assertEquals(9, jitter.correct(100_000, true)); // SRS: first delta is out of range, so one 10 ms step from -1
    assertEquals(49, jitter.correct(100_040, true));
    assertEquals(59, jitter.correct(5, true)); // a 100 s jump backwards becomes one 10 ms step
    assertEquals(99, jitter.correct(45, true));
    assertEquals(0, jitter.correct(77_777, false)); // metadata at 0
  }

  @Test
  void zeroOnlyRebases() {
    Jitter jitter = new Jitter(Jitter.Algorithm.ZERO);
    assertEquals(0, jitter.correct(5000, true));
    assertEquals(40, jitter.correct(5040, true));
    assertEquals(1000, jitter.correct(6000, true));
  }

  @Test
  void offPassesThrough() {
    Jitter jitter = new Jitter(Jitter.Algorithm.OFF);
    assertEquals(5000, jitter.correct(5000, true));
    assertEquals(3, jitter.correct(3, true));
  }

  @Test
  void zeroRebasesFromTheFirstAudioOrVideoNotFromMetadata() {
    Jitter jitter = new Jitter(Jitter.Algorithm.ZERO);
    long nearWrap = (1L << 32) - 10_000;
    assertEquals(0, jitter.correct(0, false), "onMetaData before any media");
    assertEquals(0, jitter.correct(nearWrap, true));
    assertEquals(10_040, jitter.correct(nearWrap + 10_040, true), "the stream's line goes on past 2^32");
    assertEquals(10_040, jitter.correct(nearWrap + 10_040, false));
  }

  @Test
  void fullAndOffFollowTheLinePast2To32() {
    long nearWrap = (1L << 32) - 10_000;
    Jitter full = new Jitter(Jitter.Algorithm.FULL);
    Jitter off = new Jitter(Jitter.Algorithm.OFF);
    long previous = -1;
    for (long t = nearWrap; t < nearWrap + 20_000; t += 40) {
      long corrected = full.correct(t, true);
      assertTrue(corrected > previous, "monotonic at " + t);
      previous = corrected;
      assertEquals(t, off.correct(t, true));
    }
    assertEquals(9 + 20_000 - 40, previous, "40 ms steps, from the first 10 ms step");
  }
}
