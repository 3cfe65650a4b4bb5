package io.estuary.access;

import io.estuary.log.RateLimitedLog;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The clients connected to this node, by id: what the API lists and kicks; and the connection limits every listener
 * shares (RTMP, RTMPS, HTTP live players): {@code max_connections} in all, {@code max_connections_per_ip} per address.
 */
public final class Clients {

  private static final Logger LOG = Logger.getLogger("io.estuary.access");

  private final AtomicInteger connections = new AtomicInteger();
  private final RateLimitedLog refusals = new RateLimitedLog(LOG, Level.WARNING, "clients refused (max_connections)", 5);
  private final RateLimitedLog perIpRefusals = new RateLimitedLog(LOG, Level.WARNING,
      "clients refused (max_connections_per_ip)", 5);
  /** Admitted connections per remote address; an address leaves the map when its last connection does. */
  private final Map<String, Integer> byIp = new ConcurrentHashMap<>();
  private final Map<String, Client> byId = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /**
   * Counts a new client connection from {@code ip} in, unless the {@code limits} are reached: {@code max} connections
   * open, or {@code perIp} from that address. A refusal is logged (rate-limited) as "refused {@code who}:
   * max_connections N reached".
   *
   * @return whether it was admitted: then give the place back with {@link #leave}
   */
  public boolean admit(String ip, String who, ConnectionLimits limits) {
    if (!placeIp(ip, limits.perIp())) {
      perIpRefusals.log(() -> "refused " + who + ": max_connections_per_ip " + limits.perIp() + " reached for " + ip);
      return false;
    }
    if (!place(limits.max())) {
      leaveIp(ip);
      refusals.log(() -> "refused " + who + ": max_connections " + limits.max() + " reached");
      return false;
    }
    return true;
  }

  /** Counts a connection from {@code ip} in unless {@code maxPerIp} (0: no limit) are open from there already. */
  private boolean placeIp(String ip, int maxPerIp) {
    boolean[] placed = new boolean[1]; // whether compute counted it in (the count alone cannot tell at the limit)
    byIp.compute(ip, (address, n) -> {
      int open = n == null ? 0 : n;
      if (maxPerIp > 0 && open >= maxPerIp) {
        return n;
      }
      placed[0] = true;
      return open + 1;
    });
    return placed[0];
  }

  /** Counts a connection in unless {@code max} are open already. */
  private boolean place(int max) {
    for (;;) {
      int n = connections.get();
      if (n >= max) {
        return false;
      }
      if (connections.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Counts out a client connection from {@code ip} that {@link #admit} counted in. */
  public void leave(String ip) {
    connections.decrementAndGet();
    leaveIp(ip);
  }

  private void leaveIp(String ip) {
    byIp.computeIfPresent(ip, (address, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections counted in now, on every listener (RTMP, RTMPS, HTTP live players). */
  public int connections() {
    return connections.get();
  }

  public void add(Client client) {
    byId.put(client.id(), client);
    total.incrementAndGet();
  }

  /** The client left; {@code error} when the server closed it for a fault (bad input, refused, timeout). */
  public void remove(Client client, boolean error) {
    byId.remove(client.id(), client);
    if (error) {
      errors.incrementAndGet();
    }
  }

  public Client get(String id) {
    return byId.get(id);
  }

  public Collection<Client> all() {
    return Collections.unmodifiableCollection(byId.values());
  }

  /** Bytes sent to the clients now connected. */
  public long sendBytes() {
    return byId.values().stream().mapToLong(Client::sendBytes).sum();
  }

  /** Bytes received from the clients now connected. */
  public long recvBytes() {
    return byId.values().stream().mapToLong(Client::recvBytes).sum();
  }

  /** Clients ever connected (srs_clients_total). */
  public long total() {
    return total.get();
  }

  /** Clients closed for a fault (srs_clients_errs_total). */
  public long errors() {
    return errors.get();
  }
}
