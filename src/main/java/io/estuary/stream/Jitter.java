package io.estuary.stream;

/**
 * Per-consumer timestamp correction, SRS's {@code time_jitter}: {@code full} starts every player at 0 and keeps
 * timestamps monotonic, replacing any jump beyond ±250 ms by a 10 ms step; {@code zero} only rebases to 0, from the
 * first audio or video message; {@code off} passes timestamps through. State is owned by the consumer's event loop.
 *
 * <p>Timestamps in are the stream's {@link Timeline}: 64 bits, past 2^32 ms without a wrap. Timestamps out are too;
 * RTMP and FLV carry their low 32 bits. With {@code full} and {@code zero} a player's time starts near 0, so it
 * reaches the 2^32 ms wrap only after 49.7 days of playing. With {@code off} (and atc) the player gets the
 * publisher's own 32-bit time, wrap included: it stays monotonic as RTMP spec 3 defines it (modulo 2^32, each
 * timestamp after the last by less than 2^31 ms), which is how FFmpeg's players follow it through the wrap.
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
  /** zero: whether {@link #base} was taken, from the first audio or video message. */
  private boolean rebased;
  private long base;

  public Jitter(Algorithm algorithm) {
    this.algorithm = algorithm;
  }

  /** The timestamp this consumer sends for a message stamped {@code time} by the publisher. */
  public long correct(long time, boolean audioOrVideo) {
    switch (algorithm) {
      case OFF:
        return time;
      case ZERO:
        // From the first audio or video, not onMetaData: a publisher's metadata at 0 before media stamped near
        // 2^32 would otherwise leave the player's time near 2^32.
        if (!rebased) {
          if (!audioOrVideo) {
            return 0;
          }
          rebased = true;
          base = time;
        }
        return Math.max(0, time - base);
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
