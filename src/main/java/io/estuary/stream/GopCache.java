package io.estuary.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages since the last video keyframe, so that a player joining mid-stream starts decoding at once
 * (SRS's gop cache). Bounded by {@code gop_cache_max_frames}: a stream without keyframes must not eat memory.
 * For audio-only streams it keeps the latest audio frames within the same bound. Owned by the publisher's loop.
 */
final class GopCache {

  /** SRS's guess: this many audio messages with no video in between means the stream is audio only. */
  static final int PURE_AUDIO_GUESS_COUNT = 115;

  private final boolean enabled;
  private final int maxFrames;
  private final ArrayList<StreamMessage> messages = new ArrayList<>();
  private int audioAfterLastVideo;
  private boolean sawVideo;

  GopCache(boolean enabled, int maxFrames) {
    this.enabled = enabled;
    this.maxFrames = maxFrames;
  }

  void cache(StreamMessage message) {
    if (!enabled || message.isScript() || message.isSequenceHeader()) {
      return; // metadata and sequence headers live in the MetaCache
    }
    if (message.isVideo()) {
      sawVideo = true;
      audioAfterLastVideo = 0;
      if (message.isKeyframe() && message.defaultTrack() != null) {
        // A gop starts at a keyframe of the default track: with multitrack, another track's keyframe (OBS sends each
        // track's in its own message, right after track 0's) must not drop the one every legacy player starts from.
        clear();
      } else if (messages.isEmpty()) {
        return; // a gop starts at a keyframe
      }
    } else {
      audioAfterLastVideo++;
      if (sawVideo && messages.isEmpty()) {
        return; // wait for the next keyframe
      }
      if (sawVideo && audioAfterLastVideo > PURE_AUDIO_GUESS_COUNT) {
        clear(); // video stopped: stop caching audio that would arrive before any decodable picture
        sawVideo = false;
      }
    }
    messages.add(message.retain());
    if (maxFrames > 0 && messages.size() > maxFrames) {
      clear();
    }
  }

  /** Appends retained references to the cached messages, oldest first. */
  void snapshot(List<StreamMessage> into) {
    for (StreamMessage message : messages) {
      into.add(message.retain());
    }
  }

  int size() {
    return messages.size();
  }

  void clear() {
    for (StreamMessage message : messages) {
      message.release();
    }
    messages.clear();
  }
}
