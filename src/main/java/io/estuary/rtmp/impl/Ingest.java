package io.estuary.rtmp.impl;

import io.estuary.amf.Amf0;
import io.estuary.media.FlvTags;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.stream.Source;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Timeline;
import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.Map;

import static io.estuary.rtmp.codec.ChunkEncoder.CSID_AUDIO;
import static io.estuary.rtmp.codec.ChunkEncoder.CSID_VIDEO;

/**
 * What a received RTMP message becomes in a {@link Source}, whoever received it: a publisher's server session
 * ({@link RtmpPublisher}) or the client playing into a source ({@code RtmpClient.play(url, source)}). Audio and video
 * are stored once and chunked once when larger than a chunk ({@link ChunkedBody}), so that every RTMP player of the
 * source writes the shared chunked body instead of chunking each message itself (a multitrack message's default-track
 * rendition too); onMetaData is re-encoded alone.
 * Timestamps enter the source on the publish's {@link Timeline}: past 2^32 ms they go on rather than wrap.
 */
final class Ingest {

  private Ingest() {
  }

  /**
   * {@code media} stored once and chunked once for {@code chunkSize}, at its place on {@code timeline}. Takes
   * {@code media}'s reference.
   */
  static StreamMessage media(Media media, int chunkSize, Timeline timeline) {
    long timestamp = timeline.unwrap(media.timestamp(), true);
    StreamMessage message = StreamMessage.received(media.typeId(), timestamp, media.payload());
    try {
      int csid = media.isAudio() ? CSID_AUDIO : CSID_VIDEO;
      ChunkedBody.attach(message, chunkSize, csid);
      StreamMessage defaultTrack = message.defaultTrack();
      if (defaultTrack != null && defaultTrack != message) {
        ChunkedBody.attach(defaultTrack, chunkSize, csid); // a multitrack message's rendition for legacy players
      }
    } catch (RuntimeException e) {
      message.release(); // not published: nobody else holds it
      throw e;
    }
    return message;
  }

  /**
   * {@code @setDataFrame onMetaData} (or a bare onMetaData) as a script message placed on {@code timeline}; null for other data messages
   * (ffmpeg's 4-byte timecode, ...), which are not relayed.
   *
   * @throws IllegalArgumentException when the metadata cannot be encoded
   */
  static StreamMessage metadata(DataMessage data, Timeline timeline) {
    List<Object> values = data.values();
    int i = "@setDataFrame".equals(data.name()) ? 1 : 0;
    if (values.size() < i + 2 || !"onMetaData".equals(values.get(i))) {
      return null;
    }
    Object metadata = values.get(i + 1);
    ByteBuf payload = StreamMessage.STORE.buffer();
    try {
      Amf0.writeAll(payload, "onMetaData", metadata);
    } catch (RuntimeException e) {
      payload.release();
      throw new IllegalArgumentException("unusable onMetaData: " + e.getMessage(), e);
    }
    boolean absoluteTime = metadata instanceof Map<?, ?> m && "true".equals(String.valueOf(m.get("bravo_atc")));
    return StreamMessage.of(FlvTags.TAG_SCRIPT, timeline.unwrap(data.timestamp(), false), payload)
        .absoluteTime(absoluteTime);
  }
}
