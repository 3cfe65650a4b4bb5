package io.estuary.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the log lines of one logger (and its children) while a test runs. */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final List<String> lines = new ArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
  }

  public static LogCapture of(String loggerName) {
    LogCapture capture = new LogCapture(Logger.getLogger(loggerName));
    capture.logger.addHandler(capture);
    return capture;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(record.getLevel() + " " + record.getMessage());
  }

  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** Waits up to {@code seconds} for lines matching {@code match}; returns them (possibly empty). */
  public List<String> await(Predicate<String> match, long seconds) throws InterruptedException {
    Await.within(Duration.ofSeconds(seconds), () -> lines().stream().anyMatch(match));
    return lines().stream().filter(match).toList();
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
