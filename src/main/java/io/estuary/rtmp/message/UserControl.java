package io.estuary.rtmp.message;

/**
 * Message type 4: user control event (RTMP spec 7.1.7). {@code value} is the event's first 4-byte field
 * (a stream id, or a timestamp for pings); {@code extra} the second one, used only by SetBufferLength.
 */
public record UserControl(int event, long value, long extra) implements RtmpMessage {
  public static final int STREAM_BEGIN = 0;
  public static final int STREAM_EOF = 1;
  public static final int STREAM_DRY = 2;
  public static final int SET_BUFFER_LENGTH = 3;
  public static final int STREAM_IS_RECORDED = 4;
  public static final int PING_REQUEST = 6;
  public static final int PING_RESPONSE = 7;

  public UserControl(int event, long value) {
    this(event, value, 0);
  }

  public int streamId() { return 0; }
  public long timestamp() { return 0; }
  public int typeId() { return TYPE_USER_CONTROL; }
}
