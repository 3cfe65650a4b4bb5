package io.estuary.rtmp.message;

/** Protocol control message 3: bytes received so far, sent once per window (RTMP spec 5.4.3). */
public record Acknowledgement(long sequenceNumber) implements RtmpMessage {
  public int streamId() { return 0; }
  public long timestamp() { return 0; }
  public int typeId() { return TYPE_ACKNOWLEDGEMENT; }
}
