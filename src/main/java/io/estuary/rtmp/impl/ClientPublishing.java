package io.estuary.rtmp.impl;

import io.estuary.amf.EcmaArray;
import io.estuary.rtmp.RtmpPublishSession;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;

import java.util.List;
import java.util.Map;

/**
 * The publishing role of a client session: releaseStream, FCPublish, createStream, publish (as FFmpeg sends them),
 * then messages out. Writes made in one event-loop task are flushed together once it ends.
 */
final class ClientPublishing extends ClientStream<RtmpPublishSession> implements RtmpPublishSession {

  private final Runnable flushTask = this::flush;

  // State accessed exclusively from the session's event loop thread
  private ChannelHandlerContext ctx;
  private volatile int streamId;
  private boolean flushScheduled;
  private Handler<Void> drainHandler;

  /** Publishes {@code stream} on {@code session}. On the session's event loop. */
  void attach(ClientSession session, String stream) {
    this.session = session;
    this.ctx = session.ctx();
    session.role(this);
    session.call(0, "releaseStream", null, stream);
    session.call(0, "FCPublish", null, stream);
    session.createStream(id -> {
      streamId = id;
      session.call(id, "publish", null, stream, "live");
      ctx.flush();
    });
  }

  @Override
  public void onStatus(Map<?, ?> info) {
    if (Commands.PUBLISH_START.equals(info.get("code"))) {
      started.tryComplete(this);
    } else if (Commands.isError(info)) {
      refused(info);
    }
  }

  @Override
  public void onWritable() {
    Handler<Void> handler = drainHandler;
    if (handler != null) {
      handler.handle(null);
    }
  }

  // ---- RtmpPublishSession ----

  @Override
  public int streamId() {
    return streamId;
  }

  @Override
  public void writeAudio(long timestamp, ByteBuf payload) {
    write(new Media(RtmpMessage.TYPE_AUDIO, streamId, timestamp, payload));
  }

  @Override
  public void writeVideo(long timestamp, ByteBuf payload) {
    write(new Media(RtmpMessage.TYPE_VIDEO, streamId, timestamp, payload));
  }

  @Override
  public void writeMetadata(Map<String, Object> metadata) {
    write(new DataMessage(streamId, 0, List.of("@setDataFrame", "onMetaData", new EcmaArray(metadata))));
  }

  @Override
  public void write(RtmpMessage message) {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      ReferenceCountUtil.release(message);
      throw new IllegalStateException("not publishing yet");
    }
    if (!c.executor().inEventLoop()) {
      c.executor().execute(() -> write(message));
      return;
    }
    c.write(message, c.voidPromise());
    if (!flushScheduled) {
      flushScheduled = true;
      c.executor().execute(flushTask);
    }
  }

  private void flush() {
    flushScheduled = false;
    ctx.flush();
  }

  @Override
  public RtmpPublishSession reconnectHandler(Handler<String> handler) {
    ClientSession s = session;
    if (s != null) {
      s.reconnectHandler(handler);
    }
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    ChannelHandlerContext c = ctx;
    return c != null && !c.channel().isWritable();
  }

  @Override
  public RtmpPublishSession drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
