package io.estuary.media;

/**
 * The codec a muxer last left out, per track kind: so that a stream whose codec a container cannot carry is reported
 * once (and again only when the codec changes), never once per frame. Not thread-safe: one per muxed stream.
 */
public final class SkippedCodecs {

  private String video;
  private String audio;

  /** Notes that {@code codec} is left out of the video or audio track; true when it was not the one noted last. */
  public boolean note(boolean isVideo, String codec) {
    if (codec.equals(isVideo ? video : audio)) {
      return false;
    }
    if (isVideo) {
      video = codec;
    } else {
      audio = codec;
    }
    return true;
  }
}
