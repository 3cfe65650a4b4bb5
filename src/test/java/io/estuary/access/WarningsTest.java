package io.estuary.access;

import io.estuary.testing.Await;
import io.estuary.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flood of the same warning is one line, then one a period saying how many were not logged. */
class WarningsTest {

  @Test
  void theFirstLineGoesOutThenOneAPeriodWithTheCount() throws Exception {
    try (LogCapture log = LogCapture.of("io.estuary.access.warnings-test")) {
      Warnings warnings = new Warnings(Logger.getLogger("io.estuary.access.warnings-test"), TimeUnit.MILLISECONDS.toNanos(200));
      for (int i = 0; i < 100; i++) {
        warnings.warn("refused client " + i);
      }
      assertEquals(List.of("WARNING refused client 0"), log.lines());
      Await.until(Duration.ofSeconds(5), () -> {
        warnings.warn("refused client again");
        return log.lines().size() == 2;
      }, () -> "a second line once the period passed: " + log.lines());
      String second = log.lines().get(1);
      assertTrue(second.matches("WARNING refused client again \\(and \\d+ more since the last such line\\)"), second);
      assertTrue(Integer.parseInt(second.replaceAll("\\D+", " ").trim().split(" ")[0]) >= 99, second);
    }
  }
}
