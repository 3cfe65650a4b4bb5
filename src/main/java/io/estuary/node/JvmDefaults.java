package io.estuary.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The GC settings {@code java -jar estuary.jar} runs with when the user gave none: HotSpot <em>manageable</em> flags,
 * set at start through {@link HotSpotDiagnosticMXBean}, so the launcher needs no {@code -XX} options and no second
 * JVM (the pid file holds the pid of the java process the user started). A flag set by the user (command line,
 * {@code JAVA_TOOL_OPTIONS}, a flags file) is kept. Why these values: README.md, "JVM settings".
 */
final class JvmDefaults {

  /**
   * In the order they are set: {@code MinHeapFreeRatio} first, since HotSpot refuses a {@code MaxHeapFreeRatio} below
   * it. After a full GC or a concurrent cycle G1 shrinks the committed heap to at most 1/(1 - 0.20) of what is live
   * (HotSpot's 40/70 keep up to 3.3 times as much), and a GC every minute when there was none lets an idle node give
   * memory back.
   */
  static final List<Setting> SETTINGS = List.of(
      new Setting("MinHeapFreeRatio", "10"),
      new Setting("MaxHeapFreeRatio", "20"),
      new Setting("G1PeriodicGCInterval", "60000"));

  record Setting(String name, String value) {
  }

  private JvmDefaults() {
  }

  /** What {@link #apply} did: flags set, flags the user had set (kept), flags that could not be set and why. */
  record Outcome(List<String> applied, List<String> kept, List<String> skipped) {

    /** One log line. */
    String describe() {
      StringBuilder line = new StringBuilder("JVM settings: launcher defaults ")
          .append(applied.isEmpty() ? "none" : String.join(" ", applied));
      if (!kept.isEmpty()) {
        line.append("; from the command line ").append(String.join(" ", kept));
      }
      if (!skipped.isEmpty()) {
        line.append("; not applied ").append(String.join(", ", skipped));
      }
      return line.toString();
    }
  }

  /** Applies the defaults to this JVM. */
  static Outcome apply() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (vm == null) {
      return new Outcome(List.of(), List.of(), List.of("all (not a HotSpot JVM)"));
    }
    return apply(vm);
  }

  static Outcome apply(HotSpotDiagnosticMXBean vm) {
    List<String> applied = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    boolean g1 = "true".equals(value(vm, "UseG1GC"));
    for (Setting setting : SETTINGS) {
      String name = setting.name();
      String wanted = setting.value();
      VMOption option;
      try {
        option = vm.getVMOption(name);
      } catch (IllegalArgumentException e) {
        skipped.add(name + " (unknown to this JVM)");
        continue;
      }
      if (option.getOrigin() != VMOption.Origin.DEFAULT) {
        kept.add(name + "=" + option.getValue());
      } else if (name.startsWith("G1") && !g1) {
        skipped.add(name + " (not G1)");
      } else {
        try {
          vm.setVMOption(name, wanted);
          applied.add(name + "=" + wanted);
        } catch (IllegalArgumentException | SecurityException e) {
          // e.g. MaxHeapFreeRatio below a MinHeapFreeRatio the user chose
          skipped.add(name + "=" + wanted + " (" + e.getMessage() + ")");
        }
      }
    }
    return new Outcome(List.copyOf(applied), List.copyOf(kept), List.copyOf(skipped));
  }

  private static String value(HotSpotDiagnosticMXBean vm, String name) {
    try {
      return vm.getVMOption(name).getValue();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
