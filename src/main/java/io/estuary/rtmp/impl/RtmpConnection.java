package io.estuary.rtmp.impl;

import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.amf.Amf0;
import io.estuary.cluster.Origin;
import io.estuary.cluster.OriginCluster;
import io.estuary.cluster.Redirects;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.log.RateLimitedLog;
import io.estuary.rtmp.RtmpCapabilities;
import io.estuary.rtmp.RtmpServerOptions;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.HandshakeCompleted;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.estuary.rtmp.message.SetPeerBandwidth;
import io.estuary.rtmp.message.UserControl;
import io.estuary.rtmp.message.WindowAckSize;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One RTMP client on the server, the server session: the Netty handler that owns the command state machine
 * (connect, createStream, publish, play, FCUnpublish, deleteStream, ...) in one place, the connect timeout and the
 * close path. What a stream does is a role: {@link RtmpPublisher} while publishing, {@link RtmpPlayer} while playing.
 *
 * <p>State accessed exclusively from the channel's event loop thread.
 */
final class RtmpConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = Logger.getLogger("io.estuary.rtmp");
  /** Its listener's budget for the lines of clients closed for bad input. */
  private final RateLimitedLog faults;

  private static final long PEER_BANDWIDTH = 2_500_000;
  private static final int STREAM_ID = 1;
  /** How long a redirected player may take to leave before it is closed (SRS's SRS_REDIRECT_TIMEOUT). */
  private static final long REDIRECT_LINGER_MS = 3000;

  /** REDIRECTING: a play asks the origin cluster where its stream is, then the player got its RTMP 302. */
  private enum State { HANDSHAKING, HANDSHAKEN, CONNECTED, AUTHORIZING, PUBLISHING, PLAYING, REDIRECTING, CLOSED }

  private final Client client;
  private final String cid;
  private final StreamHub hub;
  private final Clients clients;
  private final SessionEvents events;
  private boolean faulted;
  private final Supplier<Vhosts> vhosts;
  private final RtmpServerOptions options;
  private final ChunkCodec codec;
  private final OriginCluster cluster;
  /** "[client id] address:port", how every log line names this client. */
  private final String who;

  private ChannelHandlerContext ctx;
  private State state = State.HANDSHAKING;
  private String tcUrl;
  private String app;
  private Object objectEncoding = 0.0;
  /** What the client announced in connect (Enhanced RTMP v2): NONE for a legacy client. */
  private RtmpCapabilities announced = RtmpCapabilities.NONE;
  private VhostConfig vhost;
  private StreamKey key;
  /** The role while publishing, else null. */
  private RtmpPublisher publisher;
  /** The role while playing, else null. */
  private RtmpPlayer player;
  /** What a publisher sent while its publish was being authorized, in order; replayed once it is allowed. */
  private final PublishHold held = new PublishHold(PublishHold.MAX_BYTES);
  /** This publisher holds the cluster's claim on {@link #key} ({@link StreamHub#claims()}): released in cleanup. */
  private boolean claimed;
  /**
   * The connect command's deadline after the handshake, then publish's or play's after connect (SRS identifies the
   * client within a timeout too): a client that only holds a connection open is closed.
   */
  private ScheduledFuture<?> connectDeadline;
  /** After an RTMP 302, when the player is closed if it has not left. */
  private ScheduledFuture<?> redirectDeadline;
  /** After a Reconnect Request, when the publisher is closed if it has not left; null before one was sent. */
  private ScheduledFuture<?> reconnectDeadline;

  RtmpConnection(StreamHub hub, Clients clients, EventBus bus, Supplier<Vhosts> vhosts, RtmpServerOptions options,
                 SocketAddress remote, ChunkCodec codec, OriginCluster cluster, RateLimitedLog faults) {
    this.hub = hub;
    this.faults = faults;
    this.cluster = cluster;
    this.clients = clients;
    this.client = new Client(remote == null ? "" : remote.hostAddress(), "rtmp", this::kick);
    this.events = new SessionEvents(bus, client);
    this.cid = client.id();
    this.codec = codec;
    this.vhosts = vhosts;
    this.options = options;
    this.who = "[" + cid + "] " + (remote == null ? "?" : remote.hostAddress() + ":" + remote.port());
  }

  Client client() {
    return client;
  }

  /** What the client announced in its connect command (Enhanced RTMP v2 capsEx, FourCCs); NONE before it. */
  RtmpCapabilities announced() {
    return announced;
  }

  /**
   * The API kicks this client, from any thread: with {@code reconnect} ({@code ?reconnect=1}), a publisher that
   * announced Reconnect is asked to move ({@link #requestReconnect}); any other client is closed at once.
   */
  private void kick(boolean reconnect) {
    ctx.executor().execute(() -> {
      if (state == State.CLOSED || reconnect && requestReconnect("asked to move by the API")) {
        return;
      }
      LOG.info(who + " kicked off by the API" + describeStream());
      close();
    });
  }

  /**
   * The listener stops (the node stops gracefully): a publisher that announced Reconnect is asked to move
   * ({@link #requestReconnect}); any other client is closed now. From any thread; completes once the connection closed.
   */
  Future<Void> leave(String why) {
    Promise<Void> left = Promise.promise();
    ctx.channel().closeFuture().addListener(f -> left.tryComplete());
    ctx.executor().execute(() -> {
      if (state != State.CLOSED && !requestReconnect(why)) {
        LOG.info(who + " closing: " + why + describeStream());
        close();
      }
    });
    return left.future();
  }

  /**
   * Enhanced RTMP v2's Reconnect Request, for a publisher that announced it takes one (capsEx Reconnect): an onStatus
   * NetConnection.Connect.ReconnectRequest naming the tcUrl it connected with, and its publish goes on (the spec asks
   * the old server to keep serving until the client leaves) until it leaves, or is closed after
   * {@link RtmpServerOptions#getReconnectLinger()}. False, and nothing sent, for any other client: the caller closes it.
   */
  private boolean requestReconnect(String why) {
    if (state != State.PUBLISHING || !announced.reconnect()) {
      return false;
    }
    if (reconnectDeadline != null) {
      return true; // asked already: the first deadline stands
    }
    long linger = options.getReconnectLinger();
    reply(Commands.reconnectRequest(tcUrl, why + "; reconnect within " + linger + " ms"));
    LOG.info(who + " asked to reconnect (" + why + ")" + describeStream() + "; closed in " + linger + " ms unless it leaves");
    reconnectDeadline = ctx.executor().schedule(() -> {
      if (state != State.CLOSED) {
        LOG.info(who + " closing: still connected " + linger + " ms after its reconnect request" + describeStream());
        close();
      }
    }, linger, TimeUnit.MILLISECONDS);
    return true;
  }

  // ---- Netty events ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    clients.add(client);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof HandshakeCompleted) {
      state = State.HANDSHAKEN;
      // The handshake stage has its own timeout; the connect command must follow within the same bound.
      connectDeadline = ctx.executor().schedule(this::connectTimedOut, options.getHandshakeTimeout(),
          TimeUnit.MILLISECONDS);
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSED || !(msg instanceof RtmpMessage message)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      if (held.holding()) {
        held.add(message); // in order, commands too: replayed once the publish is allowed
      } else {
        handleMessage(message);
      }
    } catch (RtmpRequestException e) {
      fail(e.getMessage());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (publisher != null) {
      publisher.readComplete();
    }
    super.channelReadComplete(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (player != null) {
      player.writabilityChanged();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.CLOSED) {
      return; // each write still queued when the connection failed fails in turn: the first one was told
    }
    if (cause instanceof IOException) {
      // The peer went away (reset, broken pipe): not a protocol problem.
      LOG.info(who + " disconnected: " + cause.getMessage() + describeStream());
      close();
    } else if (cause instanceof DecoderException) {
      Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
      fail(reason.getMessage() == null ? reason.getClass().getSimpleName() : reason.getMessage());
    } else {
      faults.log(who + " closing: unexpected error", cause);
      close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (state != State.CLOSED) {
      LOG.info(who + " disconnected" + describeStream());
    }
    cleanup();
    if (reconnectDeadline != null) {
      reconnectDeadline.cancel(false);
    }
    state = State.CLOSED; // a callback verdict arriving later must not start anything
    clients.leave(client.ip());
    clients.remove(client, faulted);
    events.closed();
    super.channelInactive(ctx);
  }

  // ---- messages: the state machine ----

  private void handleMessage(RtmpMessage message) {
    switch (message.typeId()) {
      case RtmpMessage.TYPE_AUDIO, RtmpMessage.TYPE_VIDEO -> onMedia((Media) message);
      case RtmpMessage.TYPE_DATA_AMF0 -> onData((DataMessage) message);
      case RtmpMessage.TYPE_COMMAND_AMF0 -> onCommand((CommandMessage) message);
      case RtmpMessage.TYPE_USER_CONTROL -> onUserControl((UserControl) message);
      default -> {
        // Set Chunk Size, Window Ack Size, Acknowledgement, Abort, Set Peer Bandwidth: the chunk codec applied them.
      }
    }
  }

  private void onCommand(CommandMessage command) {
    switch (command.name()) {
      case "connect" -> onConnect(command);
      case "releaseStream", "FCPublish" -> reply(Commands.result(command, Amf0.UNDEFINED));
      case "createStream" -> reply(Commands.result(command, (double) STREAM_ID));
      case "publish" -> onPublish(command);
      case "play" -> onPlay(command);
      case "FCUnpublish" -> onFCUnpublish(command);
      case "deleteStream", "closeStream" -> stopStream();
      case "getStreamLength" -> reply(Commands.result(command, 0.0));
      case "_result", "_error", "onBWDone", "onStatus" -> { }
      default -> {
        // _checkbw and anything we do not know: an empty _result keeps clients that wait for one going.
        if (command.transactionId() > 0) {
          reply(Commands.result(command, null));
        }
      }
    }
  }

  private void onConnect(CommandMessage command) {
    if (state != State.HANDSHAKEN) {
      throw new RtmpRequestException("connect received twice");
    }
    Map<String, Object> info = command.commandObject();
    if (info == null) {
      throw new RtmpRequestException("connect without a command object");
    }
    tcUrl = info.get("tcUrl") instanceof String s ? s : null;
    Object appValue = info.get("app");
    if (!(appValue instanceof String)) {
      throw new RtmpRequestException("connect without an app");
    }
    app = (String) appValue;
    if (info.containsKey("objectEncoding")) {
      objectEncoding = info.get("objectEncoding");
    }
    announced = RtmpCapabilities.from(info);
    RtmpUrl url = RtmpUrl.parse(tcUrl, app, null);
    Vhosts configured = vhosts.get();
    vhost = configured.resolve(url.vhost());
    if (vhost != null && !vhost.enabled()) {
      reply(Commands.onStatus(0, Commands.connectRejected("vhost " + url.vhost() + " is not served", cid)));
      throw new RtmpRequestException("vhost " + url.vhost() + " is disabled (tcUrl " + tcUrl + ")");
    }
    // No vhost yet: the stream may name it (?vhost=), and SRS resolves it at publish or play; until then the
    // connection runs on SRS's global defaults.
    String vhostName = vhost != null ? vhost.name() : url.vhost();
    long inAckSize = vhost != null ? vhost.inAckSize() : 0;
    long outAckSize = vhost != null ? vhost.outAckSize() : VhostConfig.DEFAULT_OUT_ACK_SIZE;
    state = State.CONNECTED;
    cancelConnectDeadline();
    connectDeadline = ctx.executor().schedule(this::identifyTimedOut, options.getHandshakeTimeout(),
        TimeUnit.MILLISECONDS);
    codec.decoder().inAckSize(inAckSize);
    int chunkSize = vhost != null ? vhost.chunkSize() : configured.chunkSize();
    // SRS's reply order: window ack size, peer bandwidth, chunk size, _result, onBWDone.
    ctx.write(new WindowAckSize(outAckSize), ctx.voidPromise());
    ctx.write(new SetPeerBandwidth(PEER_BANDWIDTH, SetPeerBandwidth.LIMIT_DYNAMIC), ctx.voidPromise());
    ctx.write(new SetChunkSize(chunkSize), ctx.voidPromise()); // the encoder keeps it: players ask it
    ctx.write(Commands.connectResult(command, objectEncoding, ConnectNegotiation.answer(announced)), ctx.voidPromise());
    reply(Commands.onBWDone());
    client.connected(vhostName, app, tcUrl, info.get("pageUrl") instanceof String p ? p : "",
        info.get("swfUrl") instanceof String w ? w : "");
    LOG.info(who + " connected, tcUrl=" + tcUrl + ", vhost=" + vhostName + (announced.announced()
        ? ", Enhanced RTMP capsEx=" + announced.capsEx() + " fourCcList=" + announced.fourCcList()
        + " video=" + announced.videoFourCcInfoMap() + " audio=" + announced.audioFourCcInfoMap() : ""));
  }

  private void onPublish(CommandMessage command) {
    requireConnected("publish");
    RtmpUrl url = requestedStream(command);
    authorize("publish", new StreamKey(vhost.name(), url.app(), url.stream()), url.param(), command.streamId(),
        () -> startPublish(command, url));
  }

  private void startPublish(CommandMessage command, RtmpUrl url) {
    Source s = hub.acquire(key);
    if (!s.startPublish(ctx.executor(), vhost.play(), vhost.publish().parseSps(), cid)) {
      s.release();
      reply(Commands.onStatus(command.streamId(), Commands.publishBadName(cid)));
      fail("stream " + key + " is busy: another publisher is live (StreamBusy)");
      return;
    }
    state = State.PUBLISHING;
    publisher = new RtmpPublisher(ctx, s, vhost.publish(), vhost.chunkSize(), this::fail);
    client.identified(key, url.param(), "fmle-publish", true);
    publisher.start(command.streamId());
    events.published();
    LOG.info(who + " publish " + key + url.param());
  }

  private void onPlay(CommandMessage command) {
    requireConnected("play");
    RtmpUrl url = requestedStream(command);
    authorize("play", new StreamKey(vhost.name(), url.app(), url.stream()), url.param(), command.streamId(),
        () -> startPlay(command, url));
  }

  private void startPlay(CommandMessage command, RtmpUrl url) {
    if (OriginCluster.asks(vhost, hub.get(key))) {
      redirectPlay(command, url);
      return;
    }
    if (Redirects.asksDirectory(vhost, hub.get(key), hub.owners())) {
      locatePlay(command, url);
      return;
    }
    playHere(command, url);
  }

  private void playHere(CommandMessage command, RtmpUrl url) {
    ctx.channel().config().setOption(ChannelOption.TCP_NODELAY, vhost.playerNoDelay());
    state = State.PLAYING;
    player = new RtmpPlayer(ctx, command.streamId() == 0 ? STREAM_ID : command.streamId(), vhost.play(),
        announced.multitrack(), this::fail);
    player.start(url.stream());
    Source source = player.subscribe(hub, key, url.param());
    events.played();
    LOG.info(who + " play " + key + url.param()
        + (source.isPublishing() ? "" : ", waiting for a publisher"));
  }

  /**
   * SRS's origin cluster (SrsRtmpConn::playing): the play is announced (Stream Begin, Play.Start) and the coworkers
   * are asked where the stream is published; the player gets the RTMP 302 to the first that has it and is closed
   * after {@link #REDIRECT_LINGER_MS} unless it leaves first. No coworker has it: the player is closed at once.
   */
  private void redirectPlay(CommandMessage command, RtmpUrl url) {
    state = State.REDIRECTING;
    RtmpPlayer.announce(ctx, command.streamId() == 0 ? STREAM_ID : command.streamId(), url.stream());
    StreamKey asked = key;
    cluster.locate(vhost, asked, url.host() == null ? "" : url.host()).onComplete(located -> ctx.executor().execute(() -> {
      if (state != State.REDIRECTING) {
        return; // closed while the coworkers were asked
      }
      if (located.failed()) {
        fail("play " + asked + url.param() + ": " + located.cause().getMessage());
        return;
      }
      redirect(asked, url, located.result(), "origin cluster: coworker " + located.result().coworker()
          + " publishes it");
    }));
  }

  /**
   * Hazelcast mode: the stream directory is asked which node publishes the stream; another node does: the player
   * gets SRS's RTMP 302 to it (announced first, as {@link #redirectPlay}); nobody does: it plays (waits) here.
   */
  private void locatePlay(CommandMessage command, RtmpUrl url) {
    state = State.REDIRECTING;
    StreamKey asked = key;
    hub.owners().elsewhere(asked).whenComplete((owner, failure) -> ctx.executor().execute(() -> {
      if (state != State.REDIRECTING) {
        return; // closed while the directory was asked
      }
      Origin origin = failure == null ? Redirects.origin(owner) : null;
      Source local = hub.get(asked);
      if (origin == null || local != null && local.isPublishing()) {
        if (failure != null) {
          LOG.warning(who + " play " + asked + ": stream directory not answering (" + failure.getMessage()
              + "); playing here");
        }
        state = State.CONNECTED;
        playHere(command, url);
        return;
      }
      RtmpPlayer.announce(ctx, command.streamId() == 0 ? STREAM_ID : command.streamId(), url.stream());
      redirect(asked, url, origin, "stream directory: node " + owner.nodeId() + " publishes it");
    }));
  }

  /** Sends the RTMP 302 to {@code origin}; the player is closed after {@link #REDIRECT_LINGER_MS} unless it left. */
  private void redirect(StreamKey asked, RtmpUrl url, Origin origin, String why) {
    String target = origin.url(asked.app(), asked.stream(), asked.vhost(), url.param());
    reply(Commands.redirect(origin.tcUrl(asked.app()), target));
    LOG.info(who + " play " + asked + url.param() + ": RTMP 302 to " + target + " (" + why + ")");
    redirectDeadline = ctx.executor().schedule(() -> {
      redirectDeadline = null;
      if (state == State.REDIRECTING) {
        LOG.info(who + " closing: redirected player still connected after " + REDIRECT_LINGER_MS + " ms");
        close();
      }
    }, REDIRECT_LINGER_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Asks the security rules and callbacks ({@link SessionEvents#authorize}) and, for a publish, the cluster's claim
   * on the stream ({@link #claim}), then {@code then} on this loop if allowed; otherwise the client is closed. A
   * publisher's messages meanwhile are {@link #held}.
   */
  private void authorize(String action, StreamKey requested, String param, int streamId, Runnable then) {
    cancelConnectDeadline();
    key = requested;
    boolean publish = "publish".equals(action);
    client.identified(requested, param, publish ? "fmle-publish" : "rtmp-play", false);
    state = State.AUTHORIZING;
    if (publish) {
      held.start(ctx.channel());
    }
    events.authorize(vhost.security(), action, ctx.executor(), verdict -> {
      if (state != State.AUTHORIZING) {
        return; // closed while the callbacks were asked
      }
      if (verdict.failed()) {
        fail(action + " refused: " + verdict.cause().getMessage());
        return;
      }
      if (publish && !vhost.cluster().edge()) { // an edge's publish is claimed by the origin it is pushed to
        claim(requested, streamId, then);
      } else {
        allowed(publish, then);
      }
    });
  }

  /**
   * One publisher per stream in the whole cluster: the node's {@link io.estuary.stream.PublishClaims} is asked
   * (at once on a single node); a stream another node publishes is refused as a busy one is here.
   */
  private void claim(StreamKey requested, int streamId, Runnable then) {
    hub.claims().claim(requested, cid).whenComplete((granted, refused) -> ctx.executor().execute(() -> {
      if (state != State.AUTHORIZING) { // closed while the directory was asked
        if (refused == null) {
          hub.claims().release(requested);
        }
        return;
      }
      if (refused != null) {
        reply(Commands.onStatus(streamId, Commands.publishBadName(cid)));
        Throwable reason = refused instanceof CompletionException c && c.getCause() != null
            ? c.getCause() : refused;
        fail("stream " + requested + " is busy: " + reason.getMessage() + " (StreamBusy)");
        return;
      }
      claimed = true;
      allowed(true, then);
    }));
  }

  /** The verdict allowed the publish or play: {@code then}, and a publisher's held messages follow it. */
  private void allowed(boolean publish, Runnable then) {
    state = State.CONNECTED;
    try {
      then.run();
      if (publish) {
        held.end(ctx.channel(), this::replayed);
      }
    } catch (RtmpRequestException e) {
      fail(e.getMessage());
    }
  }

  private void onFCUnpublish(CommandMessage command) {
    Map<String, Object> done = Commands.unpublishSuccess();
    ctx.write(Commands.notify(command.streamId(), "onFCUnpublish", done), ctx.voidPromise());
    ctx.write(Commands.result(command, Amf0.UNDEFINED), ctx.voidPromise());
    reply(Commands.onStatus(command.streamId(), done));
    stopStream();
  }

  private void onMedia(Media media) {
    if (state != State.PUBLISHING) {
      media.release();
      return;
    }
    publisher.onMedia(media);
  }

  private void onData(DataMessage data) {
    if (state == State.PUBLISHING) {
      publisher.onData(data);
    }
  }

  /** A message held during authorization, handled as if it arrived now, unless the connection closed meanwhile. */
  private void replayed(RtmpMessage message) {
    if (state == State.CLOSED) {
      ReferenceCountUtil.release(message);
    } else {
      handleMessage(message);
    }
  }

  private void onUserControl(UserControl control) {
    if (control.event() == UserControl.PING_REQUEST) {
      reply(new UserControl(UserControl.PING_RESPONSE, control.value()));
    }
  }

  // ---- helpers ----

  private RtmpUrl requestedStream(CommandMessage command) {
    if (!(command.argument(0) instanceof String name) || name.isEmpty()) {
      throw new RtmpRequestException(command.name() + " without a stream name");
    }
    if (state == State.PUBLISHING || state == State.PLAYING || state == State.AUTHORIZING
        || state == State.REDIRECTING) {
      throw new RtmpRequestException(command.name() + " while already " + state.name().toLowerCase());
    }
    RtmpUrl url = RtmpUrl.parse(tcUrl, app, name);
    VhostConfig resolved = vhosts.get().resolve(url.vhost());
    if (resolved == null || !resolved.enabled()) {
      throw new RtmpRequestException("no vhost " + url.vhost() + " for " + name);
    }
    vhost = resolved;
    if (url.stream().isEmpty()) {
      throw new RtmpRequestException(command.name() + " without a stream name");
    }
    return url;
  }

  private void requireConnected(String command) {
    if (state.ordinal() < State.CONNECTED.ordinal()) {
      throw new RtmpRequestException(command + " before connect");
    }
  }

  /** Writes {@code message} and flushes it with whatever was written before it. */
  private void reply(RtmpMessage message) {
    ctx.writeAndFlush(message, ctx.voidPromise());
  }

  /** Leaves publishing or playing; the connection stays open. */
  private void stopStream() {
    if (state == State.PUBLISHING || state == State.PLAYING) {
      LOG.info(who + " stop " + state.name().toLowerCase() + " " + key);
      cleanup();
      state = State.CONNECTED;
    }
  }

  /** Ends the role, if any, and what is pending: the connection may stay (stop) or close. */
  private void cleanup() {
    cancelConnectDeadline();
    if (redirectDeadline != null) {
      redirectDeadline.cancel(false);
      redirectDeadline = null;
    }
    held.release();
    if (claimed) {
      claimed = false;
      hub.claims().release(key);
    }
    if (publisher != null) {
      publisher.stop();
      publisher = null;
      events.unpublished();
    } else if (player != null) {
      player.stop();
      player = null;
      events.stopped();
    } else {
      return;
    }
    client.stopped();
  }

  /** Logs one line naming this client and the problem, and closes only this connection. */
  private void fail(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    faults.log(() -> who + " closing: " + reason);
    faulted = true;
    close();
  }

  private void close() {
    cleanup();
    state = State.CLOSED;
    ctx.close();
  }

  private String describeStream() {
    return key == null ? "" : " (" + state.name().toLowerCase() + " " + key + ")";
  }

  private void connectTimedOut() {
    connectDeadline = null;
    int pending = codec.decoder().pendingBytes();
    fail("no connect command within " + options.getHandshakeTimeout() + " ms"
        + (pending > 0 ? " (a truncated chunk: " + pending + " bytes of an incomplete message)" : ""));
  }

  private void identifyTimedOut() {
    connectDeadline = null;
    fail("no publish or play within " + options.getHandshakeTimeout() + " ms of connect");
  }

  private void cancelConnectDeadline() {
    if (connectDeadline != null) {
      connectDeadline.cancel(false);
      connectDeadline = null;
    }
  }

  /** A client request the server refuses: the connection is closed with this reason. */
  static final class RtmpRequestException extends RuntimeException {
    RtmpRequestException(String message) {
      super(message, null, false, false);
    }
  }
}
