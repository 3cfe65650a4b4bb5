package io.estuary.rtmp.codec;

import io.estuary.amf.Amf0;
import io.estuary.amf.AmfException;
import io.estuary.rtmp.message.Abort;
import io.estuary.rtmp.message.Acknowledgement;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.SetPeerBandwidth;
import io.estuary.rtmp.message.UserControl;
import io.estuary.rtmp.message.WindowAckSize;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.estuary.rtmp.message.RtmpMessage.*;

/** The body of each message type (RTMP spec 5.4 and 7.1), to and from bytes. Aggregates are in {@link Aggregate}. */
final class MessageBody {

  private MessageBody() {
  }

  /**
   * Decodes a whole message body. Takes ownership of {@code body}: it becomes a {@link Media} payload or is
   * released. Returns null for a type id Estuary does not handle (shared objects, AMF3 shared objects).
   */
  static RtmpMessage decode(int typeId, int streamId, long timestamp, ByteBuf body) {
    if (typeId == TYPE_AUDIO || typeId == TYPE_VIDEO) {
      return new Media(typeId, streamId, timestamp, body);
    }
    try {
      return switch (typeId) {
        case TYPE_SET_CHUNK_SIZE -> new SetChunkSize(need(body, 4, "Set Chunk Size").readInt());
        case TYPE_ABORT -> new Abort(need(body, 4, "Abort").readInt());
        case TYPE_ACKNOWLEDGEMENT -> new Acknowledgement(need(body, 4, "Acknowledgement").readUnsignedInt());
        case TYPE_USER_CONTROL -> userControl(body);
        case TYPE_WINDOW_ACK_SIZE -> new WindowAckSize(need(body, 4, "Window Acknowledgement Size").readUnsignedInt());
        case TYPE_SET_PEER_BANDWIDTH -> {
          need(body, 5, "Set Peer Bandwidth");
          yield new SetPeerBandwidth(body.readUnsignedInt(), body.readUnsignedByte());
        }
        case TYPE_DATA_AMF0 -> new DataMessage(streamId, timestamp, amf(body, typeId, streamId));
        case TYPE_DATA_AMF3 -> new DataMessage(streamId, timestamp, amf(skipFormatByte(body), typeId, streamId));
        case TYPE_COMMAND_AMF0 -> command(streamId, amf(body, typeId, streamId));
        case TYPE_COMMAND_AMF3 -> command(streamId, amf(skipFormatByte(body), typeId, streamId));
        default -> null;
      };
    } finally {
      body.release();
    }
  }

  private static ByteBuf need(ByteBuf body, int length, String what) {
    if (body.readableBytes() < length) {
      throw new RtmpException(what + " message needs " + length + " bytes, got " + body.readableBytes());
    }
    return body;
  }

  private static UserControl userControl(ByteBuf body) {
    need(body, 6, "User Control");
    int event = body.readUnsignedShort();
    long value = body.readUnsignedInt();
    if (event == UserControl.SET_BUFFER_LENGTH) {
      need(body, 4, "User Control Set Buffer Length");
      return new UserControl(event, value, body.readUnsignedInt());
    }
    return new UserControl(event, value);
  }

  /** Types 15 and 17 start with a format byte (0: the values that follow are AMF0, switching to AMF3 per value). */
  private static ByteBuf skipFormatByte(ByteBuf body) {
    return body.isReadable() ? body.skipBytes(1) : body;
  }

  private static List<Object> amf(ByteBuf body, int typeId, int streamId) {
    try {
      return Amf0.readAll(body);
    } catch (AmfException e) {
      throw new RtmpException("malformed AMF in message type " + typeId + " on stream " + streamId + ": " + e.getMessage(), e);
    }
  }

  /**
   * Command name, transaction id, command object, arguments (RTMP spec 7.1.1). Clients that send no transaction id
   * or a null one get 0; a command object that is not an object (some clients send a string) becomes the first
   * argument, with a null command object.
   */
  @SuppressWarnings("unchecked")
  private static CommandMessage command(int streamId, List<Object> values) {
    if (values.isEmpty() || !(values.get(0) instanceof String name)) {
      throw new RtmpException("command message on stream " + streamId + " does not start with a name: " + values);
    }
    Object transaction = values.size() > 1 ? values.get(1) : null;
    double transactionId;
    if (transaction instanceof Number n) {
      transactionId = n.doubleValue();
    } else if (transaction == null || transaction == Amf0.UNDEFINED) {
      transactionId = 0;
    } else {
      throw new RtmpException("command '" + name + "' has a transaction id that is not a number: " + transaction);
    }
    Object third = values.size() > 2 ? values.get(2) : null;
    Map<String, Object> commandObject = third instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    int firstArgument = third == null || third == Amf0.UNDEFINED || commandObject != null ? 3 : 2;
    // AMF null is a legal argument, so no List.copyOf
    List<Object> arguments = new ArrayList<>(values.subList(Math.min(firstArgument, values.size()), values.size()));
    return new CommandMessage(streamId, name, transactionId, commandObject, arguments);
  }

  /** Writes the body of any message but {@link Media}, whose payload is already bytes. */
  static void encode(RtmpMessage msg, ByteBuf out) {
    if (msg instanceof SetChunkSize m) {
      out.writeInt(m.chunkSize());
    } else if (msg instanceof Abort m) {
      out.writeInt(m.chunkStreamId());
    } else if (msg instanceof Acknowledgement m) {
      out.writeInt((int) m.sequenceNumber());
    } else if (msg instanceof UserControl m) {
      out.writeShort(m.event()).writeInt((int) m.value());
      if (m.event() == UserControl.SET_BUFFER_LENGTH) {
        out.writeInt((int) m.extra());
      }
    } else if (msg instanceof WindowAckSize m) {
      out.writeInt((int) m.windowSize());
    } else if (msg instanceof SetPeerBandwidth m) {
      out.writeInt((int) m.windowSize()).writeByte(m.limitType());
    } else if (msg instanceof DataMessage m) {
      for (Object value : m.values()) {
        Amf0.write(out, value);
      }
    } else if (msg instanceof CommandMessage m) {
      Amf0.writeAll(out, m.name(), m.transactionId(), m.commandObject());
      for (Object argument : m.arguments()) {
        Amf0.write(out, argument);
      }
    } else {
      throw new IllegalArgumentException("not a message with an encoded body: " + msg);
    }
  }
}
