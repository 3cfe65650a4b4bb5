package io.estuary.rtmp;

import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a player receives, message by message: metadata and sequence headers first, then the gop cache from a
 * keyframe; a player that comes before the publisher waits and starts when the stream is published.
 */
class RtmpPlayerJoinTest {

  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void midStreamJoinGetsHeadersThenKeyframeWithinOneGop() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/join"));
    try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live")) {
      node.awaitPublished("live/join");
      node.awaitFrames("live/join", 78); // mid-GOP: 3.1 s into the stream, keyframes every 2 s
      long playAt = System.nanoTime();
      player.play("join");
      assertStartsDecodable(player, playAt);
    } finally {
      publisher.stop();
    }
  }

  @Test
  void playerBeforePublisherStartsWhenPublished() throws Exception {
    try (TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("early")) {
      assertEquals(null, firstMedia(player, 1), "nothing to play before the publisher");
      long publishAt = System.nanoTime();
      Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/early"));
      try {
        assertStartsDecodable(player, publishAt);
      } finally {
        publisher.stop();
      }
    }
  }

  /** Metadata, then the sequence headers, then a keyframe, arriving within one GOP (2 s) of {@code since}. */
  private static void assertStartsDecodable(TestRtmpClient player, long since) throws Exception {
    TestRtmpClient.Received metadata = firstMedia(player, 10);
    assertNotNull(metadata, "metadata arrives");
    assertTrue(metadata.message() instanceof DataMessage d && "onMetaData".equals(d.name()), "first comes onMetaData: " + metadata);
    TestRtmpClient.Received video = firstMedia(player, 10);
    assertEquals(RtmpMessage.TYPE_VIDEO, video.type());
    assertTrue(video.sequenceHeader(), "then the AVC sequence header");
    TestRtmpClient.Received audio = firstMedia(player, 10);
    assertEquals(RtmpMessage.TYPE_AUDIO, audio.type());
    assertTrue(audio.sequenceHeader(), "then the AAC sequence header");
    TestRtmpClient.Received frame;
    do {
      frame = firstMedia(player, 10);
      assertNotNull(frame, "frames follow");
    } while (frame.type() != RtmpMessage.TYPE_VIDEO);
    assertTrue(frame.keyframe(), "the first picture is a keyframe");
    long waited = TimeUnit.NANOSECONDS.toMillis(frame.arrivedNanos() - since);
    assertTrue(waited < 2000 + 1000, "first picture within one GOP (+1 s for ffmpeg's start): " + waited + " ms");
  }

  /** The next audio, video or data message; null after {@code seconds}. */
  private static TestRtmpClient.Received firstMedia(TestRtmpClient player, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      TestRtmpClient.Received r = player.received.poll(50, TimeUnit.MILLISECONDS);
      if (r != null && (r.type() == RtmpMessage.TYPE_AUDIO || r.type() == RtmpMessage.TYPE_VIDEO
          || r.type() == RtmpMessage.TYPE_DATA_AMF0 && r.message() instanceof DataMessage d && "onMetaData".equals(d.name()))) {
        return r;
      }
    }
    return null;
  }
}
