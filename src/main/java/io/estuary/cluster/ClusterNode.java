package io.estuary.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.estuary.edge.Edge;
import io.estuary.stream.PublishClaims;
import io.estuary.stream.StreamOwners;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * This node in a Hazelcast cluster: its card in the {@link NodeRegistry} (with what its edge pulls), its claims in the
 * {@link StreamDirectory}, the membership listener that releases the streams of a node that left or died, as soon as
 * Hazelcast sees it (the packed config's failure detector: a few seconds), and its kick address on the clustered event
 * bus ({@link #KICK} + node id), where another node's API asks it to kick one of its clients.
 */
public final class ClusterNode implements ClusterView {

  /** How often this node renews its card and its streams' leases. */
  static final long RENEW_MS = 2000;
  /** The event-bus address prefix of a node's kicks: a client id in, true when the node had it and kicked it. */
  static final String KICK = "estuary.cluster.kick.";
  /** The header of a kick that asks a publisher that can to reconnect first ({@code "1"}); a node that predates it kicks. */
  static final String KICK_RECONNECT = "reconnect";
  /** How long a kick waits for a node's answer: a node that does not answer within it does not hold the client. */
  static final long KICK_TIMEOUT_MS = 3000;
  private static final Logger LOG = Logger.getLogger("io.estuary.cluster");

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String id;
  private final String host;
  private final LocalNode self;
  private final StreamDirectory directory;
  private final NodeRegistry registry;
  private final DirectoryOwners owners;
  private UUID listener;
  private long timer = -1;
  private MessageConsumer<String> kicks;
  /** What this node's edge pulled at the last look: put in its card. */
  private volatile List<Edge.Pull> pulls = List.of();

  private ClusterNode(Vertx vertx, HazelcastInstance hazelcast, LocalNode self, String host) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    Member local = hazelcast.getCluster().getLocalMember();
    this.id = local.getUuid().toString();
    this.host = host != null ? host : local.getAddress().getHost();
    this.self = self;
    this.directory = new StreamDirectory(vertx, hazelcast.getMap(StreamDirectory.MAP), this::card);
    this.registry = new NodeRegistry(hazelcast.getMap(NodeRegistry.MAP));
    this.owners = new DirectoryOwners(vertx, hazelcast.getMap(StreamDirectory.MAP), registry, id);
  }

  /** Joins the directory and the registry; {@code host} (null: the cluster address's) is announced for the endpoints. */
  static Future<ClusterNode> start(Vertx vertx, HazelcastInstance hazelcast, LocalNode self, String host) {
    ClusterNode node = new ClusterNode(vertx, hazelcast, self, host);
    return vertx.executeBlocking(() -> {
      node.listener = hazelcast.getCluster().addMembershipListener(node.new Departures());
      node.registry.put(node.card());
      node.releaseAbsent();
      return node;
    }, false).compose(n -> {
      n.kicks = vertx.eventBus().<String>consumer(KICK + n.id, kick -> kick.reply(self.kick().test(kick.body(),
          "1".equals(kick.headers().get(KICK_RECONNECT)))));
      return n.kicks.completion().map(n);
    }).onSuccess(n -> {
      n.timer = vertx.setPeriodic(RENEW_MS, t -> n.refreshPulls().compose(v -> vertx.executeBlocking(() -> {
        n.registry.put(n.card());
        n.directory.renew();
        return null;
      }, false)).onFailure(e -> LOG.warning("cluster: cannot renew this node's leases: " + e.getMessage())));
      LOG.info("cluster: node " + n.id + " (" + self.role() + ") announces " + n.card().rtmp() + " in "
          + hazelcast.getConfig().getClusterName() + ", " + hazelcast.getCluster().getMembers().size() + " members");
    });
  }

  /** Which other node publishes a stream, and when that changes: the stream directory read by players and edges. */
  public StreamOwners owners() {
    return owners;
  }

  /** Who may publish here: the stream directory's claims. */
  public PublishClaims claims() {
    return directory;
  }

  @Override
  public String nodeId() {
    return id;
  }

  /** The host other nodes and redirects use for this node. */
  public String host() {
    return host;
  }

  private NodeCard card() {
    return self.card(id, host, 0, pulls);
  }

  private Future<Void> refreshPulls() {
    return self.pulls().get().map(now -> {
      pulls = now;
      return null;
    });
  }

  @Override
  public Future<List<NodeCard>> nodes() {
    return refreshPulls().compose(v -> vertx.executeBlocking(() -> {
      Map<String, Integer> streams = new HashMap<>();
      for (DirectoryEntry entry : directory.entries()) {
        streams.merge(entry.nodeId(), 1, Integer::sum);
      }
      Set<String> members = memberIds();
      List<NodeCard> cards = new ArrayList<>();
      for (NodeCard card : registry.cards()) {
        if (members.contains(card.id())) { // a departed node's card may outlive it by a moment
          NodeCard shown = card.id().equals(id) ? card() : card;
          cards.add(shown.withCounts(shown.clients(), streams.getOrDefault(card.id(), 0)));
        }
      }
      cards.sort(Comparator.comparingLong(NodeCard::since).thenComparing(NodeCard::id));
      return cards;
    }, false));
  }

  @Override
  public Future<Boolean> kickElsewhere(String clientId, boolean reconnect) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(KICK_TIMEOUT_MS);
    if (reconnect) {
      options.addHeader(KICK_RECONNECT, "1");
    }
    return vertx.executeBlocking(() -> {
      List<String> others = new ArrayList<>(memberIds());
      others.remove(id);
      return others;
    }, false).compose(others -> {
      List<Future<Boolean>> asked = new ArrayList<>();
      for (String other : others) { // a node that is gone or not ready answers with a failure: it does not hold it
        asked.add(vertx.eventBus().<Boolean>request(KICK + other, clientId, options)
            .map(answer -> Boolean.TRUE.equals(answer.body())).otherwise(false));
      }
      return Future.all(asked).map(all -> asked.stream().anyMatch(Future::result));
    });
  }

  @Override
  public Future<List<DirectoryEntry>> streams() {
    return vertx.executeBlocking(() -> {
      List<DirectoryEntry> entries = directory.entries();
      entries.sort(Comparator.comparingLong(DirectoryEntry::since).thenComparing(e -> e.stream().toString()));
      return entries;
    }, false);
  }

  /** Stops renewing and listening; the cluster manager's leave tells the others. */
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (kicks != null) {
      kicks.unregister();
    }
    if (listener != null) {
      try {
        hazelcast.getCluster().removeMembershipListener(listener);
      } catch (RuntimeException e) {
        // Hazelcast already shut down: nothing to remove.
      }
    }
  }

  private Set<String> memberIds() {
    Set<String> ids = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      ids.add(member.getUuid().toString());
    }
    return ids;
  }

  /** At start: what nodes that are no members any more left behind (a departure nobody was there to see). */
  private void releaseAbsent() {
    Set<String> members = memberIds();
    Set<String> owners = new HashSet<>();
    for (DirectoryEntry entry : directory.entries()) {
      owners.add(entry.nodeId());
    }
    for (NodeCard card : registry.cards()) {
      owners.add(card.id());
    }
    owners.removeAll(members);
    for (String gone : owners) {
      release(gone);
    }
  }

  private void release(String nodeId) {
    int released = directory.releaseNode(nodeId);
    registry.remove(nodeId);
    if (released > 0) {
      LOG.info("cluster: node " + nodeId + " left; released its " + released + " stream(s)");
    }
  }

  /** A member left or was declared dead: its streams are free again (every member does it; once is enough). */
  private final class Departures implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      LOG.info("cluster: node " + event.getMember().getUuid() + " joined (" + event.getMember().getAddress() + ")");
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      String gone = event.getMember().getUuid().toString();
      vertx.executeBlocking(() -> {
        release(gone);
        return null;
      }, false).onFailure(e -> LOG.warning("cluster: cannot release the streams of node " + gone + ": " + e.getMessage()));
    }
  }
}
