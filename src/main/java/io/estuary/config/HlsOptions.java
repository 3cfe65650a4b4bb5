package io.estuary.config;

import io.vertx.core.json.JsonObject;

/**
 * A vhost's {@code hls { }} block with SRS's defaults. Times in seconds.
 */
public record HlsOptions(boolean enabled, double fragment, double tdRatio, double aofRatio, double window,
                         String path, String m3u8File, String tsFile, String entryPrefix, boolean cleanup,
                         double dispose, boolean waitKeyframe) {

  public static HlsOptions fromJson(JsonObject hls) {
    JsonObject h = hls == null ? new JsonObject() : hls;
    return new HlsOptions(
        h.getBoolean("enabled", false),
        number(h, "hls_fragment", 10),
        number(h, "hls_td_ratio", 1.0),
        number(h, "hls_aof_ratio", 2.1),
        number(h, "hls_window", 60),
        h.getString("hls_path", "./objs/nginx/html"),
        h.getString("hls_m3u8_file", "[app]/[stream].m3u8"),
        h.getString("hls_ts_file", "[app]/[stream]-[seq].ts"),
        h.getString("hls_entry_prefix", ""),
        h.getBoolean("hls_cleanup", true),
        number(h, "hls_dispose", 120),
        h.getBoolean("hls_wait_keyframe", true));
  }

  private static double number(JsonObject json, String key, double fallback) {
    Object value = json.getValue(key);
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    return value == null ? fallback : Double.parseDouble(String.valueOf(value));
  }
}
