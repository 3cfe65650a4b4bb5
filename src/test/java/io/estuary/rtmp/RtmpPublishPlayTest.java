package io.estuary.rtmp;

import java.time.Duration;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real ffmpeg publishes; real ffmpeg and ffprobe play. The RTMP live path end to end. */
class RtmpPublishPlayTest {

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
  void threePlayersDecodeWhatIsPublished() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/three"));
    try {
      node.awaitPublished("live/three");
      String probe = Ffmpeg.probe(node.rtmp("live/three"), "-show_streams");
      JsonArray streams = new JsonObject(probe).getJsonArray("streams");
      JsonObject video = Ffmpeg.stream(streams, "video");
      JsonObject audio = Ffmpeg.stream(streams, "audio");
      assertEquals("h264", video.getString("codec_name"));
      assertEquals(640, video.getInteger("width"));
      assertEquals(360, video.getInteger("height"));
      assertEquals("aac", audio.getString("codec_name"));
      assertEquals("44100", audio.getString("sample_rate"));
      assertEquals(2, audio.getInteger("channels"));

      double seconds = 8;
      List<Ffmpeg.Run> players = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        players.add(Ffmpeg.play(node.rtmp("live/three"), seconds));
      }
      Ffmpeg.assertDecoded(players, seconds);
      assertTrue(publisher.isAlive(), "publisher still live: " + publisher.stderr());
    } finally {
      publisher.stop();
    }
  }

  @Test
  void lateJoinerStartsAtAKeyframe() throws Exception {
    Ffmpeg.Run publisher = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmp("live/late"));
    try {
      node.awaitPublished("live/late");
      node.awaitFrames("live/late", 78); // mid-GOP: 3.1 s into the stream, keyframes come every 2 s
      String frames = Ffmpeg.probe(node.rtmp("live/late"), "-select_streams", "v", "-read_intervals", "%+#5",
          "-show_entries", "frame=key_frame,pict_type,pts_time");
      JsonArray list = new JsonObject(frames).getJsonArray("frames");
      assertEquals(5, list.size(), frames);
      JsonObject first = list.getJsonObject(0);
      assertEquals(1, first.getInteger("key_frame"), "first decoded frame is a keyframe: " + first);
      assertEquals("I", first.getString("pict_type"));
    } finally {
      publisher.stop();
    }
  }

  @Test
  void publisherLeavesThenRepublishes() throws Exception {
    String url = node.rtmp("live/again");
    Ffmpeg.Run first = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), url);
    Ffmpeg.Run player = null;
    try {
      node.awaitPublished("live/again");
      player = Ffmpeg.play(url, 0);

      // A second publisher on a live stream is refused, and the first goes on.
      Ffmpeg.Run duplicate = Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), url);
      assertTrue(duplicate.waitFor(20), "duplicate publisher should be refused");
      assertNotEquals(0, duplicate.exitCode(), duplicate.stderr());
      assertTrue(first.isAlive(), "first publisher still live: " + first.stderr());

      Ffmpeg.Run playing = player;
      Await.until(Duration.ofSeconds(20), () -> playing.frames() > 0,
          () -> "the player decodes while the stream is live: " + playing.stderr());

      // The publisher leaves: the player sees the end of the stream and exits by itself.
      first.stop();
      assertTrue(player.waitFor(15), "player should see the stream end");
      assertEquals(0, player.exitCode(), player.stderr());
      node.awaitUnpublished("live/again");

      // The same key can be published again.
      first = Ffmpeg.publish(Ffmpeg.media("h264-only.flv"), url);
      node.awaitPublished("live/again");
      JsonArray streams = new JsonObject(Ffmpeg.probe(url, "-show_streams")).getJsonArray("streams");
      assertEquals("h264", Ffmpeg.stream(streams, "video").getString("codec_name"));
    } finally {
      first.stop();
      if (player != null) {
        player.stop();
      }
    }
  }
}
