package io.estuary.rtmp.impl;

import io.estuary.access.Authorization;
import io.estuary.access.Client;
import io.estuary.access.Events;
import io.estuary.config.SecurityRules;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.Executor;

/**
 * What the node hears about one RTMP client on the event bus, and the verdicts it asks of it: the security rules and
 * the callbacks (on_connect once, then on_publish or on_play) decide a publish or play; the events (on_publish,
 * on_unpublish, on_play, on_stop, on_close) tell the API, the exporter and the callbacks what happened.
 *
 * <p>State accessed exclusively from the channel's event loop thread.
 */
final class SessionEvents {

  private final EventBus bus;
  private final Client client;
  /** on_connect was allowed (so the CONNECT event went out): it is not asked again, and on_close follows. */
  private boolean connectNotified;

  SessionEvents(EventBus bus, Client client) {
    this.bus = bus;
    this.client = client;
  }

  /** {@link Authorization#check} of {@code action} ("publish" or "play"); {@code verdict} runs on {@code loop}. */
  void authorize(SecurityRules security, String action, Executor loop, Handler<AsyncResult<Void>> verdict) {
    Authorization.check(bus, client, security, action, connectNotified).onComplete(ar -> loop.execute(() -> {
      connectNotified |= ar.succeeded();
      verdict.handle(ar);
    }));
  }

  void published() {
    bus.publish(Events.PUBLISH, event("on_publish"), Events.local());
  }

  void unpublished() {
    bus.publish(Events.UNPUBLISH, event("on_unpublish"), Events.local());
  }

  void played() {
    bus.publish(Events.PLAY, event("on_play"), Events.local());
  }

  void stopped() {
    bus.publish(Events.STOP, event("on_stop"), Events.local());
  }

  /** The connection closed: on_close with the bytes sent and received, if on_connect was sent. */
  void closed() {
    if (connectNotified) {
      bus.publish(Events.CLOSE, event("on_close").put("send_bytes", client.sendBytes())
          .put("recv_bytes", client.recvBytes()), Events.local());
    }
  }

  private JsonObject event(String action) {
    return client.describe().put("action", action);
  }
}
