package io.estuary.rtmp.codec;

import io.netty.handler.codec.DecoderException;

/** A violation of the RTMP wire protocol by the peer; the connection owner logs it and closes the connection. */
public class RtmpException extends DecoderException {

  public RtmpException(String message) {
    super(message);
  }

  public RtmpException(String message, Throwable cause) {
    super(message, cause);
  }
}
