package io.estuary.cluster;

import io.vertx.core.Future;

import java.util.List;

/** The whole cluster as the API shows it, from any node: its nodes, and every stream with the node that publishes it. */
public interface ClusterView {

  /** This node's id in the cluster. */
  String nodeId();

  Future<List<NodeCard>> nodes();

  Future<List<DirectoryEntry>> streams();
}
