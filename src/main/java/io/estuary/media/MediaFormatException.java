package io.estuary.media;

/** Malformed or unsupported media bytes: a codec configuration, a bitstream, a tag body. Says what was wrong. */
public final class MediaFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public MediaFormatException(String message) {
    super(message);
  }
}
