package io.estuary.log;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log line that bad input may cause once per frame or once per client, under a budget: at most {@code lines} such
 * lines per {@link #WINDOW_NANOS 10 s} window; past it, one line saying that more are being left out, and when the
 * next window's first line comes, how many were. A publisher sending 50 broken frames a second, or a scanner opening
 * a thousand bad connections, costs a few lines every ten seconds, not one per frame or client (a line per frame is a
 * denial of service on the disk).
 *
 * <p>Thread-safe: a per-client budget is shared by the connections of a listener, on several event loops. The message
 * of a line left out is never built ({@link #log(Supplier)}).
 */
public final class RateLimitedLog {

  public static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final Level level;
  private final String what;
  private final int lines;
  private final LongSupplier nanoClock;
  // Guarded by this.
  private boolean started;
  private long windowStart;
  private int logged;
  private long suppressed;

  /** {@code what} names the kind of line in the summaries ("hls: frames dropped", "RTMP clients closed"). */
  public RateLimitedLog(Logger log, Level level, String what, int lines) {
    this(log, level, what, lines, System::nanoTime);
  }

  RateLimitedLog(Logger log, Level level, String what, int lines, LongSupplier nanoClock) {
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be >= 1: " + lines);
    }
    this.log = log;
    this.level = level;
    this.what = what;
    this.lines = lines;
    this.nanoClock = nanoClock;
  }

  public void log(String message) {
    log(() -> message, null);
  }

  public void log(Supplier<String> message) {
    log(message, null);
  }

  /** With the exception's stack trace, when the line is logged. */
  public void log(String message, Throwable thrown) {
    log(() -> message, thrown);
  }

  private void log(Supplier<String> message, Throwable thrown) {
    if (!log.isLoggable(level)) {
      return;
    }
    String summary = null;
    String limit = null;
    synchronized (this) {
      long now = nanoClock.getAsLong();
      if (!started || now - windowStart >= WINDOW_NANOS) {
        if (suppressed > 0) {
          summary = what + ": " + suppressed + " more lines suppressed in the last "
              + TimeUnit.NANOSECONDS.toSeconds(now - windowStart) + " s";
        }
        started = true;
        windowStart = now;
        logged = 0;
        suppressed = 0;
      }
      if (logged == lines) {
        if (suppressed++ == 0) {
          long window = TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS);
          limit = what + ": more than " + lines + " lines in " + window + " s; suppressing the rest for up to "
              + window + " s";
        } else {
          return;
        }
      } else {
        logged++;
      }
    }
    if (summary != null) {
      log.log(level, summary);
    }
    if (limit != null) {
      log.log(level, limit);
    } else if (thrown == null) {
      log.log(level, message.get());
    } else {
      log.log(level, message.get(), thrown);
    }
  }

  /** The lines left out in the current window. */
  public synchronized long suppressed() {
    return suppressed;
  }
}
