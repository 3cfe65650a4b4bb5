package io.estuary.node;

import io.estuary.admin.Api;
import io.estuary.admin.Callbacks;
import io.estuary.admin.Exporter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.estuary.admin.NodeInfo;
import io.estuary.admin.Sampler;
import io.estuary.access.ClientId;
import io.estuary.access.Client;
import io.estuary.access.Clients;
import io.estuary.access.ConnectionLimits;
import io.estuary.access.StreamIds;
import io.estuary.cluster.ClusterApi;
import io.estuary.cluster.ClusterNode;
import io.estuary.cluster.ClusterView;
import io.estuary.cluster.HazelcastCluster;
import io.estuary.cluster.LocalNode;
import io.estuary.cluster.SingleNode;
import io.estuary.config.Endpoint;
import io.estuary.config.Listeners;
import io.estuary.config.NodeConfig;
import io.estuary.config.SrsConf;
import io.estuary.config.Vhosts;
import io.estuary.dvr.Dvr;
import io.estuary.edge.Edge;
import io.estuary.edge.Forward;
import io.estuary.edge.Loops;
import io.estuary.hls.Hls;
import io.estuary.hls.HlsTracks;
import io.estuary.http.Console;
import io.estuary.http.LiveHandler;
import io.estuary.http.TsRemux;
import io.estuary.process.Processes;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import io.estuary.rtmp.RtmpServerOptions;
import io.estuary.access.Events;
import io.estuary.stream.Source;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.netty.handler.ssl.OpenSsl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The node: reads the SRS configuration (through vertx-config's {@code srs} format), then deploys one instance
 * of each listener verticle per event loop, all sharing one {@link StreamHub}.
 *
 * <p>Its deployment config is either {@code {"confPath": "conf/srs.conf"}}, or an already normalized
 * configuration under {@code "conf"} (tests), or empty for SRS's defaults.
 *
 * <p>Reload, as SRS does it, without dropping anyone: on SIGHUP (the launcher sends {@link #RELOAD_ADDRESS} on the
 * event bus) and when the file changes on disk (vertx-config's scan, unless {@code inotify_auto_reload off}).
 * The new vhost settings apply to clients that come next; a broken file keeps the running configuration.
 */
public final class NodeVerticle extends VerticleBase {

  /** Event bus address: reload the configuration file. Replies with nothing, or fails with the reason. */
  public static final String RELOAD_ADDRESS = "estuary.node.reload";
  /**
   * Event bus address: quit, as on the signal named in the body ({@code "TERM"} or {@code "INT"}): see {@link #quit}.
   * Replies once the node has drained.
   */
  public static final String QUIT_ADDRESS = "estuary.node.quit";
  static final long SCAN_PERIOD_MS = 2000;
  /** How often a quitting node looks whether it has drained. */
  static final long DRAIN_POLL_MS = 50;
  static final String DEFAULT_PID = "./objs/srs.pid";
  private static final Logger LOG = Logger.getLogger("io.estuary.node");

  private final StreamHub hub = new StreamHub();
  private final Clients clients = new Clients();
  private final NodeInfo info = new NodeInfo(StreamIds.ofVhost(ClientId.next()), ClientId.next(), Estuary.VERSION);
  private final Api api = new Api(hub, clients, () -> this.vhosts, () -> this.config.listeners(), this::reload,
      info, this::kickElsewhere, this::streamDetails);
  /** {@code --cluster}: the cluster Vert.x joined, else null. */
  private final HazelcastCluster cluster;
  /** This node in the cluster (or alone): what the cluster API shows. */
  private ClusterView clusterView;
  private ClusterNode clusterNode;
  /** Pulls and pushes the streams of vhosts in {@code cluster { mode remote; }}. */
  private Edge edge;
  /** Pushes the streams published on vhosts with {@code forward} to their destinations. */
  private Forward forward;
  private Hls hls;
  private Dvr dvr;
  /** Ingest, transcode and exec children. */
  private Processes processes;
  private Callbacks callbacks;
  private volatile NodeConfig config;
  private volatile Vhosts vhosts;
  private ConfigRetriever retriever;
  private PidFile pidFile;
  private String lastReloadFailure;
  /** The deployments of the listener verticles (RTMP, RTMPS, HTTP, API, exporter): what a quit closes first. */
  private final List<String> listenerDeployments = new ArrayList<>();
  /** Set when the node starts to quit; completes once it has drained. */
  private Future<Void> quitting;

  /** A node running alone. */
  public NodeVerticle() {
    this(null);
  }

  /** A node of {@code cluster} ({@code --cluster}), or alone when it is null. */
  public NodeVerticle(HazelcastCluster cluster) {
    this.cluster = cluster;
  }

  public StreamHub hub() {
    return hub;
  }

  /** The cluster as this node sees it (itself alone without {@code --cluster}). */
  public ClusterView cluster() {
    return clusterView;
  }

  /** The clients connected to this node. */
  public Clients clients() {
    return clients;
  }

  /** The typed configuration in force. */
  public NodeConfig nodeConfig() {
    return config;
  }

  @Override
  public Future<?> start() {
    return loadConfig().compose(loaded -> {
      apply(NodeConfig.from(loaded)); // an unusable configuration fails the start, with the reason
      return lockPidFile(config.pid());
    }).compose(v -> deployListeners()).onSuccess(v -> {
      vertx.eventBus().<Void>localConsumer(RELOAD_ADDRESS, msg -> reload().onComplete(
          ok -> msg.reply(null), failure -> msg.fail(1, failure.getMessage())));
      vertx.eventBus().<String>localConsumer(QUIT_ADDRESS, msg -> quit(msg.body()).onComplete(done -> msg.reply(null)));
      if (retriever != null && config.inotifyAutoReload()) {
        retriever.listen(change -> {
          LOG.info("configuration file changed, reloading");
          try {
            applyReload(NodeConfig.from(change.getNewConfiguration()));
          } catch (IllegalArgumentException e) {
            reloadFailed(e);
          }
        });
      }
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> children = processes == null ? Future.succeededFuture() : processes.close();
    if (forward != null) {
      forward.close();
    }
    if (clusterNode != null) {
      clusterNode.close();
    }
    if (callbacks != null) {
      callbacks.close();
    }
    if (retriever != null) {
      retriever.close();
    }
    removePidFile();
    return children;
  }

  private void removePidFile() {
    if (pidFile != null) {
      try {
        pidFile.close();
      } catch (java.io.IOException e) {
        LOG.warning("pid file: " + e.getMessage());
      }
      pidFile = null;
    }
  }

  /**
   * Quits on a signal, draining first. SIGTERM is SRS's fast quit unless {@code force_grace_quit on} makes it a
   * graceful one, SIGINT always fast; a graceful quit first keeps serving {@code grace_start_wait} ms (a load balancer
   * stops sending clients meanwhile). Then, in both: the children (ingest, transcode, exec) are stopped, not to be
   * restarted when they lose their listener; the listeners close, so nobody new comes in, a publisher that announced
   * Enhanced RTMP's Reconnect is asked to reconnect elsewhere, every other client is closed; the clients get
   * {@code grace_final_wait} ms to be gone, then whoever is left is closed; HLS writes its last segment into the
   * playlist, DVR closes and renames its files and tells on_dvr, and the callbacks get their answers (at most their
   * timeout); the pid file is removed. Completes then: the launcher exits 0.
   */
  Future<Void> quit(String signal) {
    if (quitting != null) {
      return quitting;
    }
    NodeConfig.Quit quit = config.quit();
    boolean graceful = quit.forceGraceQuit() && "TERM".equals(signal);
    long started = System.nanoTime();
    LOG.info("SIG" + signal + ": " + (graceful ? "graceful quit (force_grace_quit on): closing the listeners in "
        + quit.graceStartWaitMs() + " ms" : "fast quit: closing the listeners") + ", then up to "
        + quit.graceFinalWaitMs() + " ms for the clients to leave");
    Promise<Void> done = Promise.promise();
    quitting = done.future();
    vertx.setTimer(Math.max(1, graceful ? quit.graceStartWaitMs() : 1), t -> {
      if (retriever != null) {
        retriever.close(); // no reload while quitting
        retriever = null;
      }
      // Before the listeners: a child that loses its connection is then not restarted.
      Future<Void> children = processes.close();
      int connected = clients.all().size();
      listenerDeployments.forEach(id -> vertx.undeploy(id).onFailure(e -> LOG.warning("quit: " + e.getMessage())));
      LOG.info("quit: listeners closed, " + connected + " clients leaving");
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(quit.graceFinalWaitMs());
      // The last hooks may take their whole timeout once the stragglers are closed; the rest is quick.
      long last = deadline + TimeUnit.MILLISECONDS.toNanos(io.estuary.admin.HttpHooks.DEFAULT_TIMEOUT + 1000);
      awaitDrained(children, deadline, last, false, done);
    });
    return quitting.onComplete(v -> {
      removePidFile();
      LOG.info("quit: drained in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
    });
  }

  /** Looks every {@link #DRAIN_POLL_MS} whether the node has drained (twice in a row, for the last bus messages). */
  private void awaitDrained(Future<Void> children, long deadline, long last, boolean seenOnce, Promise<Void> done) {
    long now = System.nanoTime();
    Collection<Client> left = clients.all();
    boolean drained = drained(children, left);
    if (drained && seenOnce) {
      done.complete();
      return;
    }
    if (now - last >= 0) {
      LOG.warning("quit: still not drained (" + left.size() + " clients, HLS " + (hls.idle() ? "done" : "writing")
          + ", DVR " + (dvr.idle() ? "done" : "writing") + ", callbacks " + (callbacks.idle() ? "done" : "waiting")
          + "): quitting anyway");
      done.complete();
      return;
    }
    if (!left.isEmpty() && now - deadline >= 0 && deadline != last) {
      LOG.info("quit: " + left.size() + " clients still connected after grace_final_wait: closing them");
      left.forEach(Client::kick);
      deadline = last;
    }
    long nextDeadline = deadline;
    vertx.setTimer(DRAIN_POLL_MS, t -> awaitDrained(children, nextDeadline, last, drained, done));
  }

  /** No client, no live stream, children gone, the last HLS and DVR files written and their callbacks answered. */
  private boolean drained(Future<Void> children, Collection<Client> left) {
    return left.isEmpty() && children.isComplete() && hub.sources().stream().noneMatch(Source::isPublishing)
        && hls.idle() && dvr.idle() && callbacks.idle();
  }

  private Future<JsonObject> loadConfig() {
    JsonObject deployment = config();
    if (deployment.containsKey("conf")) {
      return Future.succeededFuture(deployment.getJsonObject("conf"));
    }
    String path = deployment.getString("confPath");
    if (path == null) {
      return Future.succeededFuture(SrsConf.defaults(System.getenv()).put("pid", DEFAULT_PID));
    }
    ConfigStoreOptions store = new ConfigStoreOptions().setType("file").setFormat("srs")
        .setConfig(new JsonObject().put("path", path));
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().addStore(store).setScanPeriod(SCAN_PERIOD_MS));
    // A broken file during a scan keeps the running configuration: say why.
    retriever.configStream().exceptionHandler(this::reloadFailed);
    // A copy: the retriever keeps the object it returns to compare each scan with, and a default added to it made the
    // first scan of an untouched file without a pid directive see a change (a spurious reload 2 s after start).
    return retriever.getConfig().map(c -> c.containsKey("pid") ? c : c.copy().put("pid", DEFAULT_PID));
  }

  /** Reads the file again (SIGHUP, or the API's reload). */
  public Future<Void> reload() {
    if (retriever == null) {
      return Future.failedFuture("no configuration file to reload");
    }
    return retriever.getConfig().compose(next -> {
      try {
        applyReload(NodeConfig.from(next));
        return Future.<Void>succeededFuture();
      } catch (IllegalArgumentException e) {
        return Future.<Void>failedFuture(e);
      }
    }).onFailure(this::reloadFailed);
  }

  private void reloadFailed(Throwable e) {
    String reason = e.getMessage();
    if (!reason.equals(lastReloadFailure)) { // the scan retries every period: say it once
      lastReloadFailure = reason;
      LOG.warning("reload failed, keeping the running configuration: " + reason);
    }
  }

  /** A reloaded configuration, already typed and validated by {@link NodeConfig#from}, goes in force. */
  private void applyReload(NodeConfig typed) {
    lastReloadFailure = null;
    if (!typed.listeners().equals(config.listeners())) {
      LOG.warning("reload: listeners changed to " + typed.listeners() + "; they take effect after a restart");
    }
    apply(typed);
    if (dvr != null) {
      dvr.reloaded(); // dvr_apply starts and stops live streams' recordings, as SRS
    }
    processes.applyIngests();
    if (forward != null) {
      forward.reloaded(); // a changed forward block restarts the forwards of the vhost's live streams, as SRS
    }
    LOG.info("reload: configuration applied; new clients get the new vhost settings");
  }

  /** Puts a configuration in force: what comes next (clients, publishes, HLS) reads its typed snapshot. */
  private void apply(NodeConfig next) {
    Logging.configure(next.log());
    config = next;
    vhosts = next.vhosts();
  }

  private Future<Void> lockPidFile(String pid) {
    if (pid == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      pidFile = PidFile.acquire(Path.of(pid));
      return null;
    });
  }

  /** HLS of this node, for tests and the API. */
  public Hls hls() {
    return hls;
  }

  /** DVR of this node, for tests. */
  public Dvr dvr() {
    return dvr;
  }

  /** The node's ingest, transcode and exec children, for tests and the API. */
  public Processes processes() {
    return processes;
  }

  /** Forwarding of this node, for tests. */
  public Forward forward() {
    return forward;
  }

  /**
   * What the node's parts add to a live stream's API object: {@code "hls"} (the tracks HLS carries or skips),
   * {@code "dvr"} (whether it is recorded, the plan, the container and the file being written) while it is recorded,
   * {@code "forward"} (each forward's URL, state and bytes) when it is forwarded, and {@code "processes"} (the children
   * that publish it or run for it: ingests, transcodes, execs).
   */
  private JsonObject streamDetails(StreamKey key) {
    JsonObject details = new JsonObject();
    Forward f = forward;
    if (f != null) {
      var forwards = f.status(key);
      if (!forwards.isEmpty()) {
        details.put("forward", forwards);
      }
    }
    Processes p = processes;
    List<JsonObject> children = p == null ? List.of() : p.describe(key);
    if (!children.isEmpty()) {
      details.put("processes", new io.vertx.core.json.JsonArray(new ArrayList<Object>(children)));
    }
    Hls h = hls;
    HlsTracks tracks = h == null ? null : h.tracks(key);
    if (tracks != null) {
      details.put("hls", tracks.toJson());
    }
    Dvr d = dvr;
    Dvr.State recording = d == null ? null : d.state(key);
    if (recording != null) {
      details.put("dvr", new JsonObject().put("recording", recording.recording()).put("plan", recording.plan())
          .put("container", recording.container()).put("file", recording.file()).put("files", recording.files()));
    }
    return details;
  }

  /**
   * SRS's on_dvr for the files of a publish starting to record: the publisher's fields, taken now (the client may be
   * gone when its last file closes), then per file {@code cwd} and {@code file}, published on this node only.
   */
  private Dvr.Recorded onDvr(Source source) {
    Client publisher = source.publisherId() == null ? null : clients.get(source.publisherId());
    StreamKey key = source.key();
    JsonObject event = publisher != null ? publisher.describe() : new JsonObject().put("client_id", "")
        .put("ip", "").put("vhost", key.vhost()).put("app", key.app()).put("stream", key.stream()).put("param", "")
        .put("tcUrl", "").put("stream_url", "/" + key.app() + "/" + key.stream())
        .put("stream_id", StreamIds.of(key.vhost(), key.app(), key.stream()));
    event.remove("pageUrl");
    event.put("action", "on_dvr");
    String cwd = Path.of("").toAbsolutePath().toString();
    return file -> vertx.eventBus().publish(Events.DVR, event.copy().put("cwd", cwd).put("file", file), Events.local());
  }

  private Future<?> deployListeners() {
    return Loops.deploy(vertx, Runtime.getRuntime().availableProcessors()).compose(this::deployListeners);
  }

  /** {@code loops}: where the edge's upstreams and pushes and the forwards run, spread over every event loop. */
  private Future<?> deployListeners(Loops loops) {
    hls = new Hls(vertx, hub, () -> vhosts);
    hub.addListener(hls);
    dvr = new Dvr(hub, () -> vhosts, this::onDvr);
    hub.addListener(dvr);
    edge = new Edge(vertx, hub, clients, () -> vhosts, loops); // pulls and pushes for the vhosts in cluster mode remote
    hub.addListener(edge);
    edge.start();
    List<Endpoint> rtmpListen = config.listeners().rtmp();
    processes = new Processes(vertx, () -> vhosts, clients::get, rtmpListen.isEmpty() ? 1935 : rtmpListen.get(0).port());
    hub.addListener(processes);
    forward = new Forward(vertx, hub, clients, () -> vhosts, () -> config.listeners().rtmp(),
        new JsonObject().put("server_id", info.serverId()).put("service_id", info.serviceId()), loops);
    hub.addListener(forward);
    vertx.setPeriodic(Sampler.PERIOD_MS, id -> Sampler.sample(hub, clients));
    callbacks = new Callbacks(vertx, () -> vhosts, info);
    // The directory before the listeners: a publish claims its stream from the first client on.
    // Ingests publish to this node: they start once it listens.
    return joinCluster().compose(v -> deployRtmp()).compose(v -> deployHttp()).compose(v -> deployApi())
        .compose(v -> deployExporter()).onSuccess(v -> processes.applyIngests());
  }

  /**
   * With {@code --cluster}, this node in the stream directory and the node registry, and publishes claimed there;
   * alone, the cluster API shows this node only.
   */
  private Future<Void> joinCluster() {
    Listeners listeners = config.listeners();
    boolean edge = vhosts.all().stream().anyMatch(v -> v.cluster().edge());
    LocalNode self = new LocalNode(edge ? "edge" : "origin", first(listeners.rtmp()),
        listeners.httpServer().enabled() ? first(listeners.httpServer().listen()) : null,
        listeners.httpApi().enabled() ? first(listeners.httpApi().listen()) : null,
        () -> clients.all().size(), System.currentTimeMillis(), this.edge::pulls, this::kickHere);
    if (cluster == null) {
      clusterView = new SingleNode(info.serverId(), self, "127.0.0.1", hub);
      return Future.succeededFuture();
    }
    return cluster.join(vertx, self).onSuccess(node -> {
      clusterNode = node;
      clusterView = node;
      hub.claims(node.claims());
      hub.owners(node.owners());
    }).mapEmpty();
  }

  /** The API's kick of a client that is not here: the cluster's other nodes (alone: none). */
  private Future<Boolean> kickElsewhere(String clientId, boolean reconnect) {
    ClusterView view = clusterView;
    return view == null ? Future.succeededFuture(false) : view.kickElsewhere(clientId, reconnect);
  }

  /** Another node's API asks to kick a client of this node (to reconnect first, if it can): true when it is here. */
  private boolean kickHere(String clientId, boolean reconnect) {
    Client client = clients.get(clientId);
    if (client != null) {
      client.kick(reconnect);
    }
    return client != null;
  }

  private static Endpoint first(List<Endpoint> endpoints) {
    return endpoints.isEmpty() ? null : endpoints.get(0);
  }

  private Future<?> deployExporter() {
    Listeners.Exporter exporter = config.listeners().exporter();
    if (!exporter.enabled()) {
      return Future.succeededFuture();
    }
    List<Endpoint> endpoints = exporter.listen();
    PrometheusMeterRegistry registry = null;
    try {
      registry = Exporter.registry(); // JVM and Vert.x metrics, when the launcher enabled them
    } catch (IllegalStateException e) {
      LOG.fine("exporter: Vert.x metrics not enabled, SRS metrics only");
    }
    Exporter rendering = new Exporter(exporter.label(), exporter.tag(), registry);
    Handler<HttpServerRequest> metrics = request -> {
      if ("/metrics".equals(request.path())) {
        request.response().putHeader("Content-Type", Exporter.CONTENT_TYPE)
            .end(rendering.render(Exporter.snapshot(hub, clients, info)));
      } else {
        request.response().setStatusCode(404).end();
      }
    };
    HttpListenerVerticle.RequestLimits requestLimits = new HttpListenerVerticle.RequestLimits(config.httpServerOptions());
    return vertx.deployVerticle(() -> new HttpListenerVerticle("exporter", endpoints, requestLimits, v -> metrics),
            new DeploymentOptions())
        .onSuccess(listenerDeployments::add).onSuccess(id -> LOG.info("Prometheus exporter listening on " + endpoints));
  }

  private Future<?> deployApi() {
    Listeners listeners = config.listeners();
    if (!listeners.httpApi().enabled()) {
      return Future.succeededFuture();
    }
    List<Endpoint> shared = listeners.sharedApiEndpoints();
    List<Endpoint> endpoints = listeners.httpApi().listen().stream().filter(e -> !shared.contains(e)).toList();
    if (endpoints.isEmpty()) { // every endpoint is the HTTP server's, which serves the API there
      return Future.succeededFuture();
    }
    HttpListenerVerticle.RequestLimits requestLimits = new HttpListenerVerticle.RequestLimits(config.httpServerOptions());
    return vertx.deployVerticle(() -> new HttpListenerVerticle("HTTP API", endpoints, requestLimits, this::apiRouter),
            new DeploymentOptions().setInstances(1))
        .onSuccess(listenerDeployments::add).onSuccess(id -> LOG.info("HTTP API listening on " + endpoints));
  }

  /** The API's routes, behind its own crossdomain and auth rules ({@code http_api}). */
  private Router apiRouter(Vertx v) {
    Listeners.HttpApi httpApi = config.listeners().httpApi();
    Router router = Router.router(v);
    if (httpApi.crossdomain()) {
      router.route().handler(HttpListenerVerticle.cors("GET, POST, HEAD, PUT, DELETE, OPTIONS"));
    }
    return new ClusterApi(clusterView, info::envelope).mount(api.mount(router, httpApi.auth()));
  }

  /**
   * The HTTP server: the console, live streams (HTTP-FLV mounts, HLS from memory), then the files under {@code dir},
   * never outside.
   * On an endpoint it shares with the API, paths under {@code /api/} go to the API (with the API's rules) first.
   */
  private Future<?> deployHttp() {
    Listeners.HttpServer http = config.listeners().httpServer();
    if (!http.enabled()) {
      return Future.succeededFuture();
    }
    List<Endpoint> endpoints = http.listen();
    String dir = http.dir();
    String root = Path.of(dir).toAbsolutePath().normalize().toString();
    boolean crossdomain = http.crossdomain();
    int loops = Runtime.getRuntime().availableProcessors();
    TsRemux tsRemux = new TsRemux(hub);
    Listeners.HttpApi httpApi = config.listeners().httpApi();
    int apiPort = httpApi.enabled() && !httpApi.listen().isEmpty() ? httpApi.listen().get(0).port() : 0;
    // Counted with RTMP's, as SRS counts every client; like the RTMP listeners', fixed until a restart.
    ConnectionLimits limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
    // apiHere: the API answers on the same endpoint (the console then calls it on its own origin)
    Function<Boolean, Function<Vertx, Router>> streamsAndFiles = apiHere -> v -> {
      Router router = Router.router(v);
      if (crossdomain) {
        router.route().handler(HttpListenerVerticle.cors("GET, HEAD, OPTIONS"));
      }
      Console.mount(router, Path.of(root), info.version(), apiPort, apiHere);
      router.get().handler(new LiveHandler(hub, clients, limits, () -> vhosts, hls, tsRemux));
      router.get().handler(StaticHandler.create(FileSystemAccess.ROOT, root).setCachingEnabled(false)
          .setDirectoryListing(false));
      return router;
    };
    List<Endpoint> shared = config.listeners().sharedApiEndpoints();
    List<Endpoint> own = endpoints.stream().filter(e -> !shared.contains(e)).toList();
    HttpListenerVerticle.RequestLimits serverLimits = new HttpListenerVerticle.RequestLimits(config.httpServerOptions());
    Future<?> plain = own.isEmpty() ? Future.succeededFuture()
        : vertx.deployVerticle(() -> new HttpListenerVerticle("HTTP server", own, serverLimits,
            streamsAndFiles.apply(false)::apply),
            new DeploymentOptions().setInstances(loops))
            .onSuccess(listenerDeployments::add).onSuccess(id -> LOG.info("HTTP server listening on " + own + ", files from " + dir));
    if (shared.isEmpty()) {
      return plain;
    }
    HttpListenerVerticle.RequestLimits sharedLimits = new HttpListenerVerticle.RequestLimits(config.httpServerOptions());
    return plain.compose(ignored -> vertx.deployVerticle(() -> new HttpListenerVerticle("HTTP server and API", shared,
        sharedLimits, v -> {
      Router api = apiRouter(v);
      Router files = streamsAndFiles.apply(true).apply(v);
      return request -> (request.path().equals("/api") || request.path().startsWith("/api/") ? api : files).handle(request);
    }), new DeploymentOptions().setInstances(loops))
        .onSuccess(listenerDeployments::add).onSuccess(id -> LOG.info("HTTP server and API listening on " + shared + ", files from " + dir)));
  }

  private Future<?> deployRtmp() {
    int loops = Runtime.getRuntime().availableProcessors();
    DeploymentOptions options = new DeploymentOptions().setInstances(loops);
    List<Endpoint> listen = config.listeners().rtmp();
    List<RtmpServerOptions> plain = rtmpEndpoints(listen, null);
    Future<?> rtmp = vertx.deployVerticle(() -> new RtmpVerticle("RTMP", plain, hub, clients, () -> vhosts), options)
        .onSuccess(listenerDeployments::add).onSuccess(id -> LOG.info("RTMP listening on " + listen + " with " + loops + " event loops, "
            + (vertx.isNativeTransportEnabled() ? "native epoll" : "NIO") + " transport"));
    Listeners.Rtmps rtmps = config.listeners().rtmps();
    if (!rtmps.enabled()) {
      return rtmp;
    }
    return rtmp.compose(v -> {
      for (Listeners.KeyCert pair : rtmps.keyCerts()) {
        TlsFiles.check(pair.key(), pair.cert());
      }
      PemKeyCertOptions tlsFiles = new PemKeyCertOptions()
          .setKeyPaths(rtmps.keyCerts().stream().map(Listeners.KeyCert::key).toList())
          .setCertPaths(rtmps.keyCerts().stream().map(Listeners.KeyCert::cert).toList());
      List<RtmpServerOptions> tls = rtmpEndpoints(rtmps.listen(), tlsFiles);
      return vertx.deployVerticle(() -> new RtmpVerticle("RTMPS", tls, hub, clients, () -> vhosts), options)
          .onSuccess(listenerDeployments::add).onSuccess(id -> LOG.info("RTMPS listening on " + rtmps.listen() + ", TLS engine " + tlsEngineName()));
    });
  }

  /** One RTMP listener per endpoint; with {@code tls}, RTMPS: TLS 1.2/1.3 on BoringSSL, else the JDK's engine. */
  private List<RtmpServerOptions> rtmpEndpoints(List<Endpoint> listen, PemKeyCertOptions tls) {
    List<RtmpServerOptions> endpoints = new ArrayList<>();
    for (Endpoint endpoint : listen) {
      RtmpServerOptions options = new RtmpServerOptions(config.rtmpServerOptions()).setHost(endpoint.host())
          .setPort(endpoint.port()).setMaxConnections(config.maxConnections())
          .setMaxConnectionsPerIp(config.maxConnectionsPerIp());
      if (tls != null) {
        options.setSsl(true).setKeyCertOptions(tls).setSni(true)
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
            .setSslEngineOptions(OpenSsl.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions());
      }
      endpoints.add(options);
    }
    return endpoints;
  }

  /** The TLS engine RTMPS uses; said once at start. */
  static String tlsEngineName() {
    if (OpenSsl.isAvailable()) {
      return "OpenSSL (" + OpenSsl.versionString() + ")";
    }
    return "JDK (native OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")";
  }
}
