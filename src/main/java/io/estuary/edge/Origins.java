package io.estuary.edge;

import io.estuary.config.Endpoint;

import io.estuary.stream.StreamKey;

import java.util.List;
import java.util.StringJoiner;

/**
 * An edge's origin list, tried round-robin as SRS's edge load balancer does: each call to {@link #next()} gives the
 * origin after the last one given. State accessed exclusively from the edge's event loop.
 */
final class Origins {

  private final List<Endpoint> origins;
  private int next;

  Origins(List<Endpoint> origins, int first) {
    if (origins.isEmpty()) {
      throw new IllegalArgumentException("an edge needs at least one origin");
    }
    this.origins = origins;
    this.next = Math.floorMod(first, origins.size());
  }

  Endpoint next() {
    Endpoint origin = origins.get(next);
    next = (next + 1) % origins.size();
    return origin;
  }

  /**
   * {@code rtmp://origin/app/stream?PARAMS}, asking the origin for {@code vhost} unless it is null or the default,
   * with the player's {@code param} ({@code ?token=...}, its own {@code vhost}/{@code domain} dropped).
   */
  static String url(Endpoint origin, String vhost, String app, String stream, String param) {
    String host = "0.0.0.0".equals(origin.host()) ? "127.0.0.1" : origin.toString().substring(0,
        origin.toString().lastIndexOf(':'));
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (vhost != null && !vhost.equals(StreamKey.DEFAULT_VHOST)) {
      query.add("vhost=" + vhost);
    }
    String params = param == null ? "" : param.startsWith("?") ? param.substring(1) : param;
    for (String pair : params.split("&")) {
      if (!pair.isEmpty() && !pair.startsWith("vhost=") && !pair.startsWith("domain=")) {
        query.add(pair);
      }
    }
    return "rtmp://" + host + ":" + origin.port() + "/" + app + "/" + stream + query;
  }
}
