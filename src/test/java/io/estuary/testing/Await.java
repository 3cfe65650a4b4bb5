package io.estuary.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for a state with a deadline, for tests whose subject (ffmpeg, a scan, another thread) gives no event to
 * wait on. The only place tests poll: they say what they wait for, and fail with it if it does not come. Blocking
 * waits ({@link #until}, {@link #value}) for tests that drive processes; {@link #eventually} for asynchronous tests,
 * where the state is read by a request (an API call, an RTMP connect) asked anew on a timer.
 */
public final class Await {

  private static final long POLL_MS = 20;

  private Await() {
  }

  /** Returns as soon as {@code condition} holds; fails naming {@code what} if it does not hold within {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    if (!within(timeout, condition)) {
      throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what.get());
    }
  }

  /** Whether {@code condition} held within {@code timeout} (checked at once, then every few ms until the deadline). */
  public static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(POLL_MS);
    }
    return true;
  }

  /** The value {@code value} gives once {@code done} accepts it; fails naming {@code what} (and the last value). */
  public static <T> T value(Duration timeout, Supplier<T> value, java.util.function.Predicate<T> done,
                            Supplier<String> what) throws InterruptedException {
    Object[] last = new Object[1];
    boolean ok = within(timeout, () -> {
      T v = value.get();
      last[0] = v;
      return done.test(v);
    });
    if (!ok) {
      throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what.get() + "; last: " + last[0]);
    }
    @SuppressWarnings("unchecked")
    T result = (T) last[0];
    return result;
  }

  /**
   * The first value {@code value} (asked anew every few ms, on {@code vertx}'s timers, no thread blocked) gives that
   * {@code done} accepts; a failed ask counts as not yet. Fails with an AssertionError naming {@code what} and the
   * last value (or failure) if none does within {@code timeout}.
   */
  public static <T> Future<T> eventually(Vertx vertx, Duration timeout, Supplier<Future<T>> value, Predicate<T> done,
                                         Supplier<String> what) {
    Promise<T> result = Promise.promise();
    poll(vertx, System.nanoTime() + timeout.toNanos(), timeout, value, done, what, result);
    return result.future();
  }

  private static <T> void poll(Vertx vertx, long deadline, Duration timeout, Supplier<Future<T>> value,
                               Predicate<T> done, Supplier<String> what, Promise<T> result) {
    value.get().onComplete(asked -> {
      try {
        if (asked.succeeded() && done.test(asked.result())) {
          result.complete(asked.result());
        } else if (System.nanoTime() - deadline > 0) {
          Object last = asked.succeeded() ? asked.result() : asked.cause();
          result.fail(new AssertionError("not within " + timeout.toSeconds() + " s: " + what.get() + "; last: " + last));
        } else {
          vertx.setTimer(POLL_MS, t -> poll(vertx, deadline, timeout, value, done, what, result));
        }
      } catch (Throwable e) {
        result.fail(e);
      }
    });
  }
}
