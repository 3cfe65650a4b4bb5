package io.estuary.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node from the packaged jar ({@code java -jar target/estuary.jar -c CONF}, or the {@code estuary.jar} property) in
 * its own process, on free loopback ports, its output in a log file; its HTTP API asked with {@link #api(String)}.
 * {@link JarCluster} starts them.
 */
public final class JarNode implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The free loopback ports a node is given before it starts. */
  public record Ports(int rtmp, int http, int api) {
    static Ports free() throws IOException {
      return new Ports(TestNode.freePort(), TestNode.freePort(), TestNode.freePort());
    }
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Ports ports;

  JarNode(String name, Process process, Path log, Ports ports) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.ports = ports;
  }

  /**
   * A node alone (no {@code --cluster}) from the jar, its configuration {@code dir/NAME.conf}: RTMP and the HTTP API on
   * free loopback ports, then {@code rest}.
   */
  public static JarNode alone(Path dir, String name, java.util.function.Function<Ports, String> rest) throws IOException {
    return start(dir, name, rest);
  }

  /**
   * A node from the jar, its configuration {@code dir/NAME.conf} (RTMP and the HTTP API on free loopback ports, then
   * {@code rest}), its log {@code dir/NAME.log}, with {@code options} after {@code -c FILE} (e.g. {@code --cluster}).
   */
  static JarNode start(Path dir, String name, java.util.function.Function<Ports, String> rest, String... options)
      throws IOException {
    Ports ports = Ports.free();
    Path conf = dir.resolve(name + ".conf");
    Files.writeString(conf, """
        listen 127.0.0.1:%d;
        daemon off;
        pid %s;
        srs_log_tank console;
        http_api { enabled on; listen 127.0.0.1:%d; }
        """.formatted(ports.rtmp(), dir.resolve(name + ".pid"), ports.api()) + rest.apply(ports));
    Path log = dir.resolve(name + ".log");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("java", "-Xmx256m", "-jar", jar(),
        "-c", conf.toString()));
    command.addAll(java.util.List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new JarNode(name, process, log, ports);
  }

  /** The jar the ITs start: the {@code estuary.jar} property, else {@code target/estuary.jar}. */
  public static String jar() {
    return System.getProperty("estuary.jar", "target/estuary.jar");
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  public Path log() {
    return log;
  }

  public int rtmp() {
    return ports.rtmp();
  }

  /** The HTTP server's port (used when the configuration has {@code http_server}). */
  public int http() {
    return ports.http();
  }

  public int api() {
    return ports.api();
  }

  public String rtmpUrl(String stream) {
    return "rtmp://127.0.0.1:" + rtmp() + "/live/" + stream;
  }

  public String httpUrl(String path) {
    return "http://127.0.0.1:" + http() + path;
  }

  /** GET {@code path} on the HTTP API (5 s): a 200 and its JSON. */
  public JsonObject api(String path) throws Exception {
    return send("GET", path, Duration.ofSeconds(5));
  }

  /** {@code method} {@code path} (no body) on the HTTP API: a 200 and its JSON. */
  public JsonObject send(String method, String path, Duration timeout) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(timeout).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The answer of {@link #api(String)}, or null while the node does not answer (yet). */
  public JsonObject apiUnchecked(String path) {
    try {
      return api(path);
    } catch (Exception | AssertionError e) {
      return null;
    }
  }

  /** The node's output so far. */
  public String readLog() throws IOException {
    return Files.readString(log);
  }

  /** The node's output so far, or "" if it cannot be read. */
  public String readLogUnchecked() {
    try {
      return readLog();
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits until the node's output holds {@code text} (a line is logged after the reply it tells of is sent). */
  public void awaitLog(String text, Duration timeout) throws Exception {
    Await.until(timeout, () -> readLogUnchecked().contains(text), () -> "'" + text + "' in the log of " + name
        + ":\n" + readLogUnchecked());
  }

  /** Waits until {@code /api/v1/cluster/nodes} lists {@code count} nodes; fails at once if the node died. */
  public void awaitNodes(int count, Duration timeout, String where) throws Exception {
    Await.until(timeout, () -> {
      assertTrue(process.isAlive(), "node died: " + readLogUnchecked());
      JsonObject answer = apiUnchecked("/api/v1/cluster/nodes");
      return answer != null && answer.getJsonArray("nodes").size() == count;
    }, () -> count + " nodes on " + where + ": " + apiUnchecked("/api/v1/cluster/nodes") + "\n"
        + readLogUnchecked());
  }

  /** This node's id in the cluster (the "self" entry of {@code /api/v1/cluster/nodes}). */
  public String selfId() throws Exception {
    JsonArray list = api("/api/v1/cluster/nodes").getJsonArray("nodes");
    for (int i = 0; i < list.size(); i++) {
      if (list.getJsonObject(i).getBoolean("self")) {
        return list.getJsonObject(i).getString("id");
      }
    }
    throw new AssertionError("no self in " + list);
  }

  /** live/{@code stream} in this node's {@code /api/v1/cluster/streams}, or null. */
  public JsonObject clusterStream(String stream) {
    JsonObject answer = apiUnchecked("/api/v1/cluster/streams");
    if (answer == null) {
      return null;
    }
    JsonArray streams = answer.getJsonArray("streams");
    for (int i = 0; i < streams.size(); i++) {
      JsonObject s = streams.getJsonObject(i);
      if ("live".equals(s.getString("app")) && stream.equals(s.getString("name"))) {
        return s;
      }
    }
    return null;
  }

  /** The owner of live/{@code stream} in this node's directory, or null. */
  public JsonObject clusterOwner(String stream) {
    JsonObject entry = clusterStream(stream);
    return entry == null ? null : entry.getJsonObject("owner");
  }

  /** Waits (20 s) until this node's directory names {@code ownerId} the owner of live/{@code stream}; the owner. */
  public JsonObject awaitOwner(String stream, String ownerId, String where) throws Exception {
    return Await.value(Duration.ofSeconds(20), () -> clusterOwner(stream),
        owner -> owner != null && ownerId.equals(owner.getString("id")),
        () -> "live/" + stream + " owned by " + ownerId + " on " + where + ": "
            + apiUnchecked("/api/v1/cluster/streams"));
  }

  /** SIGKILL. */
  public void kill() {
    process.destroyForcibly();
  }

  /** Kills the process and waits (20 s) for it to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }
}
