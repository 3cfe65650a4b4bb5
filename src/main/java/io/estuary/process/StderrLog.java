package io.estuary.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A child's stderr, logged line by line (ffmpeg ends its progress lines with a carriage return) under a per-child
 * budget: at most {@link #LINES_PER_WINDOW} lines every {@link #WINDOW_MS} ms, then a count of what was left out, so a
 * chatty child never floods the log. ffmpeg's progress lines ({@code frame=}, {@code size=}) go to FINE. Read on the
 * child's own thread, which ends when the child closes its stderr.
 */
final class StderrLog {

  static final int LINES_PER_WINDOW = 20;
  static final long WINDOW_MS = 10_000;
  private static final int MAX_LINE = 4096;

  private final Logger log;
  private final String prefix;
  // State accessed exclusively from the reading thread.
  private long windowStart = Long.MIN_VALUE;
  private int lines;
  private long suppressed;

  StderrLog(Logger log, String prefix) {
    this.log = log;
    this.prefix = prefix;
  }

  /** Reads {@code stderr} until it ends. */
  void pump(InputStream stderr) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try (stderr) {
      int n;
      while ((n = stderr.read(buffer)) >= 0) {
        for (int i = 0; i < n; i++) {
          byte b = buffer[i];
          if (b == '\n' || b == '\r') {
            emit(line);
          } else if (line.size() < MAX_LINE) {
            line.write(b);
          }
        }
      }
    } catch (IOException e) {
      // the child is gone and its pipe closed under us: nothing more to read
    }
    emit(line);
    flushSuppressed();
  }

  private void emit(ByteArrayOutputStream bytes) {
    if (bytes.size() == 0) {
      return;
    }
    String text = bytes.toString(StandardCharsets.UTF_8).strip();
    bytes.reset();
    if (!text.isEmpty()) {
      line(text, System.nanoTime() / 1_000_000);
    }
  }

  /** One line at {@code nowMs}: logged, or counted when the window's budget is spent. */
  void line(String text, long nowMs) {
    if (text.startsWith("frame=") || text.startsWith("size=")) {
      log.fine(() -> prefix + text);
      return;
    }
    if (windowStart == Long.MIN_VALUE || nowMs - windowStart >= WINDOW_MS) {
      flushSuppressed();
      windowStart = nowMs;
      lines = 0;
    }
    if (lines < LINES_PER_WINDOW) {
      lines++;
      log.info(prefix + text);
    } else {
      suppressed++;
    }
  }

  /** Lines left out so far (for tests). */
  long suppressed() {
    return suppressed;
  }

  private void flushSuppressed() {
    if (suppressed > 0) {
      long n = suppressed;
      suppressed = 0;
      log.log(Level.INFO, prefix + n + " more lines of stderr not logged");
    }
  }
}
