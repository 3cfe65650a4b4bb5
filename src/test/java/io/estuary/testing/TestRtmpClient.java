package io.estuary.testing;

import io.estuary.media.FlvTags;
import io.estuary.rtmp.codec.ChunkCodec;
import io.estuary.rtmp.codec.ClientHandshakeHandler;
import io.estuary.rtmp.codec.HandshakeCompleted;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.SetChunkSize;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP client for tests, built on Estuary's own codec: connects, plays, and records every message it receives
 * (media payloads are summarized and released at once) with its arrival time.
 */
public final class TestRtmpClient implements AutoCloseable {

  /** One received message: media summarized (type, timestamp, keyframe, sequence header, size), others kept. */
  public record Received(RtmpMessage message, int type, long timestamp, boolean keyframe, boolean sequenceHeader,
                         int size, long arrivedNanos) {
  }

  private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  public final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** Every message received, in order, kept for assertions on control messages. */
  public final List<RtmpMessage> all = Collections.synchronizedList(new ArrayList<>());
  private final CompletableFuture<Void> handshaken = new CompletableFuture<>();
  private final Channel channel;
  private final String tcUrl;

  private TestRtmpClient(int port, String app, String host) throws Exception {
    tcUrl = "rtmp://" + host + ":" + port + "/" + app;
    channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new ClientHandshakeHandler(10_000), new ChunkCodec(16 * 1024 * 1024, 0),
                new SimpleChannelInboundHandler<RtmpMessage>(false) {
                  @Override
                  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof HandshakeCompleted) {
                      handshaken.complete(null);
                    }
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage msg) {
                    record(msg);
                  }
                });
          }
        }).connect("127.0.0.1", port).sync().channel();
    handshaken.get(10, TimeUnit.SECONDS);
  }

  /** Connects to {@code app} and waits for the connect {@code _result}. */
  public static TestRtmpClient connect(int port, String app) throws Exception {
    return connect(port, app, "127.0.0.1");
  }

  /** Connects to {@code app} with {@code host} in the tcUrl (which selects the vhost, as in SRS). */
  public static TestRtmpClient connect(int port, String app, String host) throws Exception {
    TestRtmpClient client = new TestRtmpClient(port, app, host);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("app", app);
    info.put("flashVer", "LNX 9,0,124,2");
    info.put("tcUrl", client.tcUrl);
    info.put("fpad", false);
    info.put("capabilities", 15.0);
    info.put("audioCodecs", 4071.0);
    info.put("videoCodecs", 252.0);
    info.put("videoFunction", 1.0);
    client.send(new CommandMessage(0, "connect", 1, info));
    try {
      client.awaitCommand("_result", 10);
    } catch (AssertionError e) {
      client.close();
      throw new AssertionError("connect refused or unanswered (" + client.tcUrl + "): " + client.all, e);
    }
    return client;
  }

  /** createStream then play {@code stream} on message stream 1; returns once NetStream.Play.Start arrived. */
  public TestRtmpClient play(String stream) throws Exception {
    send(new CommandMessage(0, "createStream", 2, null));
    awaitCommand("_result", 10);
    send(new CommandMessage(1, "play", 0, null, stream, -2.0));
    while (true) {
      CommandMessage status = awaitCommand("onStatus", 10);
      if (status.argument(0) instanceof Map<?, ?> info && "NetStream.Play.Start".equals(info.get("code"))) {
        return this;
      }
    }
  }

  /** The chunk size the server announced (its Set Chunk Size), or 0 if none came. */
  public int announcedChunkSize() {
    synchronized (all) { // the list is appended to by the client's event loop
      return all.stream().filter(m -> m instanceof SetChunkSize).mapToInt(m -> ((SetChunkSize) m).chunkSize())
          .findFirst().orElse(0);
    }
  }

  public void send(RtmpMessage message) {
    channel.writeAndFlush(message).syncUninterruptibly();
  }

  public boolean isActive() {
    return channel.isActive();
  }

  /** Waits up to {@code seconds} for the server to close the connection; true if it did. */
  public boolean awaitClosed(long seconds) {
    return channel.closeFuture().awaitUninterruptibly(seconds, TimeUnit.SECONDS);
  }

  /** The next audio or video message, skipping everything else; null after {@code seconds}. */
  public Received nextMedia(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Received r = received.poll(50, TimeUnit.MILLISECONDS);
      if (r != null && (r.type() == RtmpMessage.TYPE_AUDIO || r.type() == RtmpMessage.TYPE_VIDEO)) {
        return r;
      }
    }
    return null;
  }

  /** The next received message of any kind, or null after {@code seconds}. */
  public Received next(long seconds) throws InterruptedException {
    return received.poll(seconds, TimeUnit.SECONDS);
  }

  /** Skips until a command named {@code name} arrives. */
  public CommandMessage awaitCommand(String name, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Received r = received.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.message() instanceof CommandMessage c && c.name().equals(name)) {
        return c;
      }
      if (r == null && !channel.isActive()) {
        break; // closed by the server, nothing more will come
      }
    }
    throw new AssertionError("no " + name + " within " + seconds + " s" + (channel.isActive() ? "" : ", connection closed"));
  }

  private void record(RtmpMessage msg) {
    long now = System.nanoTime();
    if (!(msg instanceof Media)) {
      all.add(msg);
    }
    if (msg instanceof Media media) {
      try {
        boolean video = media.isVideo();
        received.add(new Received(null, media.typeId(), media.timestamp(),
            video && FlvTags.isKeyframe(media.payload()),
            video ? FlvTags.isVideoSequenceHeader(media.payload()) : FlvTags.isAudioSequenceHeader(media.payload()),
            media.payload().readableBytes(), now));
      } finally {
        media.release();
      }
    } else if (msg instanceof DataMessage data) {
      received.add(new Received(data, data.typeId(), data.timestamp(), false, false, 0, now));
    } else {
      received.add(new Received(msg, msg.typeId(), msg.timestamp(), false, false, 0, now));
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
