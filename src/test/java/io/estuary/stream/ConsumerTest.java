package io.estuary.stream;

import io.estuary.config.VhostConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.estuary.stream.StreamMessages.audio;
import static io.estuary.stream.StreamMessages.interframe;
import static io.estuary.stream.StreamMessages.keyframe;
import static io.estuary.stream.StreamMessages.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-player queue: merged writes, back-pressure, dropping whole GOPs past queue_length. */
class ConsumerTest {

  /** A sink that records what it is given, and whose writability the test controls. */
  static final class RecordingSink implements Consumer.Sink {
    final List<Long> written = new ArrayList<>();
    final List<Boolean> keyframes = new ArrayList<>();
    final List<Boolean> sequenceHeaders = new ArrayList<>();
    int flushes;
    boolean writable = true;
    boolean ended;

    public boolean writable() {
      return writable;
    }

    public void write(StreamMessage message, long timestamp) {
      written.add(timestamp);
      keyframes.add(message.isKeyframe());
      sequenceHeaders.add(message.isSequenceHeader());
      message.release();
    }

    public void flush() {
      flushes++;
    }

    public void streamEnded() {
      ended = true;
    }
  }

  @Test
  void mergedWritesWaitForMwMsgsAndMwLatency() {
    RecordingSink sink = new RecordingSink();
    Consumer consumer = new Consumer(Runnable::run, sink, options(30, 350, 8));
    for (int i = 0; i < 8; i++) {
      offer(consumer, interframe(i * 40L));
    }
    assertEquals(0, sink.written.size(), "8 messages over 280 ms: still waiting");
    offer(consumer, interframe(8 * 40L));
    offer(consumer, interframe(9 * 40L));
    assertEquals(10, sink.written.size(), "more than mw_msgs over mw_latency: one merged write");
    assertEquals(1, sink.flushes);
    consumer.close();
  }

  @Test
  void minLatencyWritesEachMessage() {
    RecordingSink sink = new RecordingSink();
    Consumer consumer = new Consumer(Runnable::run, sink, VhostConfig.play(null, true));
    offer(consumer, keyframe(0));
    offer(consumer, interframe(40));
    assertEquals(2, sink.written.size());
    assertEquals(2, sink.flushes);
    consumer.close();
  }

  @Test
  void slowPlayerDropsWholeGopsAndResumesAtAKeyframe() {
    RecordingSink sink = new RecordingSink();
    Consumer consumer = new Consumer(Runnable::run, sink, options(1, 0, 0));
    sink.writable = false;
    offer(consumer, videoHeader(0));
    for (int i = 0; i < 100; i++) { // 4 s at 25 fps, keyframe every 25 frames (1 s)
      offer(consumer, i % 25 == 0 ? keyframe(i * 40L) : interframe(i * 40L));
      offer(consumer, audio(i * 40L + 1));
    }
    assertTrue(consumer.dropped() > 0, "dropped while over queue_length");
    sink.writable = true;
    consumer.drain();
    assertTrue(sink.written.get(sink.written.size() - 1) - sink.written.get(1) <= 1000 + 40,
        "what is left spans at most queue_length: " + sink.written);
    // The sequence header survives the drop and the first picture after it is a keyframe.
    assertTrue(sink.sequenceHeaders.get(0), "the sequence header is kept");
    assertTrue(sink.keyframes.get(1), "resumes at a keyframe");
    consumer.close();
  }

  @Test
  void endFlushesEverythingThenSignals() {
    RecordingSink sink = new RecordingSink();
    Consumer consumer = new Consumer(Runnable::run, sink, PlayOptions.defaults());
    offer(consumer, keyframe(0));
    offer(consumer, interframe(40));
    consumer.end();
    assertEquals(2, sink.written.size());
    assertTrue(sink.ended);
  }

  private static PlayOptions options(double queueLength, int mwLatency, int mwMsgs) {
    return VhostConfig.play(new JsonObject().put("queue_length", queueLength).put("time_jitter", "off")
        .put("mw_latency", mwLatency).put("mw_msgs", mwMsgs), false);
  }

  private static void offer(Consumer consumer, StreamMessage message) {
    consumer.enqueue(message);
    message.release();
  }
}
