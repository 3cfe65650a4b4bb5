package io.estuary.stream;

import java.util.concurrent.Executor;

/**
 * Told when a stream starts or stops being published, on the publisher's event loop: what SRS's origin hub drives
 * (HLS, DVR, forwarding) starts here, once per stream, never once per player.
 */
public interface SourceListener {

  /** {@code source} has a publisher now, on {@code loop}; its vhost is {@code source.key().vhost()}. */
  default void published(Source source, Executor loop) {
  }

  /** {@code source}'s publisher left (or its upstream was interrupted, see {@link Source#interruptPublish()}). */
  default void unpublished(Source source) {
  }

  /**
   * {@code source}'s players ({@link Source#demand()}) went from none to some, or from some to none: what an edge
   * starts and stops its upstream on. Called on the loop of the player that came or left; notices from players on
   * different loops may arrive out of order, so read {@code source.demand()} on the listener's own loop.
   */
  default void demandChanged(Source source) {
  }
}
