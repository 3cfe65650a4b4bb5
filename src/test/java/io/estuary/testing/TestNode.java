package io.estuary.testing;

import java.time.Duration;
import io.estuary.config.SrsConf;
import io.estuary.node.NodeVerticle;
import io.estuary.stream.Source;
import io.estuary.stream.StreamKey;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A whole node (as `java -jar estuary.jar` runs it) on loopback and a free port, inside the test JVM. */
public final class TestNode implements AutoCloseable {

  public final Vertx vertx;
  public final NodeVerticle node;
  public final int rtmpPort;
  /** The HTTP server's port when the configuration has {@code http_server}, else -1. */
  public final int httpPort;
  /** The HTTP API's port when the configuration has {@code http_api}, else -1. */
  public final int apiPort;
  /** The exporter's port when the configuration has {@code exporter}, else -1. */
  public final int exporterPort;

  /** The RTMPS port when the configuration has {@code rtmps}, else -1. */
  public final int rtmpsPort;

  private TestNode(Vertx vertx, NodeVerticle node, int rtmpPort, int httpPort, int apiPort, int exporterPort, int rtmpsPort) {
    this.rtmpsPort = rtmpsPort;
    this.vertx = vertx;
    this.node = node;
    this.rtmpPort = rtmpPort;
    this.httpPort = httpPort;
    this.apiPort = apiPort;
    this.exporterPort = exporterPort;
  }

  /** Gives {@code block} (if configured) a free loopback port; returns it, or -1. */
  private static int listen(JsonObject conf, String block) throws IOException {
    if (!conf.containsKey(block) || conf.getJsonObject(block).containsKey("listen")) {
      return -1;
    }
    int port = freePort();
    conf.getJsonObject(block).put("listen", new JsonArray().add("127.0.0.1:" + port));
    return port;
  }

  /** Starts a node with {@code conf} (normalized SRS configuration; {@code listen} is set here). */
  public static TestNode start(JsonObject conf) throws Exception {
    JsonObject c = conf.copy();
    int port;
    if (c.containsKey("listen")) { // the test chose its endpoints; the first one is "the" RTMP port
      String first = c.getJsonArray("listen").getString(0);
      port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
    } else {
      port = freePort();
      c.put("listen", new JsonArray().add("127.0.0.1:" + port));
    }
    int httpPort = listen(c, "http_server");
    int apiPort = listen(c, "http_api");
    int exporterPort = listen(c, "exporter");
    int rtmpsPort = listen(c, "rtmps");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setPreferNativeTransport(true));
    NodeVerticle node = new NodeVerticle();
    try {
      vertx.deployVerticle(node, new DeploymentOptions().setConfig(new JsonObject().put("conf", c)))
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().await(30, TimeUnit.SECONDS); // a node that failed to start leaves nothing listening
      throw e;
    }
    return new TestNode(vertx, node, port, httpPort, apiPort, exporterPort, rtmpsPort);
  }

  /**
   * Starts a node from an SRS {@code .conf} file, as the launcher does (vertx-config's srs format, reload, scan).
   * The file's {@code listen} must name {@code port}.
   */
  public static TestNode startFile(Path conf, int port) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    NodeVerticle node = new NodeVerticle();
    vertx.deployVerticle(node, new DeploymentOptions().setConfig(new JsonObject().put("confPath", conf.toString())))
        .await(30, TimeUnit.SECONDS);
    return new TestNode(vertx, node, port, -1, -1, -1, -1);
  }

  /**
   * Starts a node from SRS configuration text: its {@code listen} when it has one (else a free port), and free ports
   * for the HTTP server and API.
   */
  public static TestNode start(String srsConf) throws Exception {
    JsonObject json = SrsConf.read(srsConf, "test.conf", Path.of(""), java.util.Map.of()).config();
    if (srsConf.lines().noneMatch(l -> l.startsWith("listen "))) { // without a top-level listen, a free port
      json.remove("listen");
    }
    return start(json);
  }

  public static TestNode start() throws Exception {
    return start(new JsonObject());
  }

  public String rtmp(String path) {
    return "rtmp://127.0.0.1:" + rtmpPort + "/" + path;
  }

  /** Waits until {@code app/stream} on the default vhost has a publisher. */
  public void awaitPublished(String appStream) throws InterruptedException {
    awaitState(appStream, true);
  }

  /** Waits until {@code app/stream} on the default vhost has no publisher. */
  public void awaitUnpublished(String appStream) throws InterruptedException {
    awaitState(appStream, false);
  }

  private void awaitState(String appStream, boolean publishing) throws InterruptedException {
    String[] parts = appStream.split("/", 2);
    StreamKey key = new StreamKey(StreamKey.DEFAULT_VHOST, parts[0], parts[1]);
    Await.until(Duration.ofSeconds(15), () -> {
      Source source = node.hub().get(key);
      return (source != null && source.isPublishing()) == publishing;
    }, () -> appStream + (publishing ? " is published" : " is unpublished"));
  }

  /**
   * Waits until {@code app/stream} on {@code vhost} has received {@code frames} video frames from its publisher: the
   * stream's own clock (25 fps test media), where a test needs to be that far into it, e.g. in the middle of a GOP.
   */
  public void awaitFrames(String vhost, String appStream, long frames) throws InterruptedException {
    String[] parts = appStream.split("/", 2);
    StreamKey key = new StreamKey(vhost, parts[0], parts[1]);
    Await.until(Duration.ofSeconds(30), () -> {
      Source source = node.hub().get(key);
      return source != null && source.frames() >= frames;
    }, () -> vhost + "/" + appStream + " has " + frames + " frames");
  }

  /** {@link #awaitFrames(String, String, long)} on the default vhost. */
  public void awaitFrames(String appStream, long frames) throws InterruptedException {
    awaitFrames(StreamKey.DEFAULT_VHOST, appStream, frames);
  }

  public String http(String path) {
    return "http://127.0.0.1:" + httpPort + "/" + path;
  }

  public String api(String path) {
    return "http://127.0.0.1:" + apiPort + path;
  }

  /** The HTTP API's object for the stream named {@code name} ({@code /api/v1/streams/}), null when it is not listed. */
  public JsonObject apiStream(String name) {
    try {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(api("/api/v1/streams/"))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      for (Object stream : new JsonObject(response.body()).getJsonArray("streams")) {
        if (name.equals(((JsonObject) stream).getString("name"))) {
          return (JsonObject) stream;
        }
      }
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
