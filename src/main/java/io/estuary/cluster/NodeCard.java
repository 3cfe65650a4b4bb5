package io.estuary.cluster;

import io.estuary.edge.Edge;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One node of the cluster as the node registry shows it: its id (the Hazelcast member's), its role ({@code origin}, or
 * {@code edge} when a vhost pulls from origins: {@code cluster { mode remote; }}), its RTMP, HTTP and API
 * {@code host:port} (null when it does not listen for that), its clients, the streams it publishes and since when it
 * runs (epoch ms), and, on an edge, the streams it pulls ({@code upstreams}: from which origin URL, for how many
 * players here).
 */
public record NodeCard(String id, String role, String rtmp, String http, String api, int clients, int streams,
                       long since, List<Edge.Pull> upstreams) {

  public NodeCard {
    upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
  }

  public JsonObject toJson() {
    JsonArray pulls = new JsonArray();
    for (Edge.Pull pull : upstreams) {
      pulls.add(new JsonObject().put("vhost", pull.stream().vhost()).put("app", pull.stream().app())
          .put("stream", pull.stream().stream()).put("upstream", pull.upstream()).put("players", pull.players()));
    }
    return new JsonObject().put("id", id).put("role", role).put("rtmp", rtmp).put("http", http).put("api", api)
        .put("clients", clients).put("streams", streams).put("since", since).put("upstreams", pulls);
  }

  static NodeCard fromJson(JsonObject json) {
    List<Edge.Pull> pulls = new ArrayList<>();
    JsonArray list = json.getJsonArray("upstreams") == null ? new JsonArray() : json.getJsonArray("upstreams");
    for (int i = 0; i < list.size(); i++) {
      JsonObject pull = list.getJsonObject(i);
      pulls.add(new Edge.Pull(new StreamKey(pull.getString("vhost"), pull.getString("app"), pull.getString("stream")),
          pull.getString("upstream"), pull.getInteger("players", 0)));
    }
    return new NodeCard(json.getString("id"), json.getString("role"), json.getString("rtmp"), json.getString("http"),
        json.getString("api"), json.getInteger("clients", 0), json.getInteger("streams", 0), json.getLong("since", 0L),
        pulls);
  }

  NodeCard withCounts(int clients, int streams) {
    return new NodeCard(id, role, rtmp, http, api, clients, streams, since, upstreams);
  }
}
