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

  /** {@code source}'s publisher left. */
  default void unpublished(Source source) {
  }
}
