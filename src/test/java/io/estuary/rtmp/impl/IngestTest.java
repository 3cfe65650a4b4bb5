package io.estuary.rtmp.impl;

import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Subscription;
import io.netty.buffer.Unpooled;
import io.vertx.core.Handler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source fed by the RTMP client holds what a source fed by a publisher holds: each message chunked once. */
class IngestTest {

  private static final Executor LOOP = Runnable::run;

  @Test
  void aSourceFedByTheClientCarriesTheChunkedBodyAsAPublishersDoes() {
    StreamHub hub = new StreamHub();
    StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "edge");
    Source source = hub.acquire(key);
    source.startPublish(LOOP, PlayOptions.defaults(), false, "edge");
    List<StreamMessage> written = new ArrayList<>();
    Subscription player = hub.subscribe(key, new Consumer(LOOP, new Consumer.Sink() {
      @Override public boolean writable() { return true; }
      @Override public void write(StreamMessage message, long timestamp) { written.add(message); }
      @Override public void flush() { }
      @Override public void streamEnded() { }
    }, PlayOptions.defaults()));

    Handler<RtmpMessage> played = RtmpClientImpl.into(source, 128);
    Media large = new Media(RtmpMessage.TYPE_VIDEO, 1, 0, Unpooled.wrappedBuffer(new byte[1000]));
    Media small = new Media(RtmpMessage.TYPE_AUDIO, 1, 0, Unpooled.wrappedBuffer(new byte[100]));
    DataMessage metadata = new DataMessage(1, 0, List.of("@setDataFrame", "onMetaData", Map.of("width", 640.0)));
    for (RtmpMessage message : List.of(metadata, large, small)) {
      played.handle(message);
      if (message instanceof Media media) {
        assertTrue(media.release(), "the session's own reference is the last: the source copied the payload");
      }
    }
    source.stopPublish(); // the player's queue goes out (merged writes would hold it until mw_latency)
    player.close();

    assertEquals(3, written.size(), "metadata, video, audio: " + written);
    assertTrue(written.get(0).isScript());
    ChunkedBody chunked = ChunkedBody.of(written.get(1));
    assertEquals(128, chunked.chunkSize(), "the large video chunked once, for the chunk size asked");
    assertNull(ChunkedBody.of(written.get(2)), "one chunk: nothing to share");
    written.forEach(StreamMessage::release);
    source.release();
  }

  @Test
  void timestampsEnterTheSourceUnwrappedPast2To32() {
    StreamHub hub = new StreamHub();
    StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, "live", "wrap");
    Source source = hub.acquire(key);
    source.startPublish(LOOP, PlayOptions.unbuffered(), false, "edge");
    List<Long> times = new ArrayList<>();
    Subscription follower = hub.subscribe(key, new Consumer(LOOP, new Consumer.Sink() {
      @Override public boolean writable() { return true; }
      @Override public void write(StreamMessage message, long timestamp) {
        times.add(message.timestamp());
        message.release();
      }
      @Override public void flush() { }
      @Override public void streamEnded() { }
    }, PlayOptions.unbuffered()));

    Handler<RtmpMessage> played = RtmpClientImpl.into(source, 128);
    long wrap = 1L << 32;
    played.handle(new DataMessage(1, 0, List.of("@setDataFrame", "onMetaData", Map.of("width", 640.0))));
    for (long t : new long[] {wrap - 40, wrap - 17, 0, 23, 40}) {
      Media media = new Media(RtmpMessage.TYPE_AUDIO, 1, t, Unpooled.wrappedBuffer(new byte[10]));
      played.handle(media);
      media.release();
    }
    source.stopPublish();
    follower.close();
    source.release();
    assertEquals(List.of(0L, wrap - 40, wrap - 17, wrap, wrap + 23, wrap + 40), times,
        "onMetaData as it came, before any media; then one line, on past 2^32");
  }
}
