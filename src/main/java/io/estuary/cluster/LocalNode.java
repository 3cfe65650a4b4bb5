package io.estuary.cluster;

import io.estuary.config.Endpoint;
import io.estuary.edge.Edge;
import io.vertx.core.Future;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the node tells the cluster about itself: its role, the first endpoint of each listener (null when it does not
 * listen for that), how to count its clients now and what its edge pulls now ({@code pulls}); and what another node may
 * ask of it: {@code kick} a client of this node by id, asking it to reconnect first when the flag is set and it can
 * (false when it is not here). A wildcard or empty listen host is
 * announced as the cluster host.
 */
public record LocalNode(String role, Endpoint rtmp, Endpoint http, Endpoint api, IntSupplier clients, long since,
                        Supplier<Future<List<Edge.Pull>>> pulls, BiPredicate<String, Boolean> kick) {

  /** {@code host:port} of {@code endpoint} as other nodes reach it, {@code host} standing in for a wildcard. */
  static String announce(Endpoint endpoint, String host) {
    if (endpoint == null) {
      return null;
    }
    String h = endpoint.host();
    boolean wildcard = h == null || h.isEmpty() || "0.0.0.0".equals(h) || "::".equals(h) || "[::]".equals(h);
    String shown = wildcard ? host : h;
    return (shown.contains(":") && !shown.startsWith("[") ? "[" + shown + "]" : shown) + ":" + endpoint.port();
  }

  NodeCard card(String id, String host, int streams, List<Edge.Pull> pulled) {
    return new NodeCard(id, role, announce(rtmp, host), announce(http, host), announce(api, host),
        clients.getAsInt(), streams, since, pulled);
  }
}
