package io.estuary.rtmp.impl;

import io.estuary.rtmp.RtmpPlaySession;
import io.estuary.rtmp.message.DataMessage;
import io.estuary.rtmp.message.Media;
import io.estuary.rtmp.message.RtmpMessage;
import io.estuary.rtmp.message.UserControl;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.Map;

/**
 * The playing role of a client session: createStream, play, then every media and data message to the handler.
 * Follows an RTMP 302 (SRS: an error onStatus NetConnection.Connect.Rejected with {@code ex.code} 302, after
 * Play.Start) to {@code ex.redirect2}, else {@code ex.redirect} plus the same stream, on a new connection; the
 * handlers stay. Fails after more than {@code maxRedirects} redirects without media in between.
 */
final class ClientPlaying extends ClientStream<RtmpPlaySession> implements RtmpPlaySession {

  /** How long the server should buffer for us (SetBufferLength), as FFmpeg asks. */
  private static final long BUFFER_MILLIS = 3000;

  private final RtmpClientImpl client;
  private final Handler<RtmpMessage> handler;

  // State accessed exclusively from the current session's event loop thread
  private volatile String url;
  private String stream;
  private int streamId;
  private int redirects;
  /** Play.Start arrived: the future completes at the end of this read, unless a 302 came in the same read. */
  private boolean startPending;
  private Handler<Map<String, Object>> statusHandler;
  /** close() was called: messages still decoded from this connection are dropped, not handed to the handler. */
  private volatile boolean closing;

  ClientPlaying(RtmpClientImpl client, String url, Handler<RtmpMessage> handler) {
    this.client = client;
    this.url = url;
    this.handler = handler;
  }

  /** Connects to {@link #url} and plays there. */
  void start() {
    ClientUrl target;
    try {
      target = ClientUrl.stream(url);
    } catch (IllegalArgumentException e) {
      onClosed(e.getMessage());
      return;
    }
    client.open(target, null, false).onComplete(ar -> {
      if (ar.failed()) {
        onClosed(ar.cause().getMessage());
      } else if (closed.future().isComplete()) {
        ar.result().close();
      } else {
        attach((ClientSession) ar.result(), target.stream());
      }
    });
  }

  /** Plays {@code stream} on {@code session}. On the session's event loop. */
  void attach(ClientSession session, String stream) {
    this.session = session;
    this.stream = stream;
    session.role(this);
    session.createStream(id -> {
      streamId = id;
      session.call(id, "play", null, stream, -2.0);
      session.ctx().writeAndFlush(new UserControl(UserControl.SET_BUFFER_LENGTH, id, BUFFER_MILLIS),
          session.ctx().voidPromise());
    });
  }

  @Override
  public void onStatus(Map<?, ?> info) {
    Map<?, ?> redirect = Commands.redirect(info);
    if (redirect != null) {
      redirect(redirect);
      return;
    }
    if (statusHandler != null) {
      @SuppressWarnings("unchecked")
      Map<String, Object> status = (Map<String, Object>) info;
      statusHandler.handle(status);
    }
    if (Commands.PLAY_START.equals(info.get("code"))) {
      startPending = true;
    } else if (Commands.isError(info)) {
      startPending = false;
      refused(info);
    }
  }

  private void redirect(Map<?, ?> ex) {
    startPending = false; // this server's Play.Start does not count
    String target = ex.get("redirect2") instanceof String r2 && !r2.isEmpty() ? r2
        : ex.get("redirect") instanceof String r && !r.isEmpty() ? ClientUrl.join(r, stream) : null;
    if (target == null) {
      session.fail("refused: RTMP 302 without redirect or redirect2");
      return;
    }
    if (++redirects > client.options().getMaxRedirects()) {
      session.fail("too many RTMP 302 redirects: " + redirects + " in a row, the last to " + target);
      return;
    }
    ClientSession old = session;
    session = null;
    old.detach("redirected to " + target);
    url = target;
    start();
  }

  @Override
  public void onMedia(Media media) {
    if (closing) {
      return; // the session releases it
    }
    redirects = 0;
    completeStart();
    handler.handle(media);
  }

  @Override
  public void onData(DataMessage data) {
    if (closing) {
      return;
    }
    handler.handle(data);
  }

  @Override
  public void onReadComplete() {
    completeStart();
  }

  private void completeStart() {
    if (startPending) {
      startPending = false;
      started.tryComplete(this);
    }
  }

  // ---- RtmpPlaySession ----

  @Override
  public Future<Void> close() {
    closing = true;
    return super.close();
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public RtmpPlaySession statusHandler(Handler<Map<String, Object>> handler) {
    this.statusHandler = handler;
    return this;
  }

  @Override
  public long bytesRead() {
    ClientSession s = session;
    return s == null ? 0 : s.bytesRead();
  }

  int streamId() {
    return streamId;
  }
}
