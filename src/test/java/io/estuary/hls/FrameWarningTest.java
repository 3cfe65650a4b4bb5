package io.estuary.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.estuary.testing.LogCapture;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class FrameWarningTest {

  /** A publisher sending a broken frame 50 times a second gets one line, not fifty. */
  @Test
  void aBurstOfBadFramesIsOneLine() {
    try (LogCapture log = LogCapture.of("io.estuary.test.frames")) {
      FrameWarning warning = new FrameWarning(Logger.getLogger("io.estuary.test.frames"));
      for (int i = 0; i < 50; i++) {
        warning.warn("frame dropped: " + i);
      }
      assertEquals(java.util.List.of("WARNING frame dropped: 0"), log.lines());
    }
  }
}
