package io.estuary.rtmp;

import io.estuary.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.Map;

/**
 * A stream being published. Writes go out in order and are flushed together at the end of the event-loop task
 * that wrote them; call them on the session's event loop. Back-pressure as a Vert.x WriteStream: stop writing while
 * {@link #writeQueueFull()}, resume in the {@link #drainHandler}.
 */
public interface RtmpPublishSession {

  /** The message stream id media goes out on. */
  int streamId();

  /** An audio message; takes ownership of {@code payload} (an FLV audio tag body). */
  void writeAudio(long timestamp, ByteBuf payload);

  /** A video message; takes ownership of {@code payload} (an FLV video tag body). */
  void writeVideo(long timestamp, ByteBuf payload);

  /** {@code @setDataFrame onMetaData {metadata}}. */
  void writeMetadata(Map<String, Object> metadata);

  /** Any message as it is (its stream id is the caller's); a media payload is owned by the session. */
  void write(RtmpMessage message);

  /** True while the socket's outbound buffer is above its high-water mark. */
  boolean writeQueueFull();

  /** Called once the outbound buffer went below its low-water mark after {@link #writeQueueFull()}. */
  RtmpPublishSession drainHandler(Handler<Void> handler);

  /**
   * Called on the event loop with the URL to publish to next when the server asks this connection to reconnect
   * (Enhanced RTMP's ReconnectRequest, sent to a client that announced {@link RtmpCapabilities#CAPS_EX_RECONNECT});
   * see {@link RtmpClientSession#reconnectHandler}. The stream name stays the caller's to add.
   */
  RtmpPublishSession reconnectHandler(Handler<String> handler);

  /** Completes once the session ended, with the reason. */
  Future<String> closed();

  Future<Void> close();
}
