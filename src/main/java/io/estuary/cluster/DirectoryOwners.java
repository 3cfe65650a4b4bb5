package io.estuary.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamOwners;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The stream directory read by the players' side of a node: which other node publishes a stream (an origin's RTMP and
 * HTTP 302, an edge's upstream), a listener per stream an edge pulls (the owner changed: re-pull at once), and the
 * origins of the node registry (where an edge pushes a publish). Hazelcast's calls run on worker threads.
 */
final class DirectoryOwners implements StreamOwners {

  private static final Logger LOG = Logger.getLogger("io.estuary.cluster");

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final NodeRegistry registry;
  private final String self;

  DirectoryOwners(Vertx vertx, IMap<String, String> map, NodeRegistry registry, String self) {
    this.vertx = vertx;
    this.map = map;
    this.registry = registry;
    this.self = self;
  }

  @Override
  public CompletionStage<Owner> elsewhere(StreamKey key) {
    return vertx.executeBlocking(() -> owner(map.get(DirectoryEntry.key(key))), false).toCompletionStage();
  }

  /** The owner an entry's text names, null when none or this node. */
  private Owner owner(String value) {
    if (value == null) {
      return null;
    }
    DirectoryEntry entry = DirectoryEntry.fromJson(new JsonObject(value));
    return self.equals(entry.nodeId()) ? null : new Owner(entry.nodeId(), entry.rtmp(), entry.http());
  }

  @Override
  public AutoCloseable watch(StreamKey key, Consumer<Owner> changed) {
    Watch watch = new Watch(changed);
    vertx.executeBlocking(() -> map.addEntryListener(watch, DirectoryEntry.key(key), true), false)
        .onSuccess(id -> {
          synchronized (watch) {
            watch.id = id;
            if (!watch.closed) {
              return;
            }
          }
          vertx.executeBlocking(() -> map.removeEntryListener(id), false);
        })
        .onFailure(e -> LOG.warning("directory: cannot watch " + key + ": " + e.getMessage()));
    return () -> {
      UUID id;
      synchronized (watch) {
        watch.closed = true;
        id = watch.id;
      }
      if (id != null) {
        vertx.executeBlocking(() -> map.removeEntryListener(id), false);
      }
    };
  }

  @Override
  public CompletionStage<List<String>> origins() {
    return vertx.executeBlocking(() -> {
      List<String> origins = new ArrayList<>();
      for (NodeCard card : registry.cards()) {
        if ("origin".equals(card.role()) && card.rtmp() != null) {
          origins.add(card.rtmp());
        }
      }
      return origins;
    }, false).toCompletionStage();
  }

  /** One stream's owner changes, told as they come (Hazelcast's event threads). */
  private final class Watch implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String>, EntryExpiredListener<String, String>,
      EntryEvictedListener<String, String> {
    private final Consumer<Owner> changed;
    private UUID id;
    private boolean closed;

    Watch(Consumer<Owner> changed) {
      this.changed = changed;
    }

    private void tell(Owner owner) {
      synchronized (this) {
        if (closed) {
          return;
        }
      }
      changed.accept(owner);
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      tell(owner(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      if (!event.getValue().equals(event.getOldValue())) {
        tell(owner(event.getValue()));
      }
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      tell(null);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      tell(null);
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      tell(null);
    }
  }
}
