package io.estuary.rtmp.message;

/** Protocol control message 1: the sender's maximum chunk payload size from now on (RTMP spec 5.4.1). */
public record SetChunkSize(int chunkSize) implements RtmpMessage {
  public int streamId() { return 0; }
  public long timestamp() { return 0; }
  public int typeId() { return TYPE_SET_CHUNK_SIZE; }
}
