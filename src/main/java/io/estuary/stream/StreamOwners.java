package io.estuary.stream;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Where a stream is published in the cluster: the node that owns it in the cluster's stream directory, when that is
 * another node. On a single node ({@link #NONE}) every stream is this node's or nobody's.
 *
 * <p>Answers complete on any thread; nothing blocks the caller.
 */
public interface StreamOwners {

  /** The node that publishes a stream: its id and its RTMP and HTTP {@code host:port} (null: it does not listen). */
  record Owner(String nodeId, String rtmp, String http) {
  }

  /** A single node: nobody else publishes anything. */
  StreamOwners NONE = new StreamOwners() {
    @Override
    public CompletionStage<Owner> elsewhere(StreamKey key) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public AutoCloseable watch(StreamKey key, Consumer<Owner> changed) {
      return () -> { };
    }

    @Override
    public CompletionStage<List<String>> origins() {
      return CompletableFuture.completedFuture(List.of());
    }
  };

  /** The owner of {@code key} when another node publishes it; null when nobody does or this node does. */
  CompletionStage<Owner> elsewhere(StreamKey key);

  /**
   * Calls {@code changed} (on any thread) whenever the owner of {@code key} changes: the new owner, or null when the
   * stream was released. Close the result to stop.
   */
  AutoCloseable watch(StreamKey key, Consumer<Owner> changed);

  /** The RTMP {@code host:port} of the cluster's origins (nodes with no edge vhost), where an edge pushes a publish. */
  CompletionStage<List<String>> origins();
}
