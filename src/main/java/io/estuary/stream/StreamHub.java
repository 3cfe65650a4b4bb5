package io.estuary.stream;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * The live sources of this node, by stream key. A source lives while it has a publisher or a consumer.
 *
 * <p>A <em>derived</em> source is made by the node from another one (the MPEG-TS of a stream for HTTP-TS players):
 * it is keyed apart from the original, not listed by {@link #sources()} and not announced to the
 * {@link SourceListener}s, so HLS does not segment it and the API does not show it.
 */
public final class StreamHub {

  private final ConcurrentHashMap<StreamKey, Source> sources = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<StreamKey, Source> derived = new ConcurrentHashMap<>();
  private final List<SourceListener> listeners = new CopyOnWriteArrayList<>();
  private volatile PublishClaims claims = PublishClaims.LOCAL;
  private volatile StreamOwners owners = StreamOwners.NONE;

  /** Hears of every publish and unpublish on this node (HLS, DVR, forwarding drive themselves from it). */
  public void addListener(SourceListener listener) {
    listeners.add(listener);
  }

  /** Who may publish beyond this node: the cluster's stream directory; {@link PublishClaims#LOCAL} by default. */
  public void claims(PublishClaims claims) {
    this.claims = claims;
  }

  public PublishClaims claims() {
    return claims;
  }

  /** Which other node publishes a stream: the cluster's stream directory; {@link StreamOwners#NONE} by default. */
  public void owners(StreamOwners owners) {
    this.owners = owners;
  }

  public StreamOwners owners() {
    return owners;
  }

  void published(Source source, Executor loop) {
    if (source.isDerived()) {
      return;
    }
    for (SourceListener listener : listeners) {
      listener.published(source, loop);
    }
  }

  void unpublished(Source source) {
    if (source.isDerived()) {
      return;
    }
    for (SourceListener listener : listeners) {
      listener.unpublished(source);
    }
  }

  /**
   * A source's players went from none to some or from some to none ({@link Source#demand()}). Called on the loop of
   * the player that came or left; notices from different loops may arrive out of order, so listeners read the count.
   */
  void demandChanged(Source source) {
    if (source.isDerived()) {
      return;
    }
    for (SourceListener listener : listeners) {
      listener.demandChanged(source);
    }
  }

  /** The source for {@code key}, created when needed; call {@link Source#release()} when done with it. */
  public Source acquire(StreamKey key) {
    return acquire(key, false);
  }

  /** The source for {@code key}, or its derived source; created when needed; call {@link Source#release()}. */
  public Source acquire(StreamKey key, boolean derived) {
    Map<StreamKey, Source> map = derived ? this.derived : sources;
    for (;;) {
      Source source = map.computeIfAbsent(key, k -> new Source(k, this, derived));
      if (source.acquire()) {
        return source;
      }
      map.remove(key, source); // lost a race with its last user leaving
    }
  }

  /**
   * Attaches {@code consumer} to the source for {@code key} (or its derived source), created when needed: the
   * returned subscription's {@link Subscription#close()} detaches it and gives the source back.
   */
  public Subscription subscribe(StreamKey key, boolean derived, Consumer consumer) {
    Source source = acquire(key, derived);
    source.subscribe(consumer);
    return new Subscription(source, consumer);
  }

  /**
   * Attaches {@code consumer} as a <em>follower</em> of the source for {@code key}: it goes along with a publish
   * (an HLS segmenter, a forwarder) instead of asking for the stream, so it is not counted in {@link Source#demand()}
   * (it neither starts nor keeps an edge's upstream), and it sees the end of every publish, an interrupted one too.
   */
  public Subscription follow(StreamKey key, Consumer consumer) {
    consumer.follower(true);
    return subscribe(key, false, consumer);
  }

  /** {@link #subscribe(StreamKey, boolean, Consumer)} for an original source. */
  public Subscription subscribe(StreamKey key, Consumer consumer) {
    return subscribe(key, false, consumer);
  }

  /** The original source for {@code key}, if any. */
  public Source get(StreamKey key) {
    return sources.get(key);
  }

  public Collection<Source> sources() {
    return Collections.unmodifiableCollection(sources.values());
  }

  void remove(Source source) {
    (source.isDerived() ? derived : sources).remove(source.key(), source);
  }
}
