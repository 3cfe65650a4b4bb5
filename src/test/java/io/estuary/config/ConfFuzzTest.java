package io.estuary.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzz target for reading an SRS .conf as {@code estuary -c} does: lexer, parser, the SRS normalization and the typed
 * {@link NodeConfig}. Only what the command line reports may escape: {@link ConfException} (file, line, reason) and
 * IllegalArgumentException (an unusable value, from {@link NodeConfig#from}). Includes resolve in an empty directory.
 */
@Timeout(10)
class ConfFuzzTest {

  private static final Path EMPTY_DIR = emptyDir();

  @FuzzTest(maxDuration = "2m")
  void srsConf(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    try {
      NodeConfig.from(SrsConf.read(text, "fuzz.conf", EMPTY_DIR, Map.of()).config());
    } catch (ConfException | IllegalArgumentException e) {
      // documented
    }
  }

  private static Path emptyDir() {
    try {
      Path dir = Files.createTempDirectory("conf-fuzz");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
