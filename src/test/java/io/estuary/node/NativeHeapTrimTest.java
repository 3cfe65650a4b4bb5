package io.estuary.node;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeHeapTrimTest {

  @Test
  void trimsTheNativeHeapAndReportsWhatItGaveBack() throws Exception {
    String report = NativeHeapTrim.trimNow();
    // glibc on Linux (this project's platform): the JVM says how RSS changed
    assertTrue(report.startsWith("Trim native heap: RSS+Swap: "), report);
  }
}
