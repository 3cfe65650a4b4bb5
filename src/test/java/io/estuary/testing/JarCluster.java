package io.estuary.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Nodes from the packaged jar joined with {@code --cluster} under a cluster name of their own, their configurations,
 * pid files and logs in one temporary directory. {@link #close()} kills them all.
 */
public final class JarCluster implements AutoCloseable {

  private final Path dir;
  private final String clusterName;
  private final List<JarNode> nodes = new ArrayList<>();
  private final List<Ffmpeg.Run> ffmpegs = new ArrayList<>();

  /** A cluster named {@code prefix} + a random UUID, its files in a new temporary directory. */
  public JarCluster(String prefix) throws Exception {
    this.dir = Files.createTempDirectory(prefix);
    this.clusterName = prefix + "-" + UUID.randomUUID();
  }

  /** The directory of the nodes' files. */
  public Path dir() {
    return dir;
  }

  /** The nodes started, in order (a killed one stays listed). */
  public List<JarNode> nodes() {
    return nodes;
  }

  /**
   * Starts {@code name} on free ports: its configuration is the RTMP listen, {@code daemon off}, a pid file, console
   * logs and the HTTP API, followed by {@code rest.apply(ports)} (e.g. {@code http_server} and the vhost).
   */
  public JarNode start(String name, Function<JarNode.Ports, String> rest) throws Exception {
    JarNode node = JarNode.start(dir, name, rest, "--cluster", "--cluster-name", clusterName);
    nodes.add(node);
    return node;
  }

  /** Publishes the test media (h264-aac-640x360.flv) to live/{@code stream} on {@code node}; stopped by close(). */
  public Ffmpeg.Run publish(JarNode node, String stream) throws IOException {
    return track(Ffmpeg.publish(Ffmpeg.media("h264-aac-640x360.flv"), node.rtmpUrl(stream)));
  }

  /** Keeps {@code run} to stop it in {@link #close()}; returns it. */
  public Ffmpeg.Run track(Ffmpeg.Run run) {
    ffmpegs.add(run);
    return run;
  }

  /** Stops every ffmpeg kept, then kills every node and waits for each to end. */
  @Override
  public void close() throws Exception {
    for (Ffmpeg.Run ffmpeg : ffmpegs) {
      ffmpeg.stop();
    }
    for (JarNode node : nodes) {
      node.kill();
    }
    for (JarNode node : nodes) {
      node.close();
    }
  }
}
