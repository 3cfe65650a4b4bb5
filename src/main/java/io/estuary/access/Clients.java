package io.estuary.access;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The clients connected to this node, by id: what the API lists and kicks; and the connection count limit. */
public final class Clients {

  private final AtomicInteger connections = new AtomicInteger();
  private final Map<String, Client> byId = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /** Counts a new client connection in; false (and not counted) when {@code max} are already connected. */
  public boolean admit(int max) {
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

  /** Counts an admitted client connection out. */
  public void leave() {
    connections.decrementAndGet();
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
