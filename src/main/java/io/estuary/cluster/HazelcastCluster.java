package io.estuary.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileNotFoundException;

/**
 * {@code --cluster}: the Hazelcast cluster manager Vert.x starts with, made from the {@link ClusterOptions}, and,
 * once Vert.x runs, this node in the cluster's directory and registry ({@link #join}).
 *
 * <p>The Hazelcast config is {@code --cluster-config FILE}, else {@code -Dvertx.hazelcast.config}, else the one
 * packed in the jar ({@link #PACKED}): the Estuary nodes of this machine, over TCP on 127.0.0.1, ports 5701-5720,
 * a killed node seen within about 4 s. {@code --cluster-name} overrides the config's cluster name.
 */
public final class HazelcastCluster {

  static final String PACKED = "io/estuary/cluster/hazelcast.xml";

  private final ClusterOptions options;
  private final HazelcastClusterManager manager;

  private HazelcastCluster(ClusterOptions options, HazelcastClusterManager manager) {
    this.options = options;
    this.manager = manager;
  }

  /** Reads the Hazelcast config; fails with the reason (a missing or malformed file). */
  public static HazelcastCluster create(ClusterOptions options) {
    Config config = config(options);
    if (options.name() != null) {
      config.setClusterName(options.name());
    }
    return new HazelcastCluster(options, new HazelcastClusterManager(config));
  }

  static Config config(ClusterOptions options) {
    if (options.configFile() != null) {
      try {
        return Config.loadFromFile(options.configFile().toFile());
      } catch (FileNotFoundException e) {
        throw new IllegalArgumentException("--cluster-config " + options.configFile() + ": no such file");
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--cluster-config " + options.configFile() + ": " + e.getMessage(), e);
      }
    }
    if (System.getProperty("vertx.hazelcast.config") != null) {
      return ConfigUtil.loadConfig();
    }
    return Config.loadFromClasspath(HazelcastCluster.class.getClassLoader(), PACKED);
  }

  /** What Vert.x clusters with. */
  public ClusterManager clusterManager() {
    return manager;
  }

  /** Once Vert.x runs clustered: this node in the stream directory and the node registry. */
  public Future<ClusterNode> join(Vertx vertx, LocalNode self) {
    return ClusterNode.start(vertx, manager.getHazelcastInstance(), self, options.host());
  }
}
