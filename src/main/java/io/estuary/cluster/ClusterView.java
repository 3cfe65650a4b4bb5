package io.estuary.cluster;

import io.vertx.core.Future;

import java.util.List;

/**
 * The whole cluster as the API shows it, from any node: its nodes (with what each edge pulls), every stream with the
 * node that publishes it; and a client of another node kicked from here.
 */
public interface ClusterView {

  /** This node's id in the cluster. */
  String nodeId();

  Future<List<NodeCard>> nodes();

  Future<List<DirectoryEntry>> streams();

  /**
   * Kicks the client {@code clientId} on whichever other node holds it: true when one did. This node's own clients
   * are the API's to kick; alone, there is no other node. {@code reconnect}: a publisher that can is asked to
   * reconnect first ({@link io.estuary.access.Client#kick(boolean)}).
   */
  Future<Boolean> kickElsewhere(String clientId, boolean reconnect);
}
