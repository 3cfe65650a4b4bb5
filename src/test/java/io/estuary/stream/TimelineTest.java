package io.estuary.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimelineTest {

  private static final long WRAP = 1L << 32;

  @Test
  void startsAtTheFirstTimestampAndFollowsIt() {
    Timeline line = new Timeline();
    assertEquals(1000, line.unwrap(1000, true));
    assertEquals(1040, line.unwrap(1040, true));
    assertEquals(0x01000000L, line.unwrap(0x01000000L, true)); // past 2^24: nothing special
  }

  @Test
  void theWrapAt2To32GoesOnInsteadOfBack() {
    Timeline line = new Timeline();
    assertEquals(WRAP - 10_000, line.unwrap(WRAP - 10_000, true));
    assertEquals(WRAP - 40, line.unwrap(WRAP - 40, true));
    assertEquals(WRAP, line.unwrap(0, true));
    assertEquals(WRAP + 20, line.unwrap(20, true));
    assertEquals(WRAP - 3, line.unwrap(WRAP - 3, true), "audio a little behind video, across the wrap");
    assertEquals(WRAP + 60, line.unwrap(60, true));
  }

  @Test
  void stepsForwardBelow2To31GoOnAcrossSeveralWraps() {
    Timeline line = new Timeline();
    long expected = 0;
    line.unwrap(0, true);
    for (int i = 0; i < 5; i++) {
      expected += 2_000_000_000L;
      assertEquals(expected, line.unwrap(expected & 0xFFFFFFFFL, true));
    }
  }

  @Test
  void aJumpBackOfLessThan2To31StaysAJumpBack() {
    Timeline line = new Timeline();
    line.unwrap(2_000_000_000L, true);
    assertEquals(5, line.unwrap(5, true), "an encoder restarted at 0: back, not 2^32 on");
    assertEquals(45, line.unwrap(45, true));
  }

  @Test
  void scriptDataIsPlacedNearTheMediaButDoesNotMoveTheLine() {
    Timeline line = new Timeline();
    assertEquals(0, line.unwrap(0, false), "onMetaData before any media: as it is");
    assertEquals(WRAP - 10_000, line.unwrap(WRAP - 10_000, true), "the line starts at the first media");
    assertEquals(WRAP, line.unwrap(0, false), "onMetaData at 0 is just after the media, not 49 days before");
    assertEquals(WRAP - 9_960, line.unwrap(WRAP - 9_960, true));
  }

  @Test
  void higherBitsAreIgnored() {
    Timeline line = new Timeline();
    assertEquals(7, line.unwrap(WRAP + 7, true));
  }
}
