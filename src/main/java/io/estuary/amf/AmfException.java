package io.estuary.amf;

import io.netty.handler.codec.DecoderException;

/** Malformed or unsupported AMF input. The message names what was wrong and where. */
public final class AmfException extends DecoderException {

  public AmfException(String message) {
    super(message);
  }

  /** A declared or fixed length that the buffer cannot satisfy. */
  static AmfException truncated(String what, long length, int readable) {
    return new AmfException(what + " of " + length + (length == 1 ? " byte" : " bytes") + " truncated, "
        + readable + " readable");
  }
}
