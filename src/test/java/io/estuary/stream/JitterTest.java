package io.estuary.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
