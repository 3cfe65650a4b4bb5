package io.estuary.config;

import io.estuary.stream.Jitter;
import io.estuary.stream.StreamKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * A vhost's {@code dvr { }} block with SRS's defaults: whether and where streams are recorded. {@code apply} is SRS's
 * {@code dvr_apply}: {@code all}, or the {@code app/stream} names to record. {@code path} is the file pattern; its
 * extension picks the container ({@code .mp4}, else FLV, as SRS). {@code duration} is in seconds (segment plan).
 */
public record DvrOptions(boolean enabled, List<String> apply, String path, Plan plan, double duration,
                         boolean waitKeyframe, Jitter.Algorithm timeJitter) {

  /** SRS's plans: one file per publish, or a new file every {@code dvr_duration} seconds. */
  public enum Plan {
    SESSION, SEGMENT;

    static Plan parse(String value) {
      return switch (value) {
        case "session" -> SESSION;
        case "segment" -> SEGMENT;
        default -> throw new IllegalArgumentException("dvr: dvr_plan must be session or segment: " + value);
      };
    }

    public String srsName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String DEFAULT_PATH = "./objs/nginx/html/[app]/[stream].[timestamp].flv";
  public static final double DEFAULT_DURATION = 30;
  private static final Logger LOG = Logger.getLogger("io.estuary.config");

  public DvrOptions {
    apply = List.copyOf(apply);
    if (apply.isEmpty()) {
      throw new IllegalArgumentException("dvr: dvr_apply needs 'all' or app/stream names");
    }
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("dvr: dvr_path is empty");
    }
    if (plan == Plan.SEGMENT && !(duration > 0)) {
      throw new IllegalArgumentException("dvr: dvr_duration must be > 0 seconds for dvr_plan segment: " + duration);
    }
  }

  public static DvrOptions fromJson(JsonObject dvr) {
    JsonObject d = dvr == null ? new JsonObject() : dvr;
    return new DvrOptions(
        d.getBoolean("enabled", false),
        strings(d.getValue("dvr_apply", "all")),
        path(d.getValue("dvr_path", DEFAULT_PATH)),
        Plan.parse(d.getString("dvr_plan", "session")),
        number(d.getValue("dvr_duration"), DEFAULT_DURATION),
        d.getBoolean("dvr_wait_keyframe", true),
        Jitter.Algorithm.parse(d.getString("time_jitter", "full")));
  }

  /** Whether streams of {@code key} are recorded: {@code dvr} enabled, and {@code dvr_apply} all or naming it. */
  public boolean records(StreamKey key) {
    return enabled && (apply.contains("all") || apply.contains(key.app() + "/" + key.stream()));
  }

  /** The container, from the path's extension: {@code mp4} or {@code flv}. */
  public String container() {
    return path.toLowerCase(Locale.ROOT).endsWith(".mp4") ? "mp4" : "flv";
  }

  private static List<String> strings(Object value) {
    List<String> list = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> list.add(String.valueOf(v)));
    } else if (value != null) {
      for (String s : String.valueOf(value).trim().split("\\s+")) {
        if (!s.isEmpty()) {
          list.add(s);
        }
      }
    }
    return list;
  }

  /**
   * One path. SRS's own dvr.session.conf writes {@code dvr_path dvr_path ./objs/...;}, where SRS takes the first
   * argument and records into a file named "dvr_path": we take the last one, which is what the line means, and say so.
   */
  private static String path(Object value) {
    if (value instanceof JsonArray array && !array.isEmpty()) {
      String last = String.valueOf(array.getValue(array.size() - 1));
      LOG.warning("dvr: dvr_path has " + array.size() + " values " + array.encode() + "; recording to the last one, "
          + last);
      return last;
    }
    return String.valueOf(value);
  }

  private static double number(Object value, double fallback) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return value == null ? fallback : Double.parseDouble(String.valueOf(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dvr: dvr_duration is not a number: " + value);
    }
  }
}
