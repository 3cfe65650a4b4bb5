package io.estuary.node;

import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VertxDefaultsTest {

  @Test
  void oneEventLoopPerCoreAndSmallBlockingPools() {
    VertxOptions options = new VertxOptions(Estuary.withNodeDefaults(null));
    int cores = Runtime.getRuntime().availableProcessors();
    assertEquals(cores, options.getEventLoopPoolSize());
    assertTrue(options.getWorkerPoolSize() < VertxOptions.DEFAULT_WORKER_POOL_SIZE, "worker " + options.getWorkerPoolSize());
    assertTrue(options.getInternalBlockingPoolSize() < VertxOptions.DEFAULT_INTERNAL_BLOCKING_POOL_SIZE,
        "internal blocking " + options.getInternalBlockingPoolSize());
    assertTrue(options.getPreferNativeTransport());
  }

  @Test
  void optionsFromTheCommandLineWin() {
    JsonObject given = new JsonObject().put("eventLoopPoolSize", 7).put("workerPoolSize", 30).put("internalBlockingPoolSize", 25);
    VertxOptions options = new VertxOptions(Estuary.withNodeDefaults(given));
    assertEquals(7, options.getEventLoopPoolSize());
    assertEquals(30, options.getWorkerPoolSize());
    assertEquals(25, options.getInternalBlockingPoolSize());
  }
}
