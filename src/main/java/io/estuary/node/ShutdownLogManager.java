package io.estuary.node;

import java.util.logging.LogManager;

/**
 * java.util.logging's LogManager, but for the reset its own shutdown hook does: that hook runs alongside the
 * launcher's, which closes Vert.x and with it every listener and client, so without this the lines of a graceful stop
 * (SIGTERM: publishers asked to reconnect, clients closed) were lost. Estuary's handlers flush every record, so nothing
 * needs the reset at exit. Installed by {@link Estuary#main} through {@code java.util.logging.manager} before
 * anything logs.
 */
public final class ShutdownLogManager extends LogManager {

  public ShutdownLogManager() {
    super();
  }

  @Override
  public void reset() {
    if (!shuttingDown()) {
      super.reset();
    }
  }

  /** Whether the JVM runs its shutdown hooks: then no hook can be added. */
  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
