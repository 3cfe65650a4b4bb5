package io.estuary.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.estuary.stream.StreamMessages.audio;
import static io.estuary.stream.StreamMessages.interframe;
import static io.estuary.stream.StreamMessages.keyframe;
import static io.estuary.stream.StreamMessages.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GopCacheTest {

  @Test
  void keepsTheMessagesSinceTheLastKeyframe() {
    GopCache cache = new GopCache(true, 2500);
    feed(cache, interframe(0), audio(5), keyframe(40), audio(45), interframe(80), keyframe(120), audio(125), interframe(160));
    List<StreamMessage> snapshot = snapshot(cache);
    assertEquals(3, snapshot.size());
    assertTrue(snapshot.get(0).isKeyframe());
    assertEquals(120, snapshot.get(0).timestamp());
    release(snapshot);
    cache.clear();
  }

  @Test
  void sequenceHeadersAreNotCached() {
    GopCache cache = new GopCache(true, 2500);
    feed(cache, videoHeader(0), keyframe(0), interframe(40));
    List<StreamMessage> snapshot = snapshot(cache);
    assertEquals(2, snapshot.size());
    assertTrue(!snapshot.get(0).isSequenceHeader());
    release(snapshot);
    cache.clear();
  }

  @Test
  void boundedByMaxFramesWhenKeyframesNeverCome() {
    GopCache cache = new GopCache(true, 10);
    feed(cache, keyframe(0));
    for (int i = 1; i <= 30; i++) {
      feed(cache, interframe(i * 40L));
    }
    assertTrue(cache.size() <= 10, "bounded, has " + cache.size());
    cache.clear();
  }

  @Test
  void disabledCachesNothing() {
    GopCache cache = new GopCache(false, 2500);
    feed(cache, keyframe(0), interframe(40));
    assertEquals(0, cache.size());
  }

  @Test
  void audioOnlyStreamsAreCachedWithinTheBound() {
    GopCache cache = new GopCache(true, 50);
    for (int i = 0; i < 40; i++) {
      feed(cache, audio(i * 23L));
    }
    assertEquals(40, cache.size());
    cache.clear();
  }

  static void feed(GopCache cache, StreamMessage... messages) {
    for (StreamMessage m : messages) {
      cache.cache(m);
      m.release();
    }
  }

  static List<StreamMessage> snapshot(GopCache cache) {
    List<StreamMessage> list = new ArrayList<>();
    cache.snapshot(list);
    return list;
  }

  static void release(List<StreamMessage> messages) {
    messages.forEach(StreamMessage::release);
  }
}
