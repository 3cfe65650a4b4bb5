package io.estuary.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may publish a stream beyond this node: in a cluster, one publisher per stream in the whole cluster (the
 * node's stream directory claims it); on a single node, anyone ({@link #LOCAL}), and the {@link Source} alone says
 * whether a publisher is already live here.
 *
 * <p>A claim is asked after the publish was authorized and before the source's publish starts; every granted claim
 * is {@link #release released} exactly once, when that publisher stops or is refused here after all.
 */
public interface PublishClaims {

  /** A single node: every claim is granted at once. */
  PublishClaims LOCAL = new PublishClaims() {
    @Override
    public CompletionStage<Void> claim(StreamKey key, String clientId) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void release(StreamKey key) {
    }
  };

  /**
   * Asks to publish {@code key} for the client {@code clientId}: completes when granted, fails with the reason
   * (another node publishes it, naming that node) when refused. Completes on any thread; never blocks the caller.
   */
  CompletionStage<Void> claim(StreamKey key, String clientId);

  /** A publisher that was granted {@code key} stopped: when it was the last one here, the stream is free again. */
  void release(StreamKey key);
}
