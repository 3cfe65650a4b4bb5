package io.estuary.stream;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** The live sources of this node, by stream key. A source lives while it has a publisher or a consumer. */
public final class StreamHub {

  private final ConcurrentHashMap<StreamKey, Source> sources = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Clients clients = new Clients();
  private final List<SourceListener> listeners = new CopyOnWriteArrayList<>();

  /** Hears of every publish and unpublish on this node (HLS, DVR, forwarding drive themselves from it). */
  public void addListener(SourceListener listener) {
    listeners.add(listener);
  }

  void published(Source source, VhostOptions vhost, Executor loop) {
    for (SourceListener listener : listeners) {
      listener.published(source, vhost, loop);
    }
  }

  void unpublished(Source source) {
    for (SourceListener listener : listeners) {
      listener.unpublished(source);
    }
  }

  /** Counts a new client connection in; false (and not counted) when {@code max} are already connected. */
  public boolean admit(int max) {
    for (;;) {
      int n = connections.get();
      if (n >= max) {
        return false;
      }
      if (connections.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Counts an admitted client connection out. */
  public void leave() {
    connections.decrementAndGet();
  }

  /** The clients of this node, for the API. */
  public Clients clients() {
    return clients;
  }

  /** The source for {@code key}, created when needed; call {@link Source#release()} when done with it. */
  public Source acquire(StreamKey key) {
    for (;;) {
      Source source = sources.computeIfAbsent(key, k -> new Source(k, this));
      if (source.acquire()) {
        return source;
      }
      sources.remove(key, source); // lost a race with its last user leaving
    }
  }

  public Source get(StreamKey key) {
    return sources.get(key);
  }

  public Collection<Source> sources() {
    return Collections.unmodifiableCollection(sources.values());
  }

  void remove(Source source) {
    sources.remove(source.key(), source);
  }
}
