package io.estuary.rtmp;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvReader;
import io.estuary.flv.FlvTag;
import io.estuary.media.FlvTags;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.stream.Jitter;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.estuary.testing.Await;
import io.estuary.testing.Ffmpeg;
import io.estuary.testing.TestNode;
import io.estuary.testing.TestRtmpClient;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a publisher whose timestamps start 10 s before 2^32 ms passes the wrap (and is past 2^24 ms all along);
 * players keep decoding with monotonic timestamps under every {@code time_jitter}: a {@link RtmpClient} player,
 * ffprobe decoding the RTMP stream, and ffprobe reading HTTP-FLV.
 *
 * <p>Monotonic, per track: with {@code full} and {@code zero} the player's time starts near 0 and only goes up; with
 * {@code off} the player gets the publisher's own 32-bit time, which wraps at 2^32 as RTMP defines it (each timestamp
 * after the last modulo 2^32, by less than 2^31), and which FFmpeg unwraps: ffprobe's timestamps only go up.
 */
class TimestampWrapTest {

  private static final long WRAP = 1L << 32;
  /** The publisher's first timestamp: the wrap comes 10 s into the 20 s test media. */
  private static final long START = WRAP - 10_000;
  /** The publisher sends media this many times faster than real time. */
  private static final int SPEED = 4;
  /** Smaller than most video frames, so that the shared chunked body and its format 1 headers are used. */
  private static final int CHUNK_SIZE = 4096;
  private static final String STREAM = "live/wrap";

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private record Tag(int type, long timestamp, io.netty.buffer.ByteBuf body) {
  }

  @ParameterizedTest
  @EnumSource(Jitter.Algorithm.class)
  void playersKeepDecodingAcrossTheWrapAt2To32(Jitter.Algorithm timeJitter) throws Exception {
    String mode = timeJitter.name().toLowerCase(Locale.ROOT);
    List<Tag> tags = readMedia();
    int sent = 0;
    try (TestNode node = TestNode.start(conf(mode))) {
      RtmpPublishSession publishing = RtmpClient.create(vertx, new RtmpClientOptions().setChunkSize(CHUNK_SIZE))
          .publish(node.rtmp(STREAM)).await(10, TimeUnit.SECONDS);
      Map<String, Object> metadata = new HashMap<>();
      metadata.put("width", 640.0);
      metadata.put("height", 360.0);
      publishing.writeMetadata(metadata); // at 0, 10 s after the media's first timestamp modulo 2^32

      // The first GOP, then the players, so that each sees the whole stream from its first keyframe on.
      int secondKeyframe = keyframeAfter(tags, keyframeAfter(tags, -1));
      long firstGopFrames = 0;
      for (; sent < secondKeyframe; sent++) {
        firstGopFrames += send(publishing, tags.get(sent)) ? 1 : 0;
      }
      node.awaitFrames(STREAM, firstGopFrames);

      TestRtmpClient player = TestRtmpClient.connect(node.rtmpPort, "live").play("wrap");
      Ffmpeg.Run rtmpProbe = Ffmpeg.start(List.of("ffprobe", "-v", "error", "-rw_timeout", "15000000", "-of", "json",
          "-show_entries", "frame=media_type,best_effort_timestamp", "-show_frames", node.rtmp(STREAM)));
      Ffmpeg.Run flvProbe = Ffmpeg.start(List.of("ffprobe", "-v", "error", "-rw_timeout", "15000000", "-of", "json",
          "-show_entries", "packet=codec_type,dts", "-show_packets", node.http(STREAM + ".flv")));
      try {
        Source source = node.node.hub().get(new StreamKey(StreamKey.DEFAULT_VHOST, "live", "wrap"));
        Await.until(Duration.ofSeconds(20), () -> source.consumerCount() >= 3, () -> "three players of " + STREAM);

        sent = pump(publishing, tags, sent);
        publishing.close().await(10, TimeUnit.SECONDS);

        Map<Integer, List<Long>> played = untilUnpublished(player);
        assertPlayed(timeJitter, played.get(RtmpMessage.TYPE_VIDEO), "RTMP video");
        assertPlayed(timeJitter, played.get(RtmpMessage.TYPE_AUDIO), "RTMP audio");

        JsonArray frames = probed(rtmpProbe).getJsonArray("frames");
        List<Long> video = timestamps(frames, "media_type", "video", "best_effort_timestamp");
        assertIncreasingOver15Seconds(video, "ffprobe RTMP, decoded video");
        assertTrue(video.size() >= 0.9 * Ffmpeg.FPS * 18, "decoded " + video.size() + " of ~500 video frames");
        assertIncreasingOver15Seconds(timestamps(frames, "media_type", "audio", "best_effort_timestamp"),
            "ffprobe RTMP, decoded audio");

        JsonArray packets = probed(flvProbe).getJsonArray("packets");
        assertIncreasingOver15Seconds(timestamps(packets, "codec_type", "video", "dts"), "ffprobe HTTP-FLV, video");
        assertIncreasingOver15Seconds(timestamps(packets, "codec_type", "audio", "dts"), "ffprobe HTTP-FLV, audio");
      } finally {
        player.close();
        rtmpProbe.stop();
        flvProbe.stop();
      }
    } finally {
      for (int i = sent; i < tags.size(); i++) {
        tags.get(i).body().release();
      }
    }
  }

  private static JsonObject conf(String timeJitter) {
    return new JsonObject()
        .put("http_server", new JsonObject().put("enabled", true).put("dir", "target/test-www"))
        .put("vhosts", new JsonObject().put("__defaultVhost__", new JsonObject()
            .put("chunk_size", CHUNK_SIZE)
            .put("play", new JsonObject().put("time_jitter", timeJitter))
            .put("http_remux", new JsonObject().put("enabled", true).put("mount", new JsonArray()
                .add("[vhost]/[app]/[stream].flv")))));
  }

  /** The test media's audio and video tags, read with the production FLV reader, stamped from {@link #START} on. */
  private static List<Tag> readMedia() throws Exception {
    List<Tag> tags = new ArrayList<>();
    try (FlvFile file = FlvFile.open(Ffmpeg.media("h264-aac-640x360.flv"), PooledByteBufAllocator.DEFAULT,
        FlvReader.DEFAULT_MAX_TAG_SIZE)) {
      while (file.hasNext()) {
        FlvTag tag = file.next();
        if (tag.isAudio() || tag.isVideo()) {
          tags.add(new Tag(tag.type(), (START + tag.timestamp()) & 0xFFFFFFFFL, tag.body()));
        } else {
          tag.release();
        }
      }
    }
    return tags;
  }

  /** The index of the first video keyframe (not a sequence header) after {@code index}. */
  private static int keyframeAfter(List<Tag> tags, int index) {
    for (int i = index + 1; i < tags.size(); i++) {
      Tag tag = tags.get(i);
      if (tag.type() == FlvTags.TAG_VIDEO && FlvTags.isKeyframe(tag.body()) && !FlvTags.isVideoSequenceHeader(tag.body())) {
        return i;
      }
    }
    throw new AssertionError("no keyframe after tag " + index + " in the test media");
  }

  /** Sends {@code tag} (its body's reference goes with it); true for a video frame. */
  private static boolean send(RtmpPublishSession publishing, Tag tag) {
    if (tag.type() == FlvTags.TAG_VIDEO) {
      boolean frame = !FlvTags.isVideoSequenceHeader(tag.body());
      publishing.writeVideo(tag.timestamp(), tag.body());
      return frame;
    }
    publishing.writeAudio(tag.timestamp(), tag.body());
    return false;
  }

  /** Sends the tags from {@code from} on at {@link #SPEED} times their own pace; returns how many have been sent. */
  private static int pump(RtmpPublishSession publishing, List<Tag> tags, int from) throws Exception {
    Promise<Integer> done = Promise.promise();
    long first = tags.get(from).timestamp();
    long startNanos = System.nanoTime();
    int[] next = {from};
    vertx.setPeriodic(20, id -> {
      long due = (System.nanoTime() - startNanos) / 1_000_000 * SPEED;
      while (next[0] < tags.size() && !publishing.writeQueueFull()
          && (tags.get(next[0]).timestamp() - first & 0xFFFFFFFFL) <= due) {
        send(publishing, tags.get(next[0]++));
      }
      if (next[0] == tags.size()) {
        vertx.cancelTimer(id);
        done.complete(next[0]);
      }
    });
    try {
      return done.future().await(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the publisher sent " + next[0] + " of " + tags.size() + " tags in 60 s", e);
    }
  }

  /** The media timestamps the player received by track type, until the server said the publisher left. */
  private static Map<Integer, List<Long>> untilUnpublished(TestRtmpClient player) throws InterruptedException {
    Map<Integer, List<Long>> played = new HashMap<>();
    played.put(RtmpMessage.TYPE_AUDIO, new ArrayList<>());
    played.put(RtmpMessage.TYPE_VIDEO, new ArrayList<>());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      TestRtmpClient.Received r = player.next(1);
      if (r == null) {
        continue;
      }
      if (r.message() instanceof CommandMessage c && c.toString().contains("NetStream.Play.UnpublishNotify")) {
        return played;
      }
      List<Long> track = played.get(r.type());
      if (track != null && !r.sequenceHeader()) {
        track.add(r.timestamp());
      }
    }
    throw new AssertionError("no NetStream.Play.UnpublishNotify within 30 s; received " + played.get(9).size() + " video");
  }

  /**
   * An RTMP player's timestamps of one track: each after the last by less than 2^31 modulo 2^32 (RTMP spec 3), video
   * by one frame (40 ms) each time, the wrap included, over at least 15 s (past the publisher's wrap at 10 s);
   * near 0 from the start with full and zero, the publisher's own with off.
   */
  private static void assertPlayed(Jitter.Algorithm timeJitter, List<Long> timestamps, String what) {
    assertTrue(timestamps.size() > 100, what + ": " + timestamps.size() + " messages");
    long first = timestamps.get(0);
    if (timeJitter == Jitter.Algorithm.OFF) {
      assertTrue(first >= START, what + " starts with the publisher's time, not " + first);
    } else {
      assertTrue(first < 1000, what + " starts near 0 under time_jitter " + timeJitter + ", not at " + first);
    }
    long span = 0;
    for (int i = 1; i < timestamps.size(); i++) {
      long step = timestamps.get(i) - timestamps.get(i - 1) & 0xFFFFFFFFL;
      assertTrue(step < WRAP / 2, what + ": back from " + timestamps.get(i - 1) + " to " + timestamps.get(i));
      // The test media (FFmpeg's FLV) ends with an AVC end of sequence, at the last frame's time.
      if (what.endsWith("video") && i < timestamps.size() - 1) {
        assertEquals(40, step, what + ": one frame from " + timestamps.get(i - 1) + " to " + timestamps.get(i));
      }
      span += step;
    }
    assertTrue(span >= 15_000, what + " spans " + span + " ms");
    long last = timestamps.get(timestamps.size() - 1);
    if (timeJitter == Jitter.Algorithm.OFF) {
      assertTrue(last < 20_000, what + " wrapped at 2^32 as the publisher's did: ends at " + last);
    } else {
      assertTrue(last < 30_000, what + " stayed near 0: ends at " + last);
    }
  }

  private static JsonObject probed(Ffmpeg.Run probe) throws InterruptedException {
    assertTrue(probe.waitFor(30), "ffprobe ends when the publisher leaves: " + probe.stderr());
    assertEquals(0, probe.exitCode(), probe.stderr());
    return new JsonObject(probe.stdout());
  }

  private static List<Long> timestamps(JsonArray entries, String typeKey, String type, String timeKey) {
    List<Long> timestamps = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      if (type.equals(entry.getString(typeKey)) && entry.containsKey(timeKey)) {
        timestamps.add(entry.getLong(timeKey));
      }
    }
    return timestamps;
  }

  /** What ffprobe reports (FFmpeg unwraps 32-bit FLV time) only goes up, over at least 15 s. */
  private static void assertIncreasingOver15Seconds(List<Long> timestamps, String what) {
    assertTrue(timestamps.size() > 100, what + ": " + timestamps.size() + " timestamps");
    for (int i = 1; i < timestamps.size(); i++) {
      assertTrue(timestamps.get(i) > timestamps.get(i - 1) || what.endsWith("audio") && timestamps.get(i).equals(timestamps.get(i - 1)),
          what + ": from " + timestamps.get(i - 1) + " to " + timestamps.get(i) + " at " + i);
    }
    long span = timestamps.get(timestamps.size() - 1) - timestamps.get(0);
    assertTrue(span >= 15_000, what + " spans " + span + " ms");
  }
}
