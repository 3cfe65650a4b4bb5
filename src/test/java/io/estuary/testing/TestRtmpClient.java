package io.estuary.testing;

import io.estuary.media.FlvTags;
import io.estuary.rtmp.RtmpClient;
import io.estuary.rtmp.RtmpClientSession;
import io.estuary.rtmp.message.CommandMessage;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.SocketAddress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link RtmpClient} for blocking tests: connects, plays, and records every message it receives (media payloads
 * summarized, not kept) with its arrival time; waits take a deadline.
 */
public final class TestRtmpClient implements AutoCloseable {

  /** One received message: media summarized (type, timestamp, keyframe, sequence header, size), others kept. */
  public record Received(RtmpMessage message, int type, long timestamp, boolean keyframe, boolean sequenceHeader,
                         int size, long arrivedNanos) {
  }

  /** One event loop for every test client of the JVM, as a shared Netty group was before. */
  private static final Vertx VERTX = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private static final RtmpClient CLIENT = RtmpClient.create(VERTX);

  public final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** Every message but media received after connect, in order, kept for assertions on control messages. */
  public final List<RtmpMessage> all = Collections.synchronizedList(new ArrayList<>());
  private final RtmpClientSession session;

  private TestRtmpClient(RtmpClientSession session) {
    this.session = session;
    session.messageObserver(this::record);
  }

  /** Connects to {@code app} and waits for the connect {@code _result}. */
  public static TestRtmpClient connect(int port, String app) throws Exception {
    return connect(port, app, "127.0.0.1");
  }

  /** Connects to {@code app} with {@code host} in the tcUrl (which selects the vhost, as in SRS). */
  public static TestRtmpClient connect(int port, String app, String host) throws Exception {
    String tcUrl = "rtmp://" + host + ":" + port + "/" + app;
    try {
      return new TestRtmpClient(CLIENT.connect(SocketAddress.inetSocketAddress(port, "127.0.0.1"), tcUrl)
          .await(10, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new AssertionError("connect refused or unanswered (" + tcUrl + "): " + e.getMessage(), e);
    }
  }

  /**
   * createStream then play {@code stream}; returns once NetStream.Play.Start arrived, or fails with an
   * AssertionError naming why (refused, closed, no answer), as {@link #connect} does.
   */
  public TestRtmpClient play(String stream) throws Exception {
    try {
      session.play(stream, message -> { }).await(10, TimeUnit.SECONDS); // the observer records what arrives
    } catch (Exception e) {
      throw new AssertionError("play " + stream + " refused or unanswered: " + e.getMessage(), e);
    }
    return this;
  }

  /**
   * createStream and play {@code stream} sent as a plain player sends them, without the client's play role: nothing
   * is awaited and nothing is followed (an RTMP 302 stays one more recorded message).
   */
  public TestRtmpClient sendPlay(String stream) throws Exception {
    send(new CommandMessage(0, "createStream", 2, null));
    send(new CommandMessage(1, "play", 3, null, stream, -2.0));
    return this;
  }

  /** The chunk size the server announced (its Set Chunk Size), or 0 if none came. */
  public int announcedChunkSize() {
    return session.serverChunkSize();
  }

  public void send(RtmpMessage message) throws Exception {
    session.send(message).await(10, TimeUnit.SECONDS);
  }

  public boolean isActive() {
    return session.isActive();
  }

  /** Waits up to {@code seconds} for the server to close the connection; true if it did. */
  public boolean awaitClosed(long seconds) {
    try {
      session.closed().await(seconds, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The next audio or video message, skipping everything else; null after {@code seconds}. */
  public Received nextMedia(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (long left = seconds * 1_000_000_000L; left > 0; left = deadline - System.nanoTime()) {
      Received r = received.poll(left, TimeUnit.NANOSECONDS);
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
      if (r == null && !session.isActive()) {
        break; // closed by the server, nothing more will come
      }
    }
    throw new AssertionError("no " + name + " within " + seconds + " s" + (session.isActive() ? "" : ", connection closed"));
  }

  /** On the client's event loop; the session releases the message after this returns. */
  private void record(RtmpMessage msg) {
    long now = System.nanoTime();
    if (msg instanceof Media media) {
      boolean video = media.isVideo();
      received.add(new Received(null, media.typeId(), media.timestamp(),
          video && FlvTags.isKeyframe(media.payload()),
          video ? FlvTags.isVideoSequenceHeader(media.payload()) : FlvTags.isAudioSequenceHeader(media.payload()),
          media.payload().readableBytes(), now));
      return;
    }
    all.add(msg);
    if (msg instanceof DataMessage data) {
      received.add(new Received(data, data.typeId(), data.timestamp(), false, false, 0, now));
    } else {
      received.add(new Received(msg, msg.typeId(), msg.timestamp(), false, false, 0, now));
    }
  }

  @Override
  public void close() {
    try {
      session.close().await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the connection did not close within 10 s", e);
    }
  }
}
