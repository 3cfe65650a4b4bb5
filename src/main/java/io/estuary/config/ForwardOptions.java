package io.estuary.config;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A vhost's {@code forward { enabled; destination ...; backend URL; }} block (SRS's origin hub forwarders): each stream
 * published on the vhost is pushed to every destination, or, with a {@code backend}, to the RTMP URLs the backend
 * answers (which replace the destinations, as in SRS). Off unless {@code enabled on}.
 */
public record ForwardOptions(boolean enabled, List<Destination> destinations, String backend) {

  private static final ForwardOptions OFF = new ForwardOptions(false, List.of(), null);

  /**
   * One {@code destination} word: {@code host[:port][/app][?params]}. The stream goes to the same app and stream name
   * unless {@code app} is given; {@code params} ({@code vhost=...}, a token) go along in the stream's query.
   */
  public record Destination(String host, int port, String app, String params) {

    private static final Pattern APP = Pattern.compile("[^/?\\s]+(/[^/?\\s]+)*");

    /** Fails with an IllegalArgumentException saying what is wrong with {@code word}. */
    public static Destination parse(String word) {
      String rest = word;
      String params = "";
      int q = rest.indexOf('?');
      if (q >= 0) {
        params = rest.substring(q + 1);
        rest = rest.substring(0, q);
      }
      String app = null;
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        app = rest.substring(slash + 1);
        rest = rest.substring(0, slash);
        if (!APP.matcher(app).matches()) {
          throw new IllegalArgumentException("'" + word + "' has no app after its '/'");
        }
      }
      boolean hasPort = rest.startsWith("[") ? rest.contains("]:") : rest.indexOf(':') >= 0;
      Endpoint endpoint;
      try {
        endpoint = Endpoint.parse(hasPort ? rest : rest + ":" + ClusterConfig.DEFAULT_ORIGIN_PORT);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + word + "' is not host[:port][/app][?params]: " + e.getMessage());
      }
      if (rest.isEmpty() || endpoint.host().equals("0.0.0.0") && !rest.startsWith("0.0.0.0")) {
        throw new IllegalArgumentException("'" + word + "' names no host: host[:port][/app][?params]");
      }
      return new Destination(endpoint.host(), endpoint.port(), app, params);
    }

    @Override
    public String toString() {
      return new Endpoint(host, port) + (app == null ? "" : "/" + app) + (params.isEmpty() ? "" : "?" + params);
    }
  }

  public static ForwardOptions off() {
    return OFF;
  }

  /** Fails with an IllegalArgumentException naming the directive when a value cannot be used. */
  public static ForwardOptions fromJson(JsonObject forward) {
    if (forward == null || forward.isEmpty()) {
      return OFF;
    }
    Object enabled = forward.getValue("enabled");
    List<Destination> destinations = new ArrayList<>();
    for (String word : ConfValues.words(forward.getValue("destination"))) {
      try {
        destinations.add(Destination.parse(word));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("forward.destination: " + e.getMessage());
      }
    }
    Object backend = forward.getValue("backend");
    if (backend != null) {
      checkBackend(backend.toString());
    }
    return new ForwardOptions(Boolean.TRUE.equals(enabled) || "on".equals(enabled), List.copyOf(destinations),
        backend == null ? null : backend.toString());
  }

  /** Whether a publish on the vhost is forwarded anywhere (to destinations, or where the backend says). */
  public boolean active() {
    return enabled && (backend != null || !destinations.isEmpty());
  }

  /** The backend is an http(s) URL; fails naming the directive. */
  static void checkBackend(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || !scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")
          || uri.getHost() == null) {
        throw new IllegalArgumentException("forward.backend: '" + url + "' is not an http(s) URL");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("forward.backend: '" + url + "' is not a URL: " + e.getReason());
    }
  }
}
