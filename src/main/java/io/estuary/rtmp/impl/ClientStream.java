package io.estuary.rtmp.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Map;

/**
 * What the client's two roles ({@link ClientPlaying}, {@link ClientPublishing}) share: the future of the stream's
 * start, the close reason, and closing from any thread. {@code S} is the public session the role is.
 */
abstract class ClientStream<S> implements ClientRole {

  /** Completes with the role at Play.Start or Publish.Start; fails with the close reason. */
  final Promise<S> started = Promise.promise();
  final Promise<String> closed = Promise.promise();
  /** The session the role runs on, null once closed; set and read on its event loop, read by {@link #close} too. */
  volatile ClientSession session;

  Future<S> started() {
    return started.future();
  }

  /** An error status from the server: the session closes, naming it. */
  void refused(Map<?, ?> info) {
    session.fail("refused: " + Commands.describe(info));
  }

  @Override
  public void onClosed(String reason) {
    session = null;
    started.tryFail(reason);
    closed.tryComplete(reason);
  }

  public Future<String> closed() {
    return closed.future();
  }

  public Future<Void> close() {
    ClientSession s = session;
    if (s == null) {
      closed.tryComplete("closed");
    } else {
      s.onLoop(() -> s.fail("closed"));
    }
    return closed.future().mapEmpty();
  }
}
