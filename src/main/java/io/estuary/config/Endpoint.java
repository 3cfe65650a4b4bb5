package io.estuary.config;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One listen endpoint in SRS's forms: {@code port}, {@code ip:port}, {@code [ipv6]:port} ({@code [::]} takes IPv4
 * too); a bare port listens on every IPv4 address. Parsed and checked once, by the file's schema and by the snapshot.
 */
public record Endpoint(String host, int port) {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9]+)?");
  private static final Pattern PORT = Pattern.compile("\\d{1,9}");

  /** Fails with an IllegalArgumentException saying what is wrong with {@code endpoint} (without the directive). */
  public static Endpoint parse(String endpoint) {
    String host = "0.0.0.0";
    String port = endpoint;
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf("]:");
      if (close < 0 || !IPV6.matcher(endpoint.substring(1, close)).matches()) {
        throw notEndpoint(endpoint);
      }
      host = endpoint.substring(1, close);
      port = endpoint.substring(close + 2);
    } else if (endpoint.indexOf(':') >= 0) {
      int colon = endpoint.lastIndexOf(':');
      host = endpoint.substring(0, colon);
      port = endpoint.substring(colon + 1);
      var ip = IPV4.matcher(host);
      if (ip.matches()) {
        for (int i = 1; i <= 4; i++) {
          if (Integer.parseInt(ip.group(i)) > 255) {
            throw notEndpoint(endpoint);
          }
        }
      } else if (!HOST.matcher(host).matches()) {
        throw notEndpoint(endpoint);
      }
    }
    if (!PORT.matcher(port).matches()) {
      throw notEndpoint(endpoint);
    }
    int p = Integer.parseInt(port);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("port " + p + " in '" + endpoint + "' is out of range 1..65535");
    }
    return new Endpoint(host, p);
  }

  /**
   * A block's {@code listen} as the normalized configuration holds it (one endpoint, a number, or an array of them),
   * or {@code fallback} when absent. Fails naming {@code directive}.
   */
  static List<Endpoint> listOf(String directive, Object listen, String fallback) {
    List<Object> given = new ArrayList<>();
    if (listen instanceof JsonArray array) {
      array.forEach(given::add);
    } else {
      given.add(listen == null ? fallback : listen);
    }
    if (given.isEmpty()) {
      throw new IllegalArgumentException(directive + ": expects at least one port, ip:port or [ipv6]:port");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (Object each : given) {
      try {
        endpoints.add(parse(String.valueOf(each)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(directive + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(endpoints);
  }

  /** {@code listen}'s result, failing with a message that names the service and this endpoint. */
  public <T> Future<T> named(String service, Future<T> listen) {
    return listen.recover(e -> Future.failedFuture(service + " cannot listen on " + this + ": " + e.getMessage()));
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static IllegalArgumentException notEndpoint(String endpoint) {
    return new IllegalArgumentException("'" + endpoint + "' is not a port, ip:port or [ipv6]:port");
  }
}
