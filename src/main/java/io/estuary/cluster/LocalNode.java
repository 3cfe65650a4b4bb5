package io.estuary.cluster;

import io.estuary.config.Endpoint;

import java.util.function.IntSupplier;

/**
 * What the node tells the cluster about itself: its role, the first endpoint of each listener (null when it does not
 * listen for that) and how to count its clients now. A wildcard or empty listen host is announced as the cluster host.
 */
public record LocalNode(String role, Endpoint rtmp, Endpoint http, Endpoint api, IntSupplier clients, long since) {

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

  NodeCard card(String id, String host, int streams) {
    return new NodeCard(id, role, announce(rtmp, host), announce(http, host), announce(api, host),
        clients.getAsInt(), streams, since);
  }
}
