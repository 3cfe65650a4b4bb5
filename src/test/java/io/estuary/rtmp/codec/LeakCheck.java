package io.estuary.rtmp.codec;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Fails a test when Netty's leak detector reports a buffer that was garbage-collected unreleased. Netty logs
 * through java.util.logging here (no SLF4J provider on the test class path), so a handler on the detector's
 * logger sees every report. After each test we collect garbage and allocate a few buffers: the detector only
 * looks for leaks when it tracks a new buffer.
 */
final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
  private static final Logger DETECTOR_LOG = Logger.getLogger("io.netty.util.ResourceLeakDetector");
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    DETECTOR_LOG.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue() && String.valueOf(record.getMessage()).contains("LEAK")) {
          LEAKS.add(record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    });
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LEAKS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    for (int round = 0; round < 3 && LEAKS.isEmpty(); round++) {
      System.gc();
      Thread.sleep(20);
      for (ByteBufAllocator alloc : new ByteBufAllocator[] {PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT}) {
        for (int i = 0; i < 20; i++) {
          alloc.buffer(8).release();
        }
      }
    }
    if (!LEAKS.isEmpty()) {
      throw new AssertionError("Netty reported " + LEAKS.size() + " leaked buffer(s):\n" + LEAKS.get(0));
    }
  }
}
