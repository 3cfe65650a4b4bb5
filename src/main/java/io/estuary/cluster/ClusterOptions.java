package io.estuary.cluster;

import java.nio.file.Path;

/**
 * The launcher's cluster options: {@code --cluster-name NAME} (separate clusters on one machine),
 * {@code --cluster-config FILE} (a full Hazelcast XML or YAML config) and {@code --cluster-host HOST} (the host other
 * nodes and redirects use for this node). Null means the default: the configuration's cluster name; the config of
 * {@code -Dvertx.hazelcast.config}, else the one packed in the jar (the Estuary nodes of this machine); the host of
 * this node's cluster address.
 */
public record ClusterOptions(String name, Path configFile, String host) {

  public static final ClusterOptions DEFAULTS = new ClusterOptions(null, null, null);

  public ClusterOptions withName(String name) {
    return new ClusterOptions(name, configFile, host);
  }

  public ClusterOptions withConfigFile(Path configFile) {
    return new ClusterOptions(name, configFile, host);
  }

  public ClusterOptions withHost(String host) {
    return new ClusterOptions(name, configFile, host);
  }
}
