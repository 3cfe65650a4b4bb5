package io.estuary.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

  @Test
  void emptyHistogramAnswersZero() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.count());
    assertEquals(0, h.percentileMicros(50));
    assertEquals(0, h.maxMicros());
  }

  @Test
  void percentilesOfAUniformSpreadAreWithinTheBucketPrecision() {
    LatencyHistogram h = new LatencyHistogram();
    for (int ms = 1; ms <= 1000; ms++) {
      h.record(ms * 1000L);
    }
    assertEquals(1000, h.count());
    assertNear(500_000, h.percentileMicros(50));
    assertNear(900_000, h.percentileMicros(90));
    assertNear(990_000, h.percentileMicros(99));
    assertEquals(1_000_000, h.percentileMicros(100));
    assertEquals(1_000_000, h.maxMicros());
  }

  @Test
  void smallValuesAreExact() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 0; v < 64; v++) {
      h.record(v);
    }
    assertEquals(31, h.percentileMicros(50));
    assertEquals(63, h.percentileMicros(100));
  }

  @Test
  void aSkewedDistributionKeepsItsTail() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 980; i++) {
      h.record(20_000); // 20 ms
    }
    for (int i = 0; i < 20; i++) {
      h.record(2_000_000); // 2 s
    }
    assertNear(20_000, h.percentileMicros(50));
    assertNear(20_000, h.percentileMicros(98));
    assertNear(2_000_000, h.percentileMicros(99));
  }

  @Test
  void valuesOutsideTheRangeAreClamped() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(-5);
    h.record(3_600_000_000L); // an hour
    assertEquals(2, h.count());
    assertEquals(0, h.percentileMicros(50));
    assertEquals(LatencyHistogram.MAX_MICROS, h.maxMicros());
    assertEquals(LatencyHistogram.MAX_MICROS, h.percentileMicros(100));
  }

  @Test
  void bucketsCoverTheRangeWithoutGapsOrOverlaps() {
    int last = LatencyHistogram.indexOf(LatencyHistogram.MAX_MICROS);
    for (int i = 0; i < last; i++) {
      long high = LatencyHistogram.highestInBucket(i);
      assertEquals(i, LatencyHistogram.indexOf(high), "bucket " + i);
      assertEquals(i + 1, LatencyHistogram.indexOf(high + 1), "after bucket " + i);
      long low = i == 0 ? 0 : LatencyHistogram.highestInBucket(i - 1) + 1;
      assertTrue(high - low <= Math.max(1, high / 32), "bucket " + i + " is wider than 1/32: " + low + ".." + high);
    }
  }

  @Test
  void histogramsMerge() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 0; i < 100; i++) {
      a.record(10_000);
      b.record(100_000);
    }
    LatencyHistogram all = new LatencyHistogram();
    a.addTo(all);
    b.addTo(all);
    assertEquals(200, all.count());
    assertNear(10_000, all.percentileMicros(50));
    assertNear(100_000, all.percentileMicros(51));
    assertEquals(100_000, all.maxMicros());
  }

  @Test
  void aResetForgetsWhatWasRecordedBefore() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 1000; i++) {
      h.record(2_000_000); // 2 s: the warm-up
    }
    h.reset();
    assertEquals(0, h.count());
    assertEquals(0, h.maxMicros());
    assertEquals(0, h.percentileMicros(100));
    for (int i = 0; i < 10; i++) {
      h.record(10_000);
    }
    assertEquals(10, h.count());
    assertEquals(10_000, h.percentileMicros(99));
    assertEquals(10_000, h.maxMicros());
    LatencyHistogram merged = new LatencyHistogram();
    h.addTo(merged);
    assertEquals(10, merged.count());
    assertEquals(10_000, merged.percentileMicros(100));
  }

  @Test
  void percentileMustBeInRange() {
    LatencyHistogram h = new LatencyHistogram();
    assertThrows(IllegalArgumentException.class, () -> h.percentileMicros(0));
    assertThrows(IllegalArgumentException.class, () -> h.percentileMicros(101));
  }

  private static void assertNear(long expected, long actual) {
    assertTrue(Math.abs(actual - expected) <= expected * 0.035 + 1, "expected about " + expected + ", got " + actual);
  }
}
