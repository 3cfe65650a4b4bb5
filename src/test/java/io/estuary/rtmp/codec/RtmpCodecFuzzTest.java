package io.estuary.rtmp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.testing.FuzzChannel;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

/**
 * Fuzz targets for what a client sends first: the handshake (simple and digest) followed by chunks, and the chunk
 * stream alone (every header form, extended timestamps, chunk size changes, aborts, aggregates, the AMF bodies of
 * commands). Each input's first byte says how the rest arrives: 0 in one read, n in reads of 7n bytes.
 * Only {@link RtmpException} may escape, every buffer must be released, and nothing allocated beyond the input's size.
 */
@Timeout(10)
class RtmpCodecFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void handshake(byte[] input) {
    FuzzChannel.decode(stream(input), pieceSize(input), RtmpException.class, String::valueOf,
        new HandshakeHandler(0), new ChunkCodec());
  }

  @FuzzTest(maxDuration = "2m")
  void chunkStream(byte[] input) {
    FuzzChannel.decode(stream(input), pieceSize(input), RtmpException.class, String::valueOf, new ChunkCodec());
  }

  static int pieceSize(byte[] input) {
    int n = input.length == 0 ? 0 : input[0] & 0xFF;
    return n == 0 ? Integer.MAX_VALUE : 7 * n;
  }

  static byte[] stream(byte[] input) {
    return input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
  }
}
