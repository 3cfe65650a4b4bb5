package io.estuary.rtmp.message;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A command message (20 AMF0, 17 AMF3): name, transaction id, command object (may be null) and further arguments
 * (RTMP spec 7.1.1). The encoder always writes AMF0 (type 20).
 */
public record CommandMessage(int streamId, String name, double transactionId, Map<String, Object> commandObject,
                             List<Object> arguments) implements RtmpMessage {

  public CommandMessage(int streamId, String name, double transactionId, Map<String, Object> commandObject, Object... arguments) {
    this(streamId, name, transactionId, commandObject, Arrays.asList(arguments)); // AMF null is a legal argument
  }

  /** The first argument after the command object, or null. */
  public Object argument(int index) {
    return index < arguments.size() ? arguments.get(index) : null;
  }

  public long timestamp() {
    return 0;
  }

  public int typeId() {
    return TYPE_COMMAND_AMF0;
  }
}
