package io.estuary.cluster;

import io.estuary.config.Endpoint;
import io.estuary.config.VhostConfig;
import io.estuary.stream.Source;
import io.estuary.stream.StreamOwners;

/**
 * The Hazelcast side of the redirect decision (the static side is {@link OriginCluster}): an origin's player of a
 * stream that another node owns in the stream directory is sent there — RTMP 302 ({@link Origin#url}) or HTTP 302
 * ({@link #httpUrl}). A stream nobody publishes is played (waited for) here, as on one node.
 */
public final class Redirects {

  private Redirects() {
  }

  /**
   * Whether a play is first looked up in the directory: a clustered node ({@code owners} not
   * {@link StreamOwners#NONE}), an origin vhost (edges pull instead), no publisher here.
   */
  public static boolean asksDirectory(VhostConfig vhost, Source local, StreamOwners owners) {
    return owners != StreamOwners.NONE && !vhost.cluster().edge() && (local == null || !local.isPublishing());
  }

  /** Where the RTMP 302 goes for {@code owner} (null: none, or it has no RTMP endpoint). */
  public static Origin origin(StreamOwners.Owner owner) {
    if (owner == null || owner.rtmp() == null) {
      return null;
    }
    Endpoint rtmp = Endpoint.parse(owner.rtmp());
    return new Origin(rtmp.host(), rtmp.port(), "node " + owner.nodeId());
  }

  /** The HTTP 302's Location: the same path and query at the owner's HTTP server (null: it has none). */
  public static String httpUrl(StreamOwners.Owner owner, String pathAndQuery) {
    if (owner == null || owner.http() == null) {
      return null;
    }
    return "http://" + owner.http() + pathAndQuery;
  }
}
