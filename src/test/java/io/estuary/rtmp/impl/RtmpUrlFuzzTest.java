package io.estuary.rtmp.impl;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for what a client names in connect, publish and play: the tcUrl, app and stream name (the input's
 * first three lines), resolved to host, vhost, app, stream and query parameters. Nothing may throw: these strings
 * come from any client before it is authenticated.
 */
@Timeout(10)
class RtmpUrlFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void urlAndQuery(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 3);
    String tcUrl = lines[0];
    String app = lines.length > 1 ? lines[1] : null;
    String stream = lines.length > 2 ? lines[2] : null;
    RtmpUrl url = RtmpUrl.parse(tcUrl, app, stream);
    RtmpUrl.query(url.param());
  }
}
