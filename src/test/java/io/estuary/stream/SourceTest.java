package io.estuary.stream;

import io.estuary.config.VhostConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executor;

import static io.estuary.stream.StreamMessages.audio;
import static io.estuary.stream.StreamMessages.audioHeader;
import static io.estuary.stream.StreamMessages.interframe;
import static io.estuary.stream.StreamMessages.keyframe;
import static io.estuary.stream.StreamMessages.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source with its publisher and players all on one (direct) executor. */
class SourceTest {

  private static final Executor LOOP = Runnable::run;
  private static final StreamKey KEY = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "s");

  private static PlayOptions play(JsonObject json) {
    return VhostConfig.play(json.put("time_jitter", "off").put("mw_latency", 0).put("mw_msgs", 0), false);
  }

  @Test
  void aSecondPublisherIsRefused() {
    StreamHub hub = new StreamHub();
    Source source = hub.acquire(KEY);
    assertTrue(source.startPublish(LOOP, PlayOptions.defaults(), true, "test"));
    assertFalse(hub.acquire(KEY).startPublish(LOOP, PlayOptions.defaults(), true, "test"), "StreamBusy");
    source.stopPublish();
    assertTrue(source.startPublish(LOOP, PlayOptions.defaults(), true, "test"), "free again once the first left");
    source.stopPublish();
  }

  @Test
  void lateConsumerGetsHeadersThenTheGop() {
    StreamHub hub = new StreamHub();
    Source source = hub.acquire(KEY);
    PlayOptions options = play(new JsonObject());
    source.startPublish(LOOP, options, true, "test");
    publish(source, videoHeader(0), audioHeader(0), keyframe(0), audio(10), interframe(40), keyframe(80), interframe(120));
    ConsumerTest.RecordingSink sink = new ConsumerTest.RecordingSink();
    Consumer consumer = new Consumer(LOOP, sink, options);
    source.subscribe(consumer);
    assertEquals(java.util.List.of(0L, 0L, 80L, 120L), sink.written, "sequence headers, then the gop from its keyframe");
    publish(source, interframe(160));
    assertEquals(160L, sink.written.get(4), "then live");
    source.stopPublish();
    assertTrue(sink.ended);
    source.unsubscribe(consumer);
  }

  @Test
  void demandCountsPlayersNotFollowersAndAnInterruptionEndsOnlyFollowers() {
    StreamHub hub = new StreamHub();
    java.util.List<Integer> notices = new java.util.ArrayList<>();
    hub.addListener(new SourceListener() {
      @Override
      public void demandChanged(Source source) {
        notices.add(source.demand());
      }
    });
    PlayOptions options = play(new JsonObject());
    ConsumerTest.RecordingSink follower = new ConsumerTest.RecordingSink();
    Subscription hls = hub.follow(KEY, new Consumer(LOOP, follower, options));
    Source source = hls.source();
    assertEquals(0, source.demand(), "a follower does not ask for the stream");
    ConsumerTest.RecordingSink player = new ConsumerTest.RecordingSink();
    Subscription playing = hub.subscribe(KEY, new Consumer(LOOP, player, options));
    Subscription second = hub.subscribe(KEY, new Consumer(LOOP, new ConsumerTest.RecordingSink(), options));
    assertEquals(java.util.List.of(1), notices, "told once, at the first player");
    source.startPublish(LOOP, options, true, "upstream");
    publish(source, videoHeader(0), keyframe(0));
    source.interruptPublish();
    assertTrue(follower.ended, "HLS sees the end of the interrupted publish");
    assertFalse(player.ended, "the player stays");
    assertTrue(source.startPublish(LOOP, options, true, "upstream again"));
    publish(source, videoHeader(0), keyframe(0));
    assertEquals(4, player.written.size(), "the player gets the next publish: " + player.written);
    second.close();
    playing.close();
    assertEquals(java.util.List.of(1, 0), notices, "told again when the last player left");
    source.stopPublish();
    hls.close();
  }

  @Test
  void reduceSequenceHeaderDropsRepeatsOnly() {
    StreamHub hub = new StreamHub();
    Source source = hub.acquire(KEY);
    PlayOptions options = play(new JsonObject().put("reduce_sequence_header", true));
    source.startPublish(LOOP, options, true, "test");
    ConsumerTest.RecordingSink sink = new ConsumerTest.RecordingSink();
    Consumer consumer = new Consumer(LOOP, sink, options);
    source.subscribe(consumer);
    publish(source, videoHeader(0), keyframe(0), videoHeader(40), interframe(40));
    assertEquals(3, sink.written.size(), "the identical second sequence header is not sent: " + sink.written);
    source.stopPublish();
    source.unsubscribe(consumer);
  }

  @Test
  void mixCorrectSendsAudioAndVideoInTimestampOrder() {
    StreamHub hub = new StreamHub();
    Source source = hub.acquire(KEY);
    PlayOptions options = play(new JsonObject().put("mix_correct", true));
    source.startPublish(LOOP, options, true, "test");
    ConsumerTest.RecordingSink sink = new ConsumerTest.RecordingSink();
    Consumer consumer = new Consumer(LOOP, sink, options);
    source.subscribe(consumer);
    // An encoder that sends video ahead of audio.
    publish(source, keyframe(0), interframe(40), interframe(80), audio(10), audio(30), audio(50), audio(70), audio(90));
    for (int i = 1; i < sink.written.size(); i++) {
      assertTrue(sink.written.get(i) >= sink.written.get(i - 1), "monotonic: " + sink.written);
    }
    source.stopPublish();
    source.unsubscribe(consumer);
  }

  @Test
  void atcKeepsThePublishersTime() {
    StreamHub hub = new StreamHub();
    Source source = hub.acquire(KEY);
    PlayOptions options = VhostConfig.play(new JsonObject().put("atc", true).put("mw_latency", 0).put("mw_msgs", 0), false);
    source.startPublish(LOOP, options, true, "test");
    ConsumerTest.RecordingSink sink = new ConsumerTest.RecordingSink();
    Consumer consumer = new Consumer(LOOP, sink, options);
    source.subscribe(consumer);
    publish(source, keyframe(90_000), interframe(90_040));
    assertEquals(java.util.List.of(90_000L, 90_040L), sink.written, "time_jitter full is off under atc");
    source.stopPublish();
    source.unsubscribe(consumer);
  }

  private static void publish(Source source, StreamMessage... messages) {
    for (StreamMessage m : messages) {
      source.publish(m);
    }
  }
}
