package io.estuary.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The latest metadata ({@code onMetaData}) and sequence headers of a stream: what a player needs before any frame.
 * Owned by the publisher's event loop.
 *
 * <p>Sequence headers are kept per type and track (Enhanced RTMP multitrack: every track has its own decoder
 * configuration). A track's codec is the one of its latest header: a header replaces its track's previous one whatever
 * the codec, so that a late player is not configured for a codec the track no longer has. A multitrack message that
 * starts several tracks at once is kept for each of them until each has a newer header; a new player gets every
 * header still kept once, in the order they arrived, so that each track ends with its latest.
 */
final class MetaCache {

  /** One track's latest sequence header; the message is retained once per entry. */
  private record Header(int type, int track, StreamMessage message) {
  }

  private StreamMessage metadata;
  /** In the order the headers arrived: a track's newer header goes to the end. */
  private final List<Header> headers = new ArrayList<>(4);

  /** Keeps {@code message} (retaining it) if it is metadata or a sequence header. */
  void update(StreamMessage message) {
    if (message.isScript()) {
      metadata = replace(metadata, message);
    } else if (message.isSequenceHeader()) {
      for (int track : message.trackIds()) {
        Header old = find(message.type(), track);
        if (old != null) {
          headers.remove(old);
          old.message.release();
        }
        headers.add(new Header(message.type(), track, message.retain()));
      }
    }
  }

  /**
   * Whether {@code message} is a sequence header identical to the one already cached for each of its tracks
   * (reduce_sequence_header).
   */
  boolean isRepeatedSequenceHeader(StreamMessage message) {
    if (!message.isSequenceHeader()) {
      return false;
    }
    int[] tracks = message.trackIds();
    for (int track : tracks) {
      Header cached = find(message.type(), track);
      if (cached == null || !message.sameContent(cached.message)) {
        return false;
      }
    }
    return tracks.length > 0;
  }

  /** Appends retained references to what a new player gets first, in SRS's order: metadata, video, audio headers. */
  void snapshot(List<StreamMessage> into) {
    if (metadata != null) {
      into.add(metadata.retain());
    }
    headers(into, true);
    headers(into, false);
  }

  /** Each kept video (or audio) header once, a message that starts several tracks included once. */
  private void headers(List<StreamMessage> into, boolean video) {
    int from = into.size();
    for (Header header : headers) {
      if (header.message.isVideo() == video && !into.subList(from, into.size()).contains(header.message)) {
        into.add(header.message.retain());
      }
    }
  }

  void clear() {
    metadata = replace(metadata, null);
    headers.forEach(header -> header.message.release());
    headers.clear();
  }

  private Header find(int type, int track) {
    for (Header header : headers) {
      if (header.type == type && header.track == track) {
        return header;
      }
    }
    return null;
  }

  private static StreamMessage replace(StreamMessage old, StreamMessage now) {
    if (old != null) {
      old.release();
    }
    return now == null ? null : now.retain();
  }
}
