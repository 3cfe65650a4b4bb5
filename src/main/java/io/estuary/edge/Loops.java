package io.estuary.edge;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The event loops an edge's upstreams and a node's forwards run on: one context per loop, handed out round-robin, so
 * the streams an edge pulls or an origin forwards spread over every core as its players and publishers do (on one
 * context, all of a node's upstreams shared one core).
 *
 * <p>Vert.x gives a context of its own loop to each instance of a deployed verticle; the public way to hold one
 * context per loop is to deploy an empty verticle once per loop and keep each instance's context.
 */
public final class Loops {

  private final List<Context> contexts;
  private int next;

  private Loops(List<Context> contexts) {
    this.contexts = contexts;
  }

  /** {@code count} contexts, one per event loop when {@code count} is the event-loop pool's size. */
  public static Future<Loops> deploy(Vertx vertx, int count) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(count)).map(id -> new Loops(List.copyOf(contexts)));
  }

  /** The next loop's context, round-robin; from any thread. */
  synchronized Context next() {
    Context context = contexts.get(next);
    next = (next + 1) % contexts.size();
    return context;
  }
}
