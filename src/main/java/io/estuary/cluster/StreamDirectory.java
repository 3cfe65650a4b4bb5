package io.estuary.cluster;

import com.hazelcast.map.IMap;
import io.estuary.stream.PublishClaims;
import io.estuary.stream.StreamKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The stream directory: a cluster-wide Hazelcast map, stream ({@code vhost/app/stream}) → the node that publishes it
 * ({@link DirectoryEntry} as JSON text). A publish claims its stream with one atomic {@code putIfAbsent}, so a stream
 * has one publisher in the whole cluster; the last publisher of a stream here releases it with "remove if still
 * ours". Every entry is leased ({@link #LEASE_SECONDS}) and the owner renews it ({@link #renew}): a node that died
 * without its death being seen loses its streams when the lease runs out; a seen death releases them at once
 * ({@link #releaseNode}, from the membership listener).
 *
 * <p>Hazelcast's map calls block: they run on Vert.x worker threads ({@code executeBlocking}), never on an event loop.
 */
public final class StreamDirectory implements PublishClaims {

  static final String MAP = "estuary.streams";
  /** How long an entry outlives its owner's last renewal: the backstop behind membership events. */
  static final long LEASE_SECONDS = 10;
  private static final Logger LOG = Logger.getLogger("io.estuary.cluster");

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final Supplier<NodeCard> self;
  /** The streams this node was granted, with how many of its publishers hold the claim and the entry's text. */
  private final Map<StreamKey, Held> held = new ConcurrentHashMap<>();

  private record Held(int count, String value) {
  }

  StreamDirectory(Vertx vertx, IMap<String, String> map, Supplier<NodeCard> self) {
    this.vertx = vertx;
    this.map = map;
    this.self = self;
  }

  @Override
  public CompletionStage<Void> claim(StreamKey key, String clientId) {
    if (held.computeIfPresent(key, (k, h) -> new Held(h.count() + 1, h.value())) != null) {
      return Future.<Void>succeededFuture().toCompletionStage(); // ours already: the node's Source decides
    }
    NodeCard me = self.get();
    String mine = new DirectoryEntry(key, me.id(), me.rtmp(), me.http(), me.api(), System.currentTimeMillis())
        .toJson().encode();
    return vertx.executeBlocking(() -> map.putIfAbsent(DirectoryEntry.key(key), mine, LEASE_SECONDS, TimeUnit.SECONDS),
        false).<Void>compose(previous -> {
          String value = previous == null ? mine : previous;
          DirectoryEntry owner = DirectoryEntry.fromJson(new JsonObject(value));
          if (!owner.nodeId().equals(me.id())) {
            return Future.failedFuture(new IllegalStateException("another publisher is live on " + owner.describeOwner()));
          }
          held.merge(key, new Held(1, value), (a, b) -> new Held(a.count() + 1, a.value()));
          return Future.succeededFuture();
        }).toCompletionStage();
  }

  @Override
  public void release(StreamKey key) {
    Held[] last = new Held[1];
    held.computeIfPresent(key, (k, h) -> {
      if (h.count() > 1) {
        return new Held(h.count() - 1, h.value());
      }
      last[0] = h;
      return null;
    });
    if (last[0] != null) {
      String value = last[0].value();
      vertx.executeBlocking(() -> map.remove(DirectoryEntry.key(key), value), false)
          .onFailure(e -> LOG.warning("directory: cannot release " + key + ": " + e.getMessage()));
    }
  }

  /**
   * Renews the lease of every stream this node holds; puts back one that went missing (a release racing a new claim
   * here); says so when another node took one over (after a network split healed). Blocking.
   */
  void renew() {
    for (Map.Entry<StreamKey, Held> entry : held.entrySet()) {
      String key = DirectoryEntry.key(entry.getKey());
      String value = entry.getValue().value();
      String current = map.putIfAbsent(key, value, LEASE_SECONDS, TimeUnit.SECONDS);
      if (current == null) {
        LOG.info("directory: " + entry.getKey() + " claimed again for its publisher here");
      } else if (current.equals(value)) {
        map.setTtl(key, LEASE_SECONDS, TimeUnit.SECONDS);
      } else if (held.containsKey(entry.getKey())) {
        LOG.warning("directory: " + entry.getKey() + " is now claimed by "
            + DirectoryEntry.fromJson(new JsonObject(current)).describeOwner() + " while it is published here too");
      }
    }
  }

  /** Releases every stream of the node {@code nodeId} (it left or died). Blocking; any node may do it, once or more. */
  int releaseNode(String nodeId) {
    int released = 0;
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (nodeId.equals(DirectoryEntry.fromJson(new JsonObject(entry.getValue())).nodeId())
          && map.remove(entry.getKey(), entry.getValue())) {
        released++;
      }
    }
    return released;
  }

  /** Every stream of the cluster with its owner. Blocking. */
  List<DirectoryEntry> entries() {
    List<DirectoryEntry> entries = new ArrayList<>();
    for (String value : map.values()) {
      entries.add(DirectoryEntry.fromJson(new JsonObject(value)));
    }
    return entries;
  }
}
