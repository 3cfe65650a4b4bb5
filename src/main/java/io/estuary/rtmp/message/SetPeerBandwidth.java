package io.estuary.rtmp.message;

/** Protocol control message 6: limit the peer's output bandwidth (RTMP spec 5.4.5). Limit type 0 hard, 1 soft, 2 dynamic. */
public record SetPeerBandwidth(long windowSize, int limitType) implements RtmpMessage {
  public static final int LIMIT_HARD = 0;
  public static final int LIMIT_SOFT = 1;
  public static final int LIMIT_DYNAMIC = 2;

  public int streamId() { return 0; }
  public long timestamp() { return 0; }
  public int typeId() { return TYPE_SET_PEER_BANDWIDTH; }
}
