package io.estuary.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A vhost's {@code http_remux { }} block: whether its streams are served over HTTP, at which mounts (SRS takes one;
 * a repeated {@code mount}, e.g. {@code .flv} and {@code .ts}, serves each), which tracks an FLV player gets
 * ({@code has_audio}, {@code has_video}) and whether its header announces only those the stream has
 * ({@code guess_has_av}, SRS's default on).
 */
public record HttpRemux(boolean enabled, List<String> mounts, boolean hasAudio, boolean hasVideo,
                        boolean guessHasAv) {

  public static final String DEFAULT_MOUNT = "[vhost]/[app]/[stream].flv";

  public static HttpRemux fromJson(JsonObject remux) {
    JsonObject r = remux == null ? new JsonObject() : remux;
    Object mount = r.getValue("mount", DEFAULT_MOUNT);
    List<String> mounts = new ArrayList<>();
    for (Object m : mount instanceof JsonArray list ? list : List.of(mount)) {
      mounts.add(String.valueOf(m));
    }
    return new HttpRemux(r.getBoolean("enabled", false), List.copyOf(mounts), r.getBoolean("has_audio", true),
        r.getBoolean("has_video", true), r.getBoolean("guess_has_av", true));
  }
}
