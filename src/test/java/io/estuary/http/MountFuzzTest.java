package io.estuary.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.config.VhostConfig;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for HTTP stream paths: an {@code http_remux} mount (the input's first line) compiled as SRS reads it,
 * then matched against request paths (the other lines). Neither may throw: the mount comes from the configuration,
 * the paths from any HTTP client.
 */
@Timeout(10)
class MountFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void mountAndPath(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", -1);
    Mount mount = Mount.of(VhostConfig.defaults(), lines[0]);
    for (int i = 1; i < lines.length; i++) {
      mount.match(lines[i]);
    }
  }
}
