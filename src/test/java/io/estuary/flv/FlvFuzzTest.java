package io.estuary.flv;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.testing.FuzzChannel;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

/**
 * Fuzz target for the FLV reader (HTTP-FLV ingest, FLV files) through {@link FlvDecoder}: header, tag framing and
 * PreviousTagSize checks, and each script tag's AMF0. The first byte of the input says how the rest arrives: 0 in one
 * read, n in reads of 7n bytes. Only {@link FlvFormatException} may escape, every buffer must be released, nothing
 * allocated beyond the input's size. Audio and video tag bodies are fuzzed on their own by MediaFuzzTest.
 */
@Timeout(10)
class FlvFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void flvStream(byte[] input) {
    int n = input.length == 0 ? 0 : input[0] & 0xFF;
    byte[] stream = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    FuzzChannel.decode(stream, n == 0 ? Integer.MAX_VALUE : 7 * n, FlvFormatException.class, FlvFuzzTest::inspect,
        new FlvDecoder());
  }

  private static void inspect(Object msg) {
    FlvTag tag = (FlvTag) msg;
    if (tag.isScript()) {
      try {
        ScriptData data = ScriptData.decode(tag.body());
        if (data.isMetaData()) {
          data.metadata();
        }
      } catch (FlvFormatException e) {
        // documented: not AMF0, or no name first
      }
    }
  }
}
