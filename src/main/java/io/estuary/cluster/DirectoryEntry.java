package io.estuary.cluster;

import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonObject;

/**
 * One stream of the stream directory and the node that publishes it: the node's id and its RTMP, HTTP and API
 * {@code host:port} (null when the node does not listen for that), and when the claim was made (epoch ms).
 * Stored as its JSON text, so that any node (any version) reads it and "remove only if still ours" compares text.
 */
public record DirectoryEntry(StreamKey stream, String nodeId, String rtmp, String http, String api, long since) {

  /** The directory's key of a stream: {@code vhost/app/stream}. */
  static String key(StreamKey stream) {
    return stream.vhost() + "/" + stream.app() + "/" + stream.stream();
  }

  public JsonObject toJson() {
    return new JsonObject().put("vhost", stream.vhost()).put("app", stream.app()).put("stream", stream.stream())
        .put("node", nodeId).put("rtmp", rtmp).put("http", http).put("api", api).put("since", since);
  }

  static DirectoryEntry fromJson(JsonObject json) {
    return new DirectoryEntry(new StreamKey(json.getString("vhost"), json.getString("app"), json.getString("stream")),
        json.getString("node"), json.getString("rtmp"), json.getString("http"), json.getString("api"),
        json.getLong("since", 0L));
  }

  /** How a refusal names the owner: its node id and RTMP endpoint. */
  String describeOwner() {
    return "node " + nodeId + (rtmp == null ? "" : " (rtmp://" + rtmp + ")");
  }
}
