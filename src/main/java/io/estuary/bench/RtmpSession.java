package io.estuary.bench;

import io.estuary.rtmp.codec.HandshakeCompleted;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.UserControl;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of an RTMP session up to a message stream: after the handshake, {@code connect} then
 * {@code createStream} (with {@code releaseStream}/{@code FCPublish} first for a publisher, as FFmpeg sends them);
 * answers pings. Subclasses publish or play on the stream they get. Goes after the handshake stage and the chunk
 * codec.
 */
abstract class RtmpSession extends ChannelInboundHandlerAdapter {

  /** The chunk size a publisher sends with, as FFmpeg does. */
  static final int PUBLISH_CHUNK_SIZE = 60000;

  private static final double TXN_CONNECT = 1;
  private static final double TXN_CREATE_STREAM = 4;

  protected final BenchOptions.Target target;
  private final boolean publish;

  // State accessed exclusively from the channel's event loop thread
  protected int streamId;

  RtmpSession(BenchOptions.Target target, boolean publish) {
    this.target = target;
    this.publish = publish;
  }

  /** createStream answered: publish or play on {@code streamId}. */
  abstract void onStreamCreated(ChannelHandlerContext ctx);

  /** An onStatus with {@code code} and {@code level} ("status", "error", ...). */
  abstract void onStatus(ChannelHandlerContext ctx, String code, String level);

  /** An audio or video message, released by the caller after this returns. */
  void onMedia(ChannelHandlerContext ctx, Media media) {
  }

  /** The session cannot go on: the server refused, or answered what this client cannot follow. */
  abstract void fail(ChannelHandlerContext ctx, String reason);

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof HandshakeCompleted) {
      if (publish) {
        ctx.write(new SetChunkSize(PUBLISH_CHUNK_SIZE));
      }
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("app", target.app());
      if (publish) {
        info.put("type", "nonprivate");
      }
      info.put("flashVer", publish ? "FMLE/3.0 (compatible; estuary-bench)" : "LNX 9,0,124,2");
      info.put("tcUrl", target.tcUrl());
      info.put("fpad", false);
      info.put("capabilities", 15.0);
      info.put("audioCodecs", 4071.0);
      info.put("videoCodecs", 252.0);
      info.put("videoFunction", 1.0);
      ctx.writeAndFlush(new CommandMessage(0, "connect", TXN_CONNECT, info));
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Media media) {
        onMedia(ctx, media);
      } else if (msg instanceof CommandMessage command) {
        onCommand(ctx, command);
      } else if (msg instanceof UserControl control && control.event() == UserControl.PING_REQUEST) {
        ctx.writeAndFlush(new UserControl(UserControl.PING_RESPONSE, control.value()));
      } // metadata and protocol control need nothing here: the chunk codec applies what concerns it
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onCommand(ChannelHandlerContext ctx, CommandMessage command) {
    switch (command.name()) {
      case "_result" -> {
        if (command.transactionId() == TXN_CONNECT) {
          if (publish) {
            String name = target.streamWithQuery();
            ctx.write(new CommandMessage(0, "releaseStream", 2, null, name));
            ctx.write(new CommandMessage(0, "FCPublish", 3, null, name));
          }
          ctx.writeAndFlush(new CommandMessage(0, "createStream", TXN_CREATE_STREAM, null));
        } else if (command.transactionId() == TXN_CREATE_STREAM) {
          if (!(command.argument(0) instanceof Number id)) {
            fail(ctx, "createStream answered without a stream id: " + command.arguments());
            return;
          }
          streamId = id.intValue();
          onStreamCreated(ctx);
        }
      }
      case "_error" -> fail(ctx, "refused: " + describe(command));
      case "onStatus" -> {
        if (command.argument(0) instanceof Map<?, ?> info) {
          onStatus(ctx, String.valueOf(info.get("code")), String.valueOf(info.get("level")));
        }
      }
      default -> { }
    }
  }

  private static String describe(CommandMessage command) {
    for (Object arg : command.arguments()) {
      if (arg instanceof Map<?, ?> info && info.get("code") != null) {
        return info.get("code") + (info.get("description") == null ? "" : " (" + info.get("description") + ")");
      }
    }
    return command.arguments().toString();
  }
}
