package io.estuary.rtmp.message;

/** Protocol control message 5: the window after which the receiver must acknowledge (RTMP spec 5.4.4). */
public record WindowAckSize(long windowSize) implements RtmpMessage {
  public int streamId() { return 0; }
  public long timestamp() { return 0; }
  public int typeId() { return TYPE_WINDOW_ACK_SIZE; }
}
