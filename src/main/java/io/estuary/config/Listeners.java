package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's listeners, typed and checked once per load: RTMP's {@code listen}, {@code rtmps}, {@code http_server},
 * {@code http_api} and {@code exporter}. A block that is absent or off is there with {@code enabled} false and its
 * defaults, so that the node reads one shape. Immutable.
 */
public record Listeners(List<Endpoint> rtmp, Rtmps rtmps, HttpServer httpServer, HttpApi httpApi, Exporter exporter) {

  public static final String DEFAULT_RTMP = "1935";

  /** Fails with an IllegalArgumentException naming the directive when a value cannot be used. */
  static Listeners fromConfig(JsonObject config) {
    return new Listeners(
        Endpoint.listOf("listen", config.getValue("listen"), DEFAULT_RTMP),
        Rtmps.fromJson(block(config, "rtmps")),
        HttpServer.fromJson(block(config, "http_server")),
        HttpApi.fromJson(block(config, "http_api")),
        Exporter.fromJson(block(config, "exporter")));
  }

  /**
   * The {@code http_api} endpoints that are also {@code http_server} endpoints (SRS's full.conf has both on 8080).
   * Two listeners on one port would take turns at accepting connections, so there the HTTP server's listener serves
   * the API too, as SRS does. Empty unless both are enabled.
   */
  public List<Endpoint> sharedApiEndpoints() {
    if (!httpApi.enabled() || !httpServer.enabled()) {
      return List.of();
    }
    return httpApi.listen().stream().filter(httpServer.listen()::contains).toList();
  }

  /** RTMP over TLS; one key and certificate as SRS, or several pairs chosen by SNI ({@code key a.key b.key;}). */
  public record Rtmps(boolean enabled, List<Endpoint> listen, List<KeyCert> keyCerts) {
    static Rtmps fromJson(JsonObject block) {
      boolean enabled = NodeConfig.flag("rtmps: enabled", block.getValue("enabled"), false);
      List<Endpoint> listen = Endpoint.listOf("rtmps: listen", block.getValue("listen"), "1443");
      List<String> keys = paths(block.getValue("key"), "./conf/server.key");
      List<String> certs = paths(block.getValue("cert"), "./conf/server.crt");
      if (enabled && keys.size() != certs.size()) {
        throw new IllegalArgumentException("rtmps: " + keys.size() + " keys for " + certs.size() + " certificates");
      }
      List<KeyCert> pairs = new ArrayList<>();
      for (int i = 0; i < Math.min(keys.size(), certs.size()); i++) {
        pairs.add(new KeyCert(keys.get(i), certs.get(i)));
      }
      return new Rtmps(enabled, listen, List.copyOf(pairs));
    }

    private static List<String> paths(Object value, String fallback) {
      if (value instanceof JsonArray array) {
        return array.stream().map(String::valueOf).toList();
      }
      return List.of(value == null ? fallback : String.valueOf(value));
    }
  }

  /** A private key file and its certificate chain, PEM. */
  public record KeyCert(String key, String cert) {
  }

  /** The HTTP server: live streams, then the files under {@code dir}. */
  public record HttpServer(boolean enabled, List<Endpoint> listen, String dir, boolean crossdomain) {
    static HttpServer fromJson(JsonObject block) {
      return new HttpServer(
          NodeConfig.flag("http_server: enabled", block.getValue("enabled"), false),
          Endpoint.listOf("http_server: listen", block.getValue("listen"), "8080"),
          NodeConfig.text(block.getValue("dir"), "./objs/nginx/html"),
          NodeConfig.flag("http_server: crossdomain", block.getValue("crossdomain"), true));
    }
  }

  /** SRS's HTTP API, behind its own crossdomain and basic-auth rules. */
  public record HttpApi(boolean enabled, List<Endpoint> listen, boolean crossdomain, Auth auth) {
    static HttpApi fromJson(JsonObject block) {
      return new HttpApi(
          NodeConfig.flag("http_api: enabled", block.getValue("enabled"), false),
          Endpoint.listOf("http_api: listen", block.getValue("listen"), "1985"),
          NodeConfig.flag("http_api: crossdomain", block.getValue("crossdomain"), true),
          Auth.fromJson(block(block, "auth")));
    }
  }

  /** {@code http_api { auth { enabled on; username u; password p; } }}: HTTP basic authentication. */
  public record Auth(boolean enabled, String username, String password) {
    static Auth fromJson(JsonObject block) {
      return new Auth(
          NodeConfig.flag("http_api: auth: enabled", block.getValue("enabled"), false),
          NodeConfig.text(block.getValue("username"), ""),
          NodeConfig.text(block.getValue("password"), ""));
    }

    /** The password stays out of logs. */
    @Override
    public String toString() {
      return "Auth[enabled=" + enabled + ", username=" + username + "]";
    }
  }

  /** The Prometheus exporter; {@code label} and {@code tag} are added to every series, null when not set. */
  public record Exporter(boolean enabled, List<Endpoint> listen, String label, String tag) {
    static Exporter fromJson(JsonObject block) {
      return new Exporter(
          NodeConfig.flag("exporter: enabled", block.getValue("enabled"), false),
          Endpoint.listOf("exporter: listen", block.getValue("listen"), "9972"),
          NodeConfig.text(block.getValue("label"), null),
          NodeConfig.text(block.getValue("tag"), null));
    }
  }

  private static JsonObject block(JsonObject parent, String name) {
    Object value = parent.getValue(name);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new IllegalArgumentException(name + ": expects a block { }");
  }
}
