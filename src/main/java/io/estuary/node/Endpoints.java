package io.estuary.node;

import io.vertx.core.Future;

/** SRS's listen endpoint forms: {@code port}, {@code ip:port}, {@code [ipv6]:port} ({@code [::]} takes IPv4 too). */
record Endpoints(String host, int port) {

  /** {@code listen}'s result, failing with a message that names the service and this endpoint. */
  <T> Future<T> named(String service, Future<T> listen) {
    return listen.recover(e -> Future.failedFuture(service + " cannot listen on " + this + ": " + e.getMessage()));
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  static Endpoints parse(String endpoint) {
    String host = "0.0.0.0";
    String port = endpoint;
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("listen " + endpoint + ": expected [ipv6]:port");
      }
      host = endpoint.substring(1, close);
      port = endpoint.substring(close + 2);
    } else if (endpoint.indexOf(':') >= 0) {
      int colon = endpoint.lastIndexOf(':');
      host = endpoint.substring(0, colon);
      port = endpoint.substring(colon + 1);
    }
    try {
      return new Endpoints(host, Integer.parseInt(port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("listen " + endpoint + ": port is not a number");
    }
  }
}
