package io.estuary.access;

import io.estuary.config.SecurityRules;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * SRS's gate before a client publishes or plays, for every protocol: the vhost's {@code security} rules, then the
 * {@code on_connect} (once per client) and {@code on_publish} / {@code on_play} callbacks, asked over the event
 * bus ({@link Events#AUTHORIZE}) so that no event loop ever waits on an HTTP call.
 */
public final class Authorization {

  /** The verdict is this node's callbacks', never another node's: {@link Events#local()}. */
  private static final DeliveryOptions OPTIONS = new DeliveryOptions(Events.local()).setSendTimeout(60_000);

  private Authorization() {
  }

  /**
   * Whether {@code client} may do {@code action} ("publish" or "play") under its vhost's {@code security} rules,
   * then its callbacks. Fails with the reason.
   * {@code connectAnnounced} says whether on_connect was already asked for this client; on success the CONNECT
   * event has been published.
   */
  public static Future<Void> check(EventBus bus, Client client, SecurityRules security, String action,
                                   boolean connectAnnounced) {
    String refusal = Security.of(security).reason(action, client.ip());
    if (refusal != null) {
      return Future.failedFuture("security: " + refusal);
    }
    // An edge with token_traverse asks its origin first, once per client, as SRS does at connect.
    Future<Void> traversed = connectAnnounced ? Future.succeededFuture() : ask(bus, Events.TRAVERSE, client, "traverse");
    Future<Void> connected = connectAnnounced ? traversed : traversed.compose(v -> ask(bus, client, "on_connect"))
        .onSuccess(v -> bus.publish(Events.CONNECT, client.describe().put("action", "on_connect"), Events.local()));
    return connected.compose(v -> ask(bus, client, "on_" + action));
  }

  /** One callback verdict; with nobody answering on the bus (no callbacks module), the client is allowed. */
  private static Future<Void> ask(EventBus bus, Client client, String action) {
    return ask(bus, Events.AUTHORIZE, client, action);
  }

  private static Future<Void> ask(EventBus bus, String address, Client client, String action) {
    return bus.request(address, client.describe().put("action", action), OPTIONS).<Void>mapEmpty()
        .recover(e -> e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture() : Future.failedFuture(e.getMessage()));
  }
}
