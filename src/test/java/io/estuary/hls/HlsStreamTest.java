package io.estuary.hls;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The playlist: sliding window, media sequence, target duration, discontinuity on a new publisher. */
class HlsStreamTest {

  private static HlsStream.Segment segment(HlsStream stream, double duration) {
    long seq = stream.nextSequence();
    return new HlsStream.Segment(seq, "live/s-" + seq + ".ts", "s-" + seq + ".ts", duration, false, Buffer.buffer());
  }

  @Test
  void windowSlidesAndSequenceFollows() {
    HlsStream stream = new HlsStream("live/s.m3u8");
    stream.published();
    HlsStream.Update update = null;
    for (int i = 0; i < 5; i++) {
      update = stream.add(segment(stream, 2.0), 6.0);
    }
    String m3u8 = update.playlist();
    assertTrue(m3u8.startsWith("#EXTM3U\n"), m3u8);
    assertTrue(m3u8.contains("#EXT-X-MEDIA-SEQUENCE:2\n"), m3u8);
    assertTrue(m3u8.contains("#EXT-X-TARGETDURATION:2\n"), m3u8);
    assertEquals(3, m3u8.lines().filter(l -> l.endsWith(".ts")).count(), "6 s of 2 s segments: " + m3u8);
    assertEquals(1, update.dropped().size(), "the oldest left the window");
    assertFalse(m3u8.contains("DISCONTINUITY"));
  }

  @Test
  void aNewPublisherStartsWithADiscontinuity() {
    HlsStream stream = new HlsStream("live/s.m3u8");
    stream.published();
    stream.add(segment(stream, 2.0), 60);
    stream.published(); // the publisher came back
    String m3u8 = stream.add(segment(stream, 2.5), 60).playlist();
    assertTrue(m3u8.contains("#EXT-X-DISCONTINUITY\n#EXTINF:2.500, no desc\ns-1.ts"), m3u8);
    assertTrue(m3u8.contains("#EXT-X-TARGETDURATION:3\n"), "rounded up: " + m3u8);
  }
}
