package io.estuary.dvr;

import io.estuary.log.RateLimitedLog;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

/**
 * Runs its tasks one after the other, in submission order, on a shared pool: one per recording, so that a file's
 * writes keep their order (and a segment is renamed before the next one's first write) while recordings of different
 * streams write in parallel, and no event loop ever waits for the disk.
 */
final class SerialExecutor implements Executor {

  /** A task that fails may fail for every frame. */
  private static final RateLimitedLog FAILED = new RateLimitedLog(Dvr.LOG, Level.WARNING, "dvr: disk tasks failed", 5);

  private final Executor pool;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      pool.execute(this::runAll);
    }
  }

  private void runAll() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          FAILED.log(() -> "dvr: disk task failed: " + e);
        }
      }
    } finally {
      scheduled.set(false);
    }
    if (!tasks.isEmpty()) {
      schedule(); // added after the last poll, before the flag was cleared
    }
  }
}
