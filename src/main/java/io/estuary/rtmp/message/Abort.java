package io.estuary.rtmp.message;

/** Protocol control message 2: discard the partly received message on a chunk stream (RTMP spec 5.4.2). */
public record Abort(int chunkStreamId) implements RtmpMessage {
  public int streamId() { return 0; }
  public long timestamp() { return 0; }
  public int typeId() { return TYPE_ABORT; }
}
