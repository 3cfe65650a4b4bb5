package io.estuary.stream;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The clients connected to this node, by id: what the API lists and kicks. */
public final class Clients {

  private final Map<String, Client> byId = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

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
