package io.estuary.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The consumers of one source on one event loop. The publisher hands each message to each relay once, as one
 * task on the relay's loop; the relay appends it to its local consumers. So a message crosses threads once per
 * event loop, not once per player.
 *
 * <p>{@link #consumers} and {@link #members} are accessed exclusively from {@link #loop}.
 */
final class Relay {

  final Executor loop;
  private final ArrayList<Consumer> consumers = new ArrayList<>();
  /** Consumers attached or attaching: the relay stays registered while this is positive. */
  int members;

  Relay(Executor loop) {
    this.loop = loop;
  }

  /** On the publisher's loop: one task for all of this loop's consumers. */
  void dispatch(StreamMessage message) {
    message.retain();
    loop.execute(() -> {
      try {
        for (int i = 0, n = consumers.size(); i < n; i++) {
          consumers.get(i).enqueue(message);
        }
      } finally {
        message.release();
      }
    });
  }

  /** On the publisher's loop: the publisher left. */
  void dispatchEnd() {
    loop.execute(() -> {
      for (int i = 0, n = consumers.size(); i < n; i++) {
        consumers.get(i).end();
      }
    });
  }

  void attach(Consumer consumer, List<StreamMessage> backlog) {
    if (consumer.isClosed()) {
      backlog.forEach(StreamMessage::release); // the player left while its backlog was on the way
      return;
    }
    consumers.add(consumer);
    consumer.start(backlog);
  }

  boolean detach(Consumer consumer) {
    return consumers.remove(consumer);
  }
}
