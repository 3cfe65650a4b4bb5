package io.estuary.flv;

import io.netty.handler.codec.DecoderException;

/** Malformed FLV input: the message names what was wrong and the stream offset where it was found. */
public final class FlvFormatException extends DecoderException {

  public FlvFormatException(String message) {
    super(message);
  }

  public FlvFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
