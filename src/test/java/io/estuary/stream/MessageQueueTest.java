package io.estuary.stream;

import org.junit.jupiter.api.Test;

import static io.estuary.stream.StreamMessages.audio;
import static io.estuary.stream.StreamMessages.audioHeader;
import static io.estuary.stream.StreamMessages.interframe;
import static io.estuary.stream.StreamMessages.keyframe;
import static io.estuary.stream.StreamMessages.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-player ring: order and timestamps kept across growth and wrap-around, memory given back after a backlog. */
class MessageQueueTest {

  @Test
  void keepsOrderAcrossWrapAroundAndGrowth() {
    MessageQueue queue = new MessageQueue();
    long next = 0;
    long expected = 0;
    for (int round = 0; round < 5; round++) { // the head walks around the ring before it grows
      for (int i = 0; i < 10; i++) {
        queue.push(interframe(next), next++ * 10);
      }
      for (int i = 0; i < 7; i++) {
        assertEquals(expected++ * 10, queue.peekTimestamp());
        queue.poll().release();
      }
    }
    for (int i = 0; i < 40; i++) { // 15 queued + 40: grows while the head is not at 0
      queue.push(interframe(next), next++ * 10);
    }
    assertEquals(55, queue.size());
    assertEquals(54 * 10, queue.duration());
    while (!queue.isEmpty()) {
      StreamMessage m = queue.poll();
      assertEquals(expected, m.timestamp());
      expected++;
      m.release();
    }
    assertEquals(next, expected);
    assertNull(queue.peekMessage());
  }

  @Test
  void startsSmallAndGrowsOnceForADefaultMergedWrite() {
    MessageQueue queue = new MessageQueue();
    assertEquals(MessageQueue.INITIAL_CAPACITY, queue.capacity());
    // 350 ms of a 30 fps stream with 44.1 kHz AAC (~43 frames/s): 26 messages
    for (int i = 0; i < 26; i++) {
      queue.push(i % 5 < 2 ? interframe(i) : audio(i), i);
    }
    assertEquals(32, queue.capacity());
    queue.clear();
    assertEquals(32, queue.capacity(), "a steady-state size is kept: no allocation per merged write");
  }

  @Test
  void givesTheBacklogsArraysBackOnceDrained() {
    MessageQueue queue = new MessageQueue();
    for (int i = 0; i < 600; i++) { // a player stalled for ~10 s
      queue.push(interframe(i), i * 16L);
    }
    assertEquals(1024, queue.capacity());
    for (int i = 0; i < 599; i++) {
      queue.poll().release();
    }
    assertEquals(1024, queue.capacity(), "not while anything is queued");
    queue.poll().release();
    assertEquals(MessageQueue.INITIAL_CAPACITY, queue.capacity());
    StreamMessage m = keyframe(1000);
    queue.push(m, 1000);
    assertSame(m, queue.peekMessage());
    assertEquals(1000, queue.peekTimestamp());
    queue.clear();
  }

  @Test
  void shrinkKeepsSequenceHeadersAtTheNewHead() {
    MessageQueue queue = new MessageQueue();
    queue.push(videoHeader(0), 0);
    for (int i = 0; i < 300; i++) { // keyframe each second at 25 fps, 12 s
      queue.push(i % 25 == 0 ? keyframe(i * 40L) : interframe(i * 40L), i * 40L);
    }
    queue.shrink(3000);
    assertTrue(queue.peekMessage().isSequenceHeader());
    assertTrue(queue.duration() <= 3000, "duration " + queue.duration());
    queue.poll().release();
    assertTrue(queue.peekMessage().isKeyframe());
    assertEquals(queue.size() + 1 + queue.dropped(), 301);
    queue.clear();
    assertEquals(MessageQueue.INITIAL_CAPACITY, queue.capacity());
  }

  @Test
  void shrinkKeepsEachTracksLatestSequenceHeader() {
    // A multitrack player's queue: video track 0 and 1 headers, audio's, then track 0's header again, changed.
    StreamMessage track1 = StreamMessage.of(io.estuary.media.FlvTags.TAG_VIDEO, 0, io.netty.buffer.Unpooled.wrappedBuffer(
        new byte[] {(byte) 0x96, 0x00, 'a', 'v', 'c', '1', 1, 1, 2}));
    StreamMessage changed = StreamMessage.of(io.estuary.media.FlvTags.TAG_VIDEO, 0, io.netty.buffer.Unpooled.wrappedBuffer(
        new byte[] {0x17, 0, 0, 0, 0, 2}));
    MessageQueue queue = new MessageQueue();
    queue.push(videoHeader(0), 0);
    queue.push(track1, 0);
    queue.push(audioHeader(0), 0);
    queue.push(changed, 0);
    for (int i = 0; i < 300; i++) {
      queue.push(i % 25 == 0 ? keyframe(i * 40L) : interframe(i * 40L), i * 40L);
    }
    queue.shrink(3000);
    java.util.List<StreamMessage> headers = new java.util.ArrayList<>();
    while (queue.peekMessage().isSequenceHeader()) {
      headers.add(queue.poll());
    }
    assertTrue(queue.peekMessage().isKeyframe());
    assertEquals(3, headers.size(), "track 1's, audio's and track 0's latest: " + headers);
    assertSame(track1, headers.get(0));
    assertTrue(headers.get(1).isAudio());
    assertSame(changed, headers.get(2), "track 0's latest header, not the one it replaced");
    headers.forEach(StreamMessage::release);
    queue.clear();
  }
}
