package io.estuary.rtmp.message;

/**
 * A whole RTMP message, as the chunk decoder assembles it and the chunk encoder splits it.
 * Message type ids follow the RTMP specification (1.0, 2012), sections 5.4 and 7.1.
 */
public sealed interface RtmpMessage
    permits SetChunkSize, Abort, Acknowledgement, UserControl, WindowAckSize, SetPeerBandwidth,
    Media, DataMessage, CommandMessage {

  int TYPE_SET_CHUNK_SIZE = 1;
  int TYPE_ABORT = 2;
  int TYPE_ACKNOWLEDGEMENT = 3;
  int TYPE_USER_CONTROL = 4;
  int TYPE_WINDOW_ACK_SIZE = 5;
  int TYPE_SET_PEER_BANDWIDTH = 6;
  int TYPE_AUDIO = 8;
  int TYPE_VIDEO = 9;
  int TYPE_DATA_AMF3 = 15;
  int TYPE_COMMAND_AMF3 = 17;
  int TYPE_DATA_AMF0 = 18;
  int TYPE_COMMAND_AMF0 = 20;
  int TYPE_AGGREGATE = 22;

  /** The message stream id (0 for the connection's control stream). */
  int streamId();

  /** The message timestamp in milliseconds (32-bit, unsigned on the wire). */
  long timestamp();

  /** The message type id on the wire. */
  int typeId();
}
