package io.estuary.stream;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A consumer attached to a source, and the hold on that source that keeps it in the hub: what
 * {@link StreamHub#subscribe} gives. {@link #close()} detaches the consumer and gives the hold back, once, on the
 * consumer's loop; any thread may call it, any number of times.
 */
public final class Subscription implements AutoCloseable {

  private final Source source;
  private final Consumer consumer;
  private final AtomicBoolean closed = new AtomicBoolean();

  Subscription(Source source, Consumer consumer) {
    this.source = source;
    this.consumer = consumer;
  }

  public Source source() {
    return source;
  }

  public Consumer consumer() {
    return consumer;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Runnable detach = () -> {
      source.unsubscribe(consumer);
      source.release();
    };
    if (consumer.loop() instanceof EventExecutor loop && loop.inEventLoop()) {
      detach.run(); // at once: the connection stops being written to before it tidies up
      return;
    }
    try {
      consumer.loop().execute(detach);
    } catch (RejectedExecutionException e) {
      detach.run(); // the loop is shutting down: nothing else runs there any more
    }
  }
}
