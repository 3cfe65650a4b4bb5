package io.estuary.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Fails a test class when Netty's leak detector (run at {@code paranoid} by the build) reports a leaked buffer
 * during it. Registered for every test class through JUnit's extension auto-detection.
 *
 * <p>Netty reports leaks through its logger ({@code io.netty.util.ResourceLeakDetector}, on java.util.logging
 * here) when a leaked buffer has been garbage collected and a later allocation polls the detector's queue;
 * after each class this forces a collection and allocations, then checks what was reported.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {

  private static final Logger NETTY_LEAKS = Logger.getLogger("io.netty.util.ResourceLeakDetector");
  private static final List<String> LEAKS = new ArrayList<>();
  private static final Handler RECORDER = new Handler() {
    @Override
    public void publish(LogRecord record) {
      String message = record.getMessage();
      if (message != null && message.contains("LEAK")) {
        synchronized (LEAKS) {
          LEAKS.add(message);
        }
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  static {
    NETTY_LEAKS.addHandler(RECORDER);
    NETTY_LEAKS.setLevel(Level.ALL);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    synchronized (LEAKS) {
      LEAKS.clear();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
      // No event says the GC has enqueued the collected buffers' references: give its reference handler a moment.
      Thread.sleep(50);
      // Leak reports are emitted when a tracked allocation polls the reference queue.
      for (int j = 0; j < 64; j++) {
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        pooled.release();
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        unpooled.release();
      }
    }
    synchronized (LEAKS) {
      if (!LEAKS.isEmpty()) {
        String first = LEAKS.get(0);
        int n = LEAKS.size();
        LEAKS.clear();
        throw new AssertionError(n + " Netty buffer leak report(s) during " + context.getDisplayName() + ":\n" + first);
      }
    }
  }
}
