package io.estuary.cluster;

import io.estuary.config.Endpoint;
import io.estuary.config.Listeners;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Function;

/**
 * SRS's {@code /api/v1/clusters} (srs_app_http_api.cpp SrsGoApiClusters, srs_app_coworkers.cpp), both sides in one
 * place: the query an origin sends a coworker ({@code ?vhost=V&ip=HOST&app=A&stream=S&coworker=C}), the answer every
 * origin gives ({@code {"code":0,"data":{"query":{ip,vhost,app,stream},"origin":{ip,port,vhost,api,routers}}}},
 * {@code origin} null when this node does not publish the stream), and how the asking origin reads it.
 */
public final class ClusterQuery {

  public static final String PATH = "/api/v1/clusters";

  /** The listen hosts SRS does not announce: the coworker host the query was sent to is announced instead. */
  private static final Set<String> UNANNOUNCED = Set.of("0.0.0.0", "127.0.0.1", "::");

  private ClusterQuery() {
  }

  /** The request URI asking {@code coworker} (its API {@code host:port}) where {@code key} is published. */
  static String uri(String coworker, StreamKey key, String host) {
    return "http://" + coworker + PATH + "?vhost=" + encode(key.vhost()) + "&ip=" + encode(host == null ? "" : host)
        + "&app=" + encode(key.app()) + "&stream=" + encode(key.stream()) + "&coworker=" + encode(coworker);
  }

  /**
   * This node's answer to a query ({@code param} gives a query parameter or null). {@code requestHost} (the Host the
   * query came to) stands for the {@code coworker} parameter when that is missing.
   */
  public static JsonObject answer(StreamHub hub, Vhosts vhosts, Listeners listeners, Function<String, String> param,
                                  String requestHost) {
    String vhost = orEmpty(param.apply("vhost"));
    String app = orEmpty(param.apply("app"));
    String stream = orEmpty(param.apply("stream"));
    String coworker = param.apply("coworker");
    JsonObject query = new JsonObject().put("ip", orEmpty(param.apply("ip"))).put("vhost", vhost).put("app", app)
        .put("stream", stream);
    JsonObject data = new JsonObject().put("query", query)
        .put("origin", origin(hub, vhosts, listeners, vhost, app, stream,
            coworker == null || coworker.isEmpty() ? requestHost : coworker));
    return new JsonObject().put("code", 0).put("data", data);
  }

  /** SRS's SrsCoWorkers::dumps: null unless this node publishes the stream. */
  private static JsonObject origin(StreamHub hub, Vhosts vhosts, Listeners listeners, String vhost, String app,
                                   String stream, String coworker) {
    VhostConfig resolved = vhosts.resolve(vhost);
    if (resolved == null) {
      return null;
    }
    Source source = hub.get(new StreamKey(resolved.name(), app, stream));
    if (source == null || !source.isPublishing()) {
      return null;
    }
    Endpoint rtmp = listeners.rtmp().get(0);
    String ip = UNANNOUNCED.contains(rtmp.host()) ? hostOf(coworker) : rtmp.host();
    // SRS's http_api listen: a bare port is announced at the service ip, host:port as written.
    Endpoint api = listeners.httpApi().listen().get(0);
    String apiEndpoint = new Endpoint(api.host().equals("0.0.0.0") ? ip : api.host(), api.port()).toString();
    return new JsonObject().put("ip", ip).put("port", rtmp.port()).put("vhost", resolved.name())
        .put("api", apiEndpoint).put("routers", new JsonArray().add(apiEndpoint));
  }

  /**
   * The origin an answer names, or null when it names none ({@code origin} null). Fails with an
   * IllegalArgumentException saying what is wrong, as SRS's SrsHttpHooks::discover_co_workers refuses an answer:
   * a non-zero {@code code}, no {@code data}, an {@code origin} without a string {@code ip} or integer {@code port}.
   */
  static Origin read(JsonObject answer, String coworker) {
    if (!(answer.getValue("code") instanceof Number code) || code.intValue() != 0) {
      throw new IllegalArgumentException("code " + answer.getValue("code"));
    }
    if (!(answer.getValue("data") instanceof JsonObject data)) {
      throw new IllegalArgumentException("no data");
    }
    Object origin = data.getValue("origin");
    if (origin == null) {
      return null;
    }
    if (!(origin instanceof JsonObject o) || !(o.getValue("ip") instanceof String ip) || ip.isEmpty()
        || !(o.getValue("port") instanceof Number port) || port.intValue() <= 0) {
      throw new IllegalArgumentException("origin without ip and port: " + origin);
    }
    return new Origin(ip, port.intValue(), coworker);
  }

  private static String hostOf(String hostPort) {
    if (hostPort == null) {
      return "";
    }
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close < 0 ? hostPort : hostPort.substring(1, close);
    }
    int colon = hostPort.indexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
