package io.estuary.admin;

import io.estuary.access.Events;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.log.RateLimitedLog;
import io.estuary.stream.StreamKey;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * SRS's HTTP callbacks ({@code vhost { http_hooks { on_connect ...; on_publish ...; } }}) driven by the event bus:
 * verdicts for on_connect / on_publish / on_play (fail closed), and fire-and-forget posts for on_close /
 * on_unpublish / on_stop / on_dvr. Connections never call this directly.
 */
public final class Callbacks {

  private final HttpHooks hooks;
  private final Supplier<Vhosts> vhosts;
  private final NodeInfo node;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  /** A hook service that is down fails the on_close, on_stop... of every client: a line each, up to a budget. */
  private final RateLimitedLog failed = new RateLimitedLog(Logger.getLogger("io.estuary.admin"), Level.WARNING,
      "callbacks failed", 10);

  public Callbacks(Vertx vertx, Supplier<Vhosts> vhosts, NodeInfo node) {
    this.hooks = new HttpHooks(vertx);
    this.vhosts = vhosts;
    this.node = node;
    EventBus bus = vertx.eventBus();
    consumers.add(bus.<JsonObject>localConsumer(Events.AUTHORIZE, msg -> {
      JsonObject body = body(msg.body());
      hooks.authorize(urls(body), body).onComplete(verdict -> {
        if (verdict.succeeded()) {
          msg.reply(null);
        } else {
          msg.fail(1, verdict.cause().getMessage());
        }
      });
    }));
    // on_dvr informs: the file is on disk whatever the answer (SRS logs a failure and goes on).
    for (String address : List.of(Events.CLOSE, Events.UNPUBLISH, Events.STOP, Events.DVR)) {
      consumers.add(bus.<JsonObject>localConsumer(address, msg -> {
        JsonObject body = body(msg.body());
        hooks.notify(urls(body), body, failed::log);
      }));
    }
  }

  /** SRS's body: the event's fields, with the server's ids. */
  private JsonObject body(JsonObject event) {
    return new JsonObject().put("server_id", node.serverId()).put("service_id", node.serviceId()).mergeIn(event);
  }

  private List<String> urls(JsonObject event) {
    VhostConfig vhost = vhosts.get().resolve(event.getString("vhost", StreamKey.DEFAULT_VHOST));
    return vhost == null ? List.of() : vhost.hookUrls(event.getString("action"));
  }

  /** Whether every callback sent so far was answered (a quitting node waits for its last on_dvr, on_unpublish...). */
  public boolean idle() {
    return hooks.idle();
  }

  public void close() {
    consumers.forEach(MessageConsumer::unregister);
    hooks.close();
  }
}
