package io.estuary.stream;

import io.estuary.log.RateLimitedLog;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The consumers of one source on one event loop. The publisher hands each message to each relay once, as one
 * task on the relay's loop; the relay appends it to its local consumers. So a message crosses threads once per
 * event loop, not once per player.
 *
 * <p>{@link #consumers} is accessed exclusively from {@link #loop}; it is replaced, never changed in place, so a
 * consumer that leaves while a message is being handed out (an HLS segmenter at the end of the stream, a player
 * kicked by its own write) cannot disturb the others. {@link #members} is written by that loop and read by others
 * (player counts), hence volatile.
 */
final class Relay {

  private static final Logger LOG = Logger.getLogger("io.estuary.stream");
  /** A broken player may fail on every message. */
  private static final RateLimitedLog FAILED = new RateLimitedLog(LOG, Level.WARNING, "players failing to take messages", 5);
  private static final Consumer[] NONE = new Consumer[0];

  final Executor loop;
  private Consumer[] consumers = NONE;
  /** Consumers attached or attaching: the relay stays registered while this is positive. */
  volatile int members;

  Relay(Executor loop) {
    this.loop = loop;
  }

  /** On the publisher's loop: one task for all of this loop's consumers. */
  void dispatch(StreamMessage message) {
    message.retain();
    try {
      loop.execute(() -> {
        try {
          for (Consumer consumer : consumers) {
            try {
              consumer.enqueue(message);
            } catch (RuntimeException e) {
              failed(consumer, e);
            }
          }
        } finally {
          message.release();
        }
      });
    } catch (RejectedExecutionException e) {
      message.release(); // the loop is shutting down: its players are going away too
    }
  }

  /** On the publisher's loop: the publisher left; with {@code playersToo} false only followers see the end. */
  void dispatchEnd(boolean playersToo) {
    try {
      loop.execute(() -> {
        for (Consumer consumer : consumers) {
          try {
            if (!playersToo && !consumer.isFollower()) {
              consumer.drain(); // what is queued of the interrupted publish goes out before the next one's
              continue;
            }
            consumer.end();
          } catch (RuntimeException e) {
            failed(consumer, e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      // the loop is shutting down
    }
  }

  /** One player's fault (a sink that threw) must not cost the others the message: it is logged and skipped. */
  private static void failed(Consumer consumer, RuntimeException e) {
    FAILED.log("a player failed to take a message; the others go on", e);
  }

  void attach(Consumer consumer, List<StreamMessage> backlog) {
    if (consumer.isClosed()) {
      backlog.forEach(StreamMessage::release); // the player left while its backlog was on the way
      return;
    }
    Consumer[] next = Arrays.copyOf(consumers, consumers.length + 1);
    next[next.length - 1] = consumer;
    consumers = next;
    consumer.start(backlog);
  }

  void detach(Consumer consumer) {
    consumers = Arrays.stream(consumers).filter(c -> c != consumer).toArray(Consumer[]::new);
  }
}
