package io.estuary.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vertx.core.Vertx;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What {@code -XX:TrimNativeHeapInterval=60000} does, from inside: once a minute the JVM's
 * {@code System.trim_native_heap} diagnostic command gives memory that glibc keeps after it was freed back to the
 * system. Media buffers are native memory; after many streams leave, RSS otherwise stays where the peak was
 * (BENCHMARKS.md, findings). The flag itself is not manageable, so the launcher cannot set it; a user who sets it
 * keeps the JVM's own trimming and this stays off.
 */
final class NativeHeapTrim {

  private static final Logger LOG = Logger.getLogger("io.estuary.node");
  static final long INTERVAL_MS = 60_000;
  private static final String FLAG = "TrimNativeHeapInterval";

  private NativeHeapTrim() {
  }

  /** Trims every {@link #INTERVAL_MS} on a worker thread, unless the user set {@code -XX:TrimNativeHeapInterval}. */
  static void start(Vertx vertx) {
    if (userSetFlag()) {
      return;
    }
    vertx.setPeriodic(INTERVAL_MS, id -> vertx.executeBlocking(NativeHeapTrim::trimNow, false).onFailure(e -> {
      vertx.cancelTimer(id); // not glibc, or not this JDK's command: nothing to do
      LOG.log(Level.FINE, "native heap trim unavailable: " + e.getMessage());
    }));
  }

  /** Trims now; the JVM's report, e.g. "Trim native heap: RSS+Swap: 534M->142M (-392M)". */
  static String trimNow() throws JMException {
    Object report = ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return String.valueOf(report).trim();
  }

  private static boolean userSetFlag() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    try {
      return vm != null && vm.getVMOption(FLAG).getOrigin() != com.sun.management.VMOption.Origin.DEFAULT;
    } catch (IllegalArgumentException e) {
      return false; // a JDK without the flag
    }
  }
}
