package io.estuary.cluster;

import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.vertx.core.Future;

import java.util.Comparator;
import java.util.List;

/** A node that runs alone (no {@code --cluster}): the cluster is this node, its streams are its publishes. */
public final class SingleNode implements ClusterView {

  private final String id;
  private final LocalNode self;
  private final String host;
  private final StreamHub hub;

  /** {@code host} stands in for a wildcard listen address in the endpoints shown. */
  public SingleNode(String id, LocalNode self, String host, StreamHub hub) {
    this.id = id;
    this.self = self;
    this.host = host;
    this.hub = hub;
  }

  @Override
  public String nodeId() {
    return id;
  }

  @Override
  public Future<List<NodeCard>> nodes() {
    return self.pulls().get().map(pulls -> List.of(self.card(id, host, published().size(), pulls)));
  }

  @Override
  public Future<List<DirectoryEntry>> streams() {
    NodeCard card = self.card(id, host, 0, List.of());
    return Future.succeededFuture(published().stream()
        .map(s -> new DirectoryEntry(s.key(), id, card.rtmp(), card.http(), card.api(), s.publishedAt())).toList());
  }

  @Override
  public Future<Boolean> kickElsewhere(String clientId, boolean reconnect) {
    return Future.succeededFuture(false);
  }

  private List<Source> published() {
    return hub.sources().stream().filter(Source::isPublishing).sorted(Comparator.comparingLong(Source::publishedAt))
        .toList();
  }
}
