package io.estuary.stream;

/**
 * Per-consumer timestamp correction, SRS's {@code time_jitter}: {@code full} starts every player at 0 and keeps
 * timestamps monotonic, replacing any jump beyond ±250 ms by a 10 ms step; {@code zero} only rebases to 0;
 * {@code off} passes timestamps through. State is owned by the consumer's event loop.
 */
public final class Jitter {

  public enum Algorithm {
    FULL, ZERO, OFF;

    public static Algorithm parse(String value) {
      return switch (value) {
        case "full" -> FULL;
        case "zero" -> ZERO;
        case "off" -> OFF;
        default -> throw new IllegalArgumentException("time_jitter must be full, zero or off: " + value);
      };
    }
  }

  static final long MAX_JITTER_MS = 250;
  static final long DEFAULT_FRAME_TIME_MS = 10;

  private final Algorithm algorithm;
  private long lastTime;
  private long lastCorrected = -1;

  public Jitter(Algorithm algorithm) {
    this.algorithm = algorithm;
  }

  /** The timestamp this consumer sends for a message stamped {@code time} by the publisher. */
  public long correct(long time, boolean audioOrVideo) {
    switch (algorithm) {
      case OFF:
        return time;
      case ZERO:
        if (lastCorrected == -1) {
          lastCorrected = time;
        }
        return Math.max(0, time - lastCorrected);
      default:
        if (!audioOrVideo) {
          return 0; // metadata goes out at 0, as SRS sends it
        }
        long delta = time - lastTime;
        if (delta < -MAX_JITTER_MS || delta > MAX_JITTER_MS) {
          delta = DEFAULT_FRAME_TIME_MS;
        }
        lastCorrected = Math.max(0, lastCorrected + delta);
        lastTime = time;
        return lastCorrected;
    }
  }
}
