package io.estuary.node;

import io.estuary.config.SrsConf;
import io.estuary.rtmp.RtmpServerOptions;
import io.estuary.stream.StreamHub;
import io.estuary.stream.Vhosts;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The node: reads the SRS configuration (through vertx-config's {@code srs} format), then deploys one instance
 * of each listener verticle per event loop, all sharing one {@link StreamHub}.
 *
 * <p>Its deployment config is either {@code {"confPath": "conf/srs.conf"}}, or an already normalized
 * configuration under {@code "conf"} (tests), or empty for SRS's defaults.
 */
public final class NodeVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger("io.estuary.node");

  private final StreamHub hub = new StreamHub();
  private JsonObject conf;

  public StreamHub hub() {
    return hub;
  }

  /** The configuration in force, normalized. */
  public JsonObject conf() {
    return conf;
  }

  @Override
  public Future<?> start() {
    return loadConfig().compose(loaded -> {
      conf = loaded;
      Logging.configure(conf);
      return deployListeners();
    });
  }

  private Future<JsonObject> loadConfig() {
    JsonObject deployment = config();
    if (deployment.containsKey("conf")) {
      return Future.succeededFuture(deployment.getJsonObject("conf"));
    }
    String path = deployment.getString("confPath");
    if (path == null) {
      return Future.succeededFuture(SrsConf.defaults(System.getenv()));
    }
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("srs")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(store));
    return retriever.getConfig().eventually(retriever::close);
  }

  private Future<?> deployListeners() {
    Vhosts vhosts = Vhosts.fromConfig(conf);
    int loops = Runtime.getRuntime().availableProcessors();
    List<RtmpServerOptions> endpoints = new ArrayList<>();
    int maxConnections = conf.getInteger("max_connections", RtmpServerOptions.DEFAULT_MAX_CONNECTIONS);
    JsonObject rtmp = conf.getJsonObject("rtmp", new JsonObject());
    for (Object listen : conf.getJsonArray("listen", new JsonArray().add("1935"))) {
      Endpoints endpoint = Endpoints.parse(String.valueOf(listen));
      endpoints.add(new RtmpServerOptions(rtmp).setHost(endpoint.host()).setPort(endpoint.port())
          .setMaxConnections(maxConnections));
    }
    DeploymentOptions options = new DeploymentOptions().setInstances(loops);
    return vertx.deployVerticle(() -> new RtmpVerticle(endpoints, hub, vhosts), options)
        .onSuccess(id -> LOG.info("RTMP listening on " + conf.getJsonArray("listen", new JsonArray().add("1935"))
            + " with " + loops + " event loops, " + (vertx.isNativeTransportEnabled() ? "native epoll" : "NIO") + " transport"));
  }
}
