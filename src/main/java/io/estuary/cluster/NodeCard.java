package io.estuary.cluster;

import io.vertx.core.json.JsonObject;

/**
 * One node of the cluster as the node registry shows it: its id (the Hazelcast member's), its role ({@code origin}, or
 * {@code edge} when a vhost pulls from origins: {@code cluster { mode remote; }}), its RTMP, HTTP and API
 * {@code host:port} (null when it does not listen for that), its clients, the streams it publishes and since when it
 * runs (epoch ms).
 */
public record NodeCard(String id, String role, String rtmp, String http, String api, int clients, int streams,
                       long since) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("role", role).put("rtmp", rtmp).put("http", http).put("api", api)
        .put("clients", clients).put("streams", streams).put("since", since);
  }

  static NodeCard fromJson(JsonObject json) {
    return new NodeCard(json.getString("id"), json.getString("role"), json.getString("rtmp"), json.getString("http"),
        json.getString("api"), json.getInteger("clients", 0), json.getInteger("streams", 0), json.getLong("since", 0L));
  }

  NodeCard withCounts(int clients, int streams) {
    return new NodeCard(id, role, rtmp, http, api, clients, streams, since);
  }
}
