package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpCapabilities;
import io.estuary.rtmp.RtmpClientOptions;
import io.estuary.rtmp.RtmpClientSession;
import io.estuary.rtmp.RtmpPlaySession;
import io.estuary.rtmp.RtmpPublishSession;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.ChunkEncoder;
import io.estuary.rtmp.codec.ClientHandshakeHandler;
import io.estuary.rtmp.codec.HandshakeCompleted;
import io.estuary.rtmp.codec.RtmpException;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.UserControl;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The client side of one RTMP connection, after the handshake stage and the chunk codec: the command state machine
 * (connect, createStream, results by transaction id), pings, and the role ({@link ClientPlaying} or
 * {@link ClientPublishing}) that plays or publishes on it. Acknowledgements are the chunk codec's: it answers the
 * server's Window Acknowledgement Size by itself.
 */
final class ClientSession extends ChannelInboundHandlerAdapter implements RtmpClientSession {

  private static final double TXN_CONNECT = 1;

  private final RtmpClientImpl client;
  private final RtmpClientOptions options;
  private final ClientUrl url;
  private final boolean publisher;
  private final Promise<RtmpClientSession> connected = Promise.promise();
  private final Promise<String> closed = Promise.promise();
  private final ChunkCodec codec;

  // State accessed exclusively from the channel's event loop thread
  private ChannelHandlerContext ctx;
  private boolean isConnected;
  private double nextTransaction = TXN_CONNECT + 1;
  private final Map<Double, Consumer<CommandMessage>> results = new HashMap<>(4);
  private ClientRole role;
  private Handler<RtmpMessage> observer;
  private volatile int serverChunkSize;
  private volatile RtmpCapabilities serverCapabilities = RtmpCapabilities.NONE;
  private Handler<String> reconnectHandler;
  /** Where the server asked us to reconnect (its ReconnectRequest), else null. */
  private String reconnectTo;
  private String closeReason;

  ClientSession(RtmpClientImpl client, RtmpClientOptions options, ClientUrl url, boolean publisher) {
    this.client = client;
    this.options = options;
    this.url = url;
    this.publisher = publisher;
    this.codec = new ChunkCodec(options.getMaxMessageSize(), 0);
  }

  /** Puts the handshake stage, the chunk codec and this session in front of Vert.x's handler. On the event loop. */
  void install(NetSocket socket) {
    ChannelPipeline pipeline = RtmpChannels.pipeline(socket);
    pipeline.addBefore(RtmpChannels.VERTX_HANDLER, "rtmp-handshake", new ClientHandshakeHandler(options.getHandshakeTimeout()));
    pipeline.addBefore(RtmpChannels.VERTX_HANDLER, "rtmp-chunk", codec);
    pipeline.addBefore(RtmpChannels.VERTX_HANDLER, "rtmp-client", this);
  }

  Future<RtmpClientSession> connected() {
    return connected.future();
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  RtmpClientImpl client() {
    return client;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof HandshakeCompleted) {
      if (options.getChunkSize() != ChunkEncoder.DEFAULT_CHUNK_SIZE) {
        ctx.write(new SetChunkSize(options.getChunkSize()), ctx.voidPromise());
      }
      results.put(TXN_CONNECT, this::onConnectResult);
      ctx.writeAndFlush(Commands.connect(TXN_CONNECT, url.app(), url.tcUrl(), options.getFlashVer(),
          RtmpClientOptions.DEFAULT_FLASH_VER.equals(options.getFlashVer()), publisher, options.capabilities()),
          ctx.voidPromise());
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (observer != null && msg instanceof RtmpMessage m) {
        observer.handle(m);
      }
      if (msg instanceof Media media) {
        if (role != null) {
          role.onMedia(media);
        }
      } else if (msg instanceof CommandMessage command) {
        onCommand(command);
      } else if (msg instanceof DataMessage data) {
        if (role != null) {
          role.onData(data);
        }
      } else if (msg instanceof UserControl control && control.event() == UserControl.PING_REQUEST) {
        ctx.writeAndFlush(new UserControl(UserControl.PING_RESPONSE, control.value()), ctx.voidPromise());
      } else if (msg instanceof SetChunkSize size) {
        serverChunkSize = size.chunkSize();
      } // the chunk codec applies the other protocol control messages (window, acknowledgements) itself
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onCommand(CommandMessage command) {
    switch (command.name()) {
      case "_result", "_error" -> {
        Consumer<CommandMessage> result = results.remove(command.transactionId());
        if (result != null) {
          result.accept(command);
        }
      }
      case "onStatus" -> {
        if (!(command.argument(0) instanceof Map<?, ?> info)) {
          return;
        }
        if (Commands.RECONNECT_REQUEST.equals(info.get("code"))) {
          onReconnectRequest(info);
        } else if (!isConnected && Commands.isError(info)) {
          fail("refused: " + Commands.describe(info));
        } else if (role != null) {
          role.onStatus(info);
        }
      }
      default -> { } // onBWDone, onFCPublish, ...
    }
  }

  private void onConnectResult(CommandMessage result) {
    if (!"_result".equals(result.name())) {
      fail("refused: " + Commands.describe(result));
      return;
    }
    isConnected = true;
    // Enhanced RTMP v2 puts them in the properties; some servers answer in the information object.
    RtmpCapabilities answered = RtmpCapabilities.from(result.commandObject());
    if (!answered.announced() && result.argument(0) instanceof Map<?, ?> information) {
      answered = RtmpCapabilities.from(information);
    }
    serverCapabilities = answered;
    connected.tryComplete(this);
  }

  /**
   * Enhanced RTMP v2's Reconnect Request: the server wants us elsewhere (its {@code tcUrl}, relative to ours, or ours
   * again). The connection stays, as the spec asks, for the handler's owner to move at a media boundary; if the server
   * closes it first, the close reason names the request.
   */
  private void onReconnectRequest(Map<?, ?> info) {
    reconnectTo = resolve(url.tcUrl(), info.get("tcUrl") instanceof String s ? s : null);
    Handler<String> handler = reconnectHandler;
    if (handler != null) {
      handler.handle(reconnectTo);
    }
  }

  /** {@code reference} (absolute, {@code //host/app} or {@code /app}) against {@code tcUrl}; null or bad: tcUrl. */
  static String resolve(String tcUrl, String reference) {
    if (reference == null || reference.isEmpty()) {
      return tcUrl;
    }
    try {
      return URI.create(tcUrl).resolve(reference).toString();
    } catch (IllegalArgumentException e) {
      return reference;
    }
  }

  /** Sends a command with the next transaction id; {@code onResult} gets its _result or _error. */
  void call(int streamId, String name, Consumer<CommandMessage> onResult, Object... arguments) {
    double transaction = nextTransaction++;
    if (onResult != null) {
      results.put(transaction, onResult);
    }
    ctx.write(Commands.request(streamId, name, transaction, arguments), ctx.voidPromise());
  }

  /** createStream; {@code onStream} gets the new stream id, or the session fails. */
  void createStream(IntConsumer onStream) {
    call(0, "createStream", result -> {
      if ("_result".equals(result.name()) && result.argument(0) instanceof Number id) {
        onStream.accept(id.intValue());
      } else {
        fail("createStream refused: " + Commands.describe(result));
      }
    });
    ctx.flush();
  }

  void role(ClientRole role) {
    this.role = role;
  }

  /** The role leaves (a redirect): this connection closes without telling it. */
  void detach(String reason) {
    role = null;
    fail(reason);
  }

  /** Closes the connection for {@code reason} (the first reason given is kept). */
  void fail(String reason) {
    if (closeReason == null) {
      closeReason = reason;
    }
    ctx.close();
  }

  /** Runs {@code task} on the session's event loop: at once when already there. */
  void onLoop(Runnable task) {
    if (ctx.executor().inEventLoop()) {
      task.run();
    } else {
      ctx.executor().execute(task);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (role != null) {
      role.onReadComplete();
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable() && role != null) {
      role.onWritable();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    String reason = closeReason != null ? closeReason
        : reconnectTo != null ? "closed by the server after its reconnect request (to " + reconnectTo + ")"
        : "closed by the server";
    closeReason = reason;
    connected.tryFail(reason);
    ClientRole r = role;
    role = null;
    if (r != null) {
      r.onClosed(reason);
    }
    closed.tryComplete(reason);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(reason(cause));
  }

  /** A close reason for {@code cause}: "timeout: ...", "TLS failure: ...", "RTMP error: ...", "I/O error: ...". */
  static String reason(Throwable cause) {
    Throwable c = cause;
    while (c.getCause() != null && !(c instanceof SSLException) && !(c instanceof RtmpException)) {
      c = c.getCause();
    }
    String message = c.getMessage() == null ? c.toString() : c.getMessage();
    if (c instanceof SSLException) {
      Throwable root = c;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "TLS failure: " + message + (root == c || root.getMessage() == null ? "" : ": " + root.getMessage());
    }
    if (c instanceof RtmpException) {
      return (message.contains("not completed in") ? "timeout: " : "RTMP error: ") + message;
    }
    if (c instanceof io.netty.channel.ConnectTimeoutException) {
      return "timeout: " + message;
    }
    if (c instanceof IOException) {
      return "I/O error: " + message;
    }
    return message;
  }

  // ---- RtmpClientSession ----

  @Override
  public String tcUrl() {
    return url.tcUrl();
  }

  @Override
  public int serverChunkSize() {
    return serverChunkSize;
  }

  @Override
  public RtmpCapabilities serverCapabilities() {
    return serverCapabilities;
  }

  @Override
  public RtmpClientSession reconnectHandler(Handler<String> handler) {
    onLoop(() -> {
      this.reconnectHandler = handler;
      if (handler != null && reconnectTo != null) { // the request came before the handler
        handler.handle(reconnectTo);
      }
    });
    return this;
  }

  @Override
  public RtmpClientSession messageObserver(Handler<RtmpMessage> observer) {
    onLoop(() -> this.observer = observer);
    return this;
  }

  @Override
  public Future<RtmpPlaySession> play(String stream, Handler<RtmpMessage> handler) {
    ClientPlaying playing = new ClientPlaying(client, ClientUrl.join(url.tcUrl(), stream), handler);
    onLoop(() -> playing.attach(this, stream));
    return playing.started();
  }

  @Override
  public Future<RtmpPublishSession> publish(String stream) {
    ClientPublishing publishing = new ClientPublishing();
    onLoop(() -> publishing.attach(this, stream));
    return publishing.started();
  }

  @Override
  public Future<Void> send(RtmpMessage message) {
    Promise<Void> sent = Promise.promise();
    onLoop(() -> ctx.writeAndFlush(message).addListener(f -> {
      if (f.isSuccess()) {
        sent.complete();
      } else {
        sent.fail(f.cause());
      }
    }));
    return sent.future();
  }

  @Override
  public Future<String> closed() {
    return closed.future();
  }

  @Override
  public boolean isActive() {
    return ctx.channel().isActive();
  }

  @Override
  public long bytesRead() {
    return codec.bytesRead();
  }

  @Override
  public Future<Void> close() {
    onLoop(() -> fail("closed"));
    return closed.future().mapEmpty();
  }
}
