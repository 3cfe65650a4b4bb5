package io.estuary.node;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmDefaultsTest {

  @Test
  void thisJvmRunsWithTheLauncherDefaultsAfterApply() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    Map<String, VMOption> before = new HashMap<>();
    for (String name : List.of("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval")) {
      before.put(name, vm.getVMOption(name));
    }
    try {
      JvmDefaults.Outcome outcome = JvmDefaults.apply();
      boolean g1 = "true".equals(vm.getVMOption("UseG1GC").getValue());
      for (VMOption option : before.values()) {
        if (option.getOrigin() != VMOption.Origin.DEFAULT) {
          continue; // this test JVM was started with the flag: kept, as checked below
        }
        if (option.getName().startsWith("G1") && !g1) {
          continue;
        }
        String expected = JvmDefaults.SETTINGS.stream().filter(s -> s.name().equals(option.getName())).findFirst()
            .orElseThrow().value();
        assertEquals(expected, vm.getVMOption(option.getName()).getValue(), option.getName());
        assertEquals(VMOption.Origin.MANAGEMENT, vm.getVMOption(option.getName()).getOrigin());
        assertTrue(outcome.applied().contains(option.getName() + "=" + expected), outcome.describe());
      }
    } finally {
      // Back to what the other tests in this JVM had (the maximum first: HotSpot keeps min <= max at every step).
      vm.setVMOption("MaxHeapFreeRatio", before.get("MaxHeapFreeRatio").getValue());
      vm.setVMOption("MinHeapFreeRatio", before.get("MinHeapFreeRatio").getValue());
      vm.setVMOption("G1PeriodicGCInterval", before.get("G1PeriodicGCInterval").getValue());
    }
  }

  @Test
  void aFlagTheUserSetIsKeptAndTheOthersApplied() {
    FakeVm vm = new FakeVm(Map.of("MaxHeapFreeRatio", VMOption.Origin.VM_CREATION), "50");
    JvmDefaults.Outcome outcome = JvmDefaults.apply(vm);
    assertEquals("50", vm.value("MaxHeapFreeRatio"));
    assertEquals("10", vm.value("MinHeapFreeRatio"));
    assertEquals("60000", vm.value("G1PeriodicGCInterval"));
    assertEquals("JVM settings: launcher defaults MinHeapFreeRatio=10 G1PeriodicGCInterval=60000; "
        + "from the command line MaxHeapFreeRatio=50", outcome.describe());
  }

  @Test
  void aFlagFromJavaToolOptionsIsKeptToo() {
    FakeVm vm = new FakeVm(Map.of("G1PeriodicGCInterval", VMOption.Origin.ENVIRON_VAR), "0");
    JvmDefaults.apply(vm);
    assertEquals("0", vm.value("G1PeriodicGCInterval"), "the user turned periodic GCs off");
  }

  @Test
  void aDefaultThatContradictsTheUsersFlagIsReportedNotForced() {
    FakeVm vm = new FakeVm(Map.of("MinHeapFreeRatio", VMOption.Origin.VM_CREATION), "50");
    JvmDefaults.Outcome outcome = JvmDefaults.apply(vm);
    assertEquals("70", vm.value("MaxHeapFreeRatio"), "HotSpot's default stays");
    assertEquals(List.of("MinHeapFreeRatio=50"), outcome.kept());
    assertTrue(outcome.describe().contains("not applied MaxHeapFreeRatio=20 ("), outcome.describe());
  }

  @Test
  void g1FlagsAreLeftAloneUnderAnotherCollector() {
    FakeVm vm = new FakeVm(Map.of(), null);
    vm.options.put("UseG1GC", new VMOption("UseG1GC", "false", false, VMOption.Origin.VM_CREATION));
    JvmDefaults.Outcome outcome = JvmDefaults.apply(vm);
    assertEquals("0", vm.value("G1PeriodicGCInterval"));
    assertEquals(List.of("MinHeapFreeRatio=10", "MaxHeapFreeRatio=20"), outcome.applied());
  }

  /** HotSpot's flags as far as the launcher uses them, with HotSpot's check that min <= max. */
  private static final class FakeVm implements HotSpotDiagnosticMXBean {
    final Map<String, VMOption> options = new HashMap<>();

    FakeVm(Map<String, VMOption.Origin> userSet, String userValue) {
      put("MinHeapFreeRatio", "40", VMOption.Origin.DEFAULT);
      put("MaxHeapFreeRatio", "70", VMOption.Origin.DEFAULT);
      put("G1PeriodicGCInterval", "0", VMOption.Origin.DEFAULT);
      options.put("UseG1GC", new VMOption("UseG1GC", "true", false, VMOption.Origin.ERGONOMIC));
      userSet.forEach((name, origin) -> put(name, userValue, origin));
    }

    private void put(String name, String value, VMOption.Origin origin) {
      options.put(name, new VMOption(name, value, true, origin));
    }

    String value(String name) {
      return options.get(name).getValue();
    }

    @Override
    public VMOption getVMOption(String name) {
      VMOption option = options.get(name);
      if (option == null) {
        throw new IllegalArgumentException("VM option \"" + name + "\" does not exist");
      }
      return option;
    }

    @Override
    public void setVMOption(String name, String value) {
      int v = Integer.parseInt(value);
      if (name.equals("MaxHeapFreeRatio") && v < Integer.parseInt(value("MinHeapFreeRatio"))
          || name.equals("MinHeapFreeRatio") && v > Integer.parseInt(value("MaxHeapFreeRatio"))) {
        throw new IllegalArgumentException("MinHeapFreeRatio must be <= MaxHeapFreeRatio");
      }
      put(name, value, VMOption.Origin.MANAGEMENT);
    }

    @Override
    public List<VMOption> getDiagnosticOptions() {
      return List.copyOf(options.values());
    }

    @Override
    public void dumpHeap(String outputFile, boolean live) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ObjectName getObjectName() {
      return null;
    }
  }
}
