package io.estuary.stream;

import io.estuary.config.VhostConfig;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enhanced RTMP multitrack in the data plane: a multitrack message carries its track 0 as a plain FLV body, derived
 * once; the meta cache keeps each track's sequence header; a player that announced multitrack gets the message as it
 * came, any other its default track.
 */
class MultitrackStreamTest {

  private static final int[] ASC = {0x12, 0x10}; // AAC LC, 44.1 kHz, stereo
  private static final int[] OPUS_HEAD = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, 2};

  private static StreamMessage audio(long ts, int... body) {
    ByteBuf payload = StreamMessage.STORE.directBuffer(body.length); // pooled direct: the leak detector tracks it
    for (int b : body) {
      payload.writeByte(b);
    }
    return StreamMessage.of(FlvTags.TAG_AUDIO, ts, payload);
  }

  private static int[] concat(int[]... parts) {
    List<Integer> all = new ArrayList<>();
    for (int[] part : parts) {
      for (int b : part) {
        all.add(b);
      }
    }
    return all.stream().mapToInt(Integer::intValue).toArray();
  }

  /** OneTrack SequenceStart of {@code codec} for {@code track} (SoundFormat 9 | Multitrack, OneTrack | SequenceStart). */
  private static StreamMessage oneTrackHeader(String codec, int track, int... config) {
    return audio(0, concat(new int[] {0x95, 0x00, codec.charAt(0), codec.charAt(1), codec.charAt(2), codec.charAt(3),
        track}, config));
  }

  /** ManyTracksManyCodecs CodedFrames: track 0 AAC {@code aac}, track 1 Opus {@code opus}. */
  private static StreamMessage twoTrackFrame(long ts, int[] aac, int[] opus) {
    return audio(ts, concat(new int[] {0x95, 0x21, 'm', 'p', '4', 'a', 0, 0, 0, aac.length}, aac,
        new int[] {'O', 'p', 'u', 's', 1, 0, 0, opus.length}, opus));
  }

  private static byte[] bytes(StreamMessage message) {
    return ByteBufUtil.getBytes(message.payload());
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void aMultitrackMessageCarriesItsTrackZeroAsLegacyAacOnce() {
    StreamMessage message = twoTrackFrame(40, new int[] {0x21, 0x10}, new int[] {0xfc, 0xff, 0xfe});
    assertTrue(message.isMultitrack());
    assertArrayEquals(new int[] {0, 1}, message.trackIds());
    StreamMessage track0 = message.defaultTrack();
    assertSame(track0, message.defaultTrack(), "derived once");
    assertFalse(track0.isMultitrack());
    assertArrayEquals(bytes(0xaf, 0x01, 0x21, 0x10), bytes(track0), "legacy AAC raw frame");
    assertEquals(FourCc.MP4A, track0.codec());
    assertTrue(track0.isCodedFrames());
    assertEquals(40, track0.timestamp());

    StreamMessage header = oneTrackHeader("mp4a", 0, ASC);
    assertArrayEquals(bytes(0xaf, 0x00, 0x12, 0x10), bytes(header.defaultTrack()), "legacy AAC sequence header");
    assertTrue(header.defaultTrack().isSequenceHeader());

    message.release();
    header.release();
    assertEquals(0, track0.refCnt(), "released with its message");
  }

  @Test
  void aMessageWithoutTrackZeroHasNoDefaultTrackAndAPlainMessageIsItsOwn() {
    StreamMessage opusOnly = oneTrackHeader("Opus", 1, OPUS_HEAD);
    assertTrue(opusOnly.isMultitrack());
    assertNull(opusOnly.defaultTrack());
    opusOnly.release();

    StreamMessage plain = StreamMessages.audio(0);
    assertFalse(plain.isMultitrack());
    assertSame(plain, plain.defaultTrack());
    plain.release();
  }

  @Test
  void theMetaCacheKeepsOneSequenceHeaderPerTrackInArrivalOrder() {
    MetaCache meta = new MetaCache();
    StreamMessage aac = oneTrackHeader("mp4a", 0, ASC);
    StreamMessage opus = oneTrackHeader("Opus", 1, OPUS_HEAD);
    StreamMessage video = StreamMessages.videoHeader(0);
    for (StreamMessage m : List.of(aac, opus, video)) {
      meta.update(m);
    }
    assertEquals(List.of(video, aac, opus), snapshot(meta), "video headers first, then each audio track's");

    StreamMessage opusAgain = oneTrackHeader("Opus", 1, OPUS_HEAD);
    assertTrue(meta.isRepeatedSequenceHeader(opusAgain), "reduce_sequence_header compares per track");
    StreamMessage newOpus = oneTrackHeader("Opus", 1, concat(OPUS_HEAD, new int[] {0}));
    assertFalse(meta.isRepeatedSequenceHeader(newOpus));
    StreamMessage aacAsTrack1 = oneTrackHeader("mp4a", 1, ASC);
    assertFalse(meta.isRepeatedSequenceHeader(aacAsTrack1), "track 0's header is not track 1's");

    meta.update(newOpus);
    assertEquals(List.of(video, aac, newOpus), snapshot(meta), "track 1's header replaced, track 0's kept");

    // One message starting both tracks, then a newer header for track 0 alone: both are kept, in that order, so a
    // player ends with the newer track 0 and the pair's track 1.
    StreamMessage both = audio(0, concat(new int[] {0x95, 0x20, 'm', 'p', '4', 'a', 0, 0, 0, 2}, ASC,
        new int[] {'O', 'p', 'u', 's', 1, 0, 0, OPUS_HEAD.length}, OPUS_HEAD));
    StreamMessage newAac = oneTrackHeader("mp4a", 0, 0x11, 0x90);
    meta.update(both);
    assertEquals(List.of(video, both), snapshot(meta), "one message for both tracks, given once");
    meta.update(newAac);
    assertEquals(List.of(video, both, newAac), snapshot(meta));

    meta.clear();
    assertEquals(List.of(), snapshot(meta));
    for (StreamMessage m : List.of(aac, opus, video, opusAgain, newOpus, aacAsTrack1, both, newAac)) {
      assertTrue(m.release(), "the cache gave back every reference: " + m);
    }
  }

  private static List<StreamMessage> snapshot(MetaCache meta) {
    List<StreamMessage> into = new ArrayList<>();
    meta.snapshot(into);
    into.forEach(StreamMessage::release);
    return into;
  }

  @Test
  void aMultitrackPlayerGetsTheMessageAndAnyOtherItsDefaultTrack() {
    List<StreamMessage> legacyGot = new ArrayList<>();
    List<StreamMessage> multitrackGot = new ArrayList<>();
    Consumer legacy = new Consumer(Runnable::run, recording(legacyGot), VhostConfig.play(null, true));
    Consumer multitrack = new Consumer(Runnable::run, recording(multitrackGot), VhostConfig.play(null, true))
        .multitrack(true);

    StreamMessage header = oneTrackHeader("Opus", 1, OPUS_HEAD);
    StreamMessage frame = twoTrackFrame(20, new int[] {0x21}, new int[] {0xfc});
    StreamMessage plain = StreamMessages.audio(40);
    for (StreamMessage m : List.of(header, frame, plain)) {
      legacy.enqueue(m);
      multitrack.enqueue(m);
    }
    assertEquals(List.of(header, frame, plain), multitrackGot);
    assertEquals(List.of(frame.defaultTrack(), plain), legacyGot, "track 1's header skipped, track 0 as plain AAC");
    legacy.close();
    multitrack.close();
    for (StreamMessage m : List.of(header, frame, plain)) {
      assertTrue(m.release());
    }
  }

  /** A sink adding what it is given to {@code into} (released: the test holds its own reference). */
  private static Consumer.Sink recording(List<StreamMessage> into) {
    return new Consumer.Sink() {
      public boolean writable() {
        return true;
      }

      public void write(StreamMessage message, long timestamp) {
        into.add(message);
        message.release();
      }

      public void flush() {
      }

      public void streamEnded() {
      }
    };
  }

  /** OneTrack CodedFrames of {@code track} ("avc1", CompositionTime 0), a keyframe or not. */
  private static StreamMessage videoTrack(long ts, int track, boolean keyframe) {
    ByteBuf payload = StreamMessage.STORE.directBuffer(12);
    payload.writeByte(keyframe ? 0x96 : 0xa6).writeByte(0x01).writeBytes(new byte[] {'a', 'v', 'c', '1'})
        .writeByte(track).writeMedium(0).writeByte(0x65);
    return StreamMessage.of(FlvTags.TAG_VIDEO, ts, payload);
  }

  @Test
  void theGopStartsAtTheDefaultTracksKeyframeNotAnotherTracks() {
    GopCache gop = new GopCache(true, 0);
    StreamMessage key0 = videoTrack(0, 0, true);
    StreamMessage key1 = videoTrack(0, 1, true); // track 1's keyframe of the same instant, in its own message
    StreamMessage inter0 = videoTrack(40, 0, false);
    for (StreamMessage m : List.of(key0, key1, inter0)) {
      gop.cache(m);
    }
    List<StreamMessage> cached = new ArrayList<>();
    gop.snapshot(cached);
    assertEquals(List.of(key0, key1, inter0), cached, "a late player starts at track 0's keyframe");
    assertTrue(cached.get(0).defaultTrack().isKeyframe(), "and a legacy one gets it as a legacy AVC keyframe");
    assertArrayEquals(bytes(0x17, 0x01, 0, 0, 0, 0x65), bytes(cached.get(0).defaultTrack()));
    cached.forEach(StreamMessage::release);
    gop.clear();
    for (StreamMessage m : List.of(key0, key1, inter0)) {
      assertTrue(m.release());
    }
  }
}
