package io.estuary.stream;

import java.util.List;

/**
 * The latest metadata ({@code onMetaData}) and audio/video sequence headers of a stream: what a player needs
 * before any frame. Owned by the publisher's event loop.
 */
final class MetaCache {

  private StreamMessage metadata;
  private StreamMessage videoSequenceHeader;
  private StreamMessage audioSequenceHeader;

  /** Keeps {@code message} (retaining it) if it is metadata or a sequence header. */
  void update(StreamMessage message) {
    if (message.isScript()) {
      metadata = replace(metadata, message);
    } else if (message.isSequenceHeader()) {
      if (message.isVideo()) {
        videoSequenceHeader = replace(videoSequenceHeader, message);
      } else {
        audioSequenceHeader = replace(audioSequenceHeader, message);
      }
    }
  }

  /** Whether {@code message} is a sequence header identical to the one already cached (reduce_sequence_header). */
  boolean isRepeatedSequenceHeader(StreamMessage message) {
    if (!message.isSequenceHeader()) {
      return false;
    }
    return message.sameContent(message.isVideo() ? videoSequenceHeader : audioSequenceHeader);
  }

  /** Appends retained references to what a new player gets first, in SRS's order. */
  void snapshot(List<StreamMessage> into) {
    if (metadata != null) {
      into.add(metadata.retain());
    }
    if (videoSequenceHeader != null) {
      into.add(videoSequenceHeader.retain());
    }
    if (audioSequenceHeader != null) {
      into.add(audioSequenceHeader.retain());
    }
  }

  void clear() {
    metadata = replace(metadata, null);
    videoSequenceHeader = replace(videoSequenceHeader, null);
    audioSequenceHeader = replace(audioSequenceHeader, null);
  }

  private static StreamMessage replace(StreamMessage old, StreamMessage now) {
    if (old != null) {
      old.release();
    }
    return now == null ? null : now.retain();
  }
}
