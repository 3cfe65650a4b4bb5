package io.estuary.rtmp.message;

import java.util.List;

/**
 * A data message (18 AMF0, 15 AMF3), e.g. {@code @setDataFrame onMetaData {...}}: the decoded AMF values in order.
 * The encoder always writes AMF0 (type 18).
 */
public record DataMessage(int streamId, long timestamp, List<Object> values) implements RtmpMessage {

  /** The first value when it is a string (the handler name), else null. */
  public String name() {
    return !values.isEmpty() && values.get(0) instanceof String s ? s : null;
  }

  public int typeId() {
    return TYPE_DATA_AMF0;
  }
}
