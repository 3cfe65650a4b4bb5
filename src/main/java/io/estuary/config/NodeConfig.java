package io.estuary.config;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * One configuration as loaded or reloaded, validated once: the node's settings (listeners, limits, pid file, log,
 * reload) and its typed vhosts. The node builds it with {@link #from} before anything uses it, so a configuration
 * that cannot be used is refused as a whole (the running one stays) instead of failing client by client, or listener
 * by listener.
 *
 * @param maxConnections    {@code max_connections}: clients of RTMP, RTMPS and HTTP live streams together, as SRS
 * @param maxConnectionsPerIp {@code max_connections_per_ip} (Estuary's): the same from one address; 0 for no limit
 * @param rtmpServerOptions {@code rtmp}: not SRS's (the file's {@code rtmp { }} is flattened when read) but Vert.x's
 *                          own JSON form of the RTMP server's options, passed through raw to its JSON constructor
 *                          (tests set {@code handshakeTimeout} there)
 * @param httpServerOptions {@code http}: likewise Vert.x's JSON form of the HTTP listeners' options
 *                          ({@code HttpServerOptions}: {@code maxInitialLineLength}, {@code maxHeaderSize}, ...) plus
 *                          {@code requestTimeout}, not SRS's (tests shorten the deadlines there)
 * @param pid               the pid file's path, null for none
 */
public record NodeConfig(Listeners listeners, int maxConnections, int maxConnectionsPerIp,
                         JsonObject rtmpServerOptions, JsonObject httpServerOptions, String pid, boolean daemon,
                         boolean inotifyAutoReload, Quit quit, Log log, Vhosts vhosts) {

  /** SRS's default {@code max_connections} (RtmpServerOptions has the same default for a server made without one). */
  public static final int DEFAULT_MAX_CONNECTIONS = 1000;

  /**
   * SRS's log settings: {@code srs_log_tank console|file}, {@code srs_log_level trace|verbose|info|warn|error},
   * {@code srs_log_file}.
   */
  public record Log(String tank, String level, String file) {
    static final List<String> TANKS = List.of("console", "file");
    static final List<String> LEVELS = List.of("trace", "verbose", "info", "warn", "error");

    static Log fromConfig(JsonObject config) {
      return new Log(oneOf("srs_log_tank", config.getValue("srs_log_tank"), "console", TANKS),
          oneOf("srs_log_level", config.getValue("srs_log_level"), "trace", LEVELS),
          text(config.getValue("srs_log_file"), "./objs/srs.log"));
    }

    /** Whether the log goes to {@link #file} rather than the console. */
    public boolean toFile() {
      return "file".equals(tank);
    }
  }

  /**
   * How the node quits on a signal, with SRS's directives and defaults: {@code grace_start_wait} (ms a graceful quit
   * keeps accepting before it closes the listeners), {@code grace_final_wait} (ms the clients get to leave once the
   * listeners are closed) and {@code force_grace_quit} (SIGTERM quits gracefully rather than fast).
   */
  public record Quit(long graceStartWaitMs, long graceFinalWaitMs, boolean forceGraceQuit) {
    public static final long DEFAULT_GRACE_START_WAIT_MS = 2300;
    public static final long DEFAULT_GRACE_FINAL_WAIT_MS = 3200;

    static Quit fromConfig(JsonObject config) {
      return new Quit(millis("grace_start_wait", config.getValue("grace_start_wait"), DEFAULT_GRACE_START_WAIT_MS),
          millis("grace_final_wait", config.getValue("grace_final_wait"), DEFAULT_GRACE_FINAL_WAIT_MS),
          flag("force_grace_quit", config.getValue("force_grace_quit"), false));
    }

    private static long millis(String directive, Object value, long fallback) {
      if (value == null) {
        return fallback;
      }
      if (!(value instanceof Number n) || n.longValue() < 0) {
        throw new IllegalArgumentException(directive + ": '" + value + "' is not a number of milliseconds >= 0");
      }
      return n.longValue();
    }
  }

  /** Fails with an IllegalArgumentException (the reason, naming the directive) when the configuration is unusable. */
  public static NodeConfig from(JsonObject normalized) {
    try {
      return new NodeConfig(
          Listeners.fromConfig(normalized),
          maxConnections(normalized.getValue("max_connections")),
          maxConnectionsPerIp(normalized.getValue("max_connections_per_ip")),
          serverOptions("rtmp", normalized.getValue("rtmp")),
          serverOptions("http", normalized.getValue("http")),
          text(normalized.getValue("pid"), null),
          flag("daemon", normalized.getValue("daemon"), false),
          flag("inotify_auto_reload", normalized.getValue("inotify_auto_reload"), true),
          Quit.fromConfig(normalized),
          Log.fromConfig(normalized),
          Vhosts.fromConfig(normalized));
    } catch (ClassCastException e) { // a value of the wrong JSON type in a hand-made (not parsed) configuration
      throw new IllegalArgumentException("configuration: " + e.getMessage(), e);
    }
  }

  private static int maxConnections(Object value) {
    if (value == null) {
      return DEFAULT_MAX_CONNECTIONS;
    }
    if (!(value instanceof Integer n) || n < 1) {
      throw new IllegalArgumentException("max_connections: '" + value + "' is not a whole number >= 1");
    }
    return n;
  }

  private static int maxConnectionsPerIp(Object value) {
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Integer n) || n < 0) {
      throw new IllegalArgumentException("max_connections_per_ip: '" + value + "' is not a whole number >= 0");
    }
    return n;
  }

  private static JsonObject serverOptions(String name, Object value) {
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject options)) {
      throw new IllegalArgumentException(name + ": expects the " + name.toUpperCase(Locale.ROOT)
          + " server's options as an object");
    }
    return options.copy();
  }

  /** An on/off value as the config layer writes it: a boolean, or on/off, yes/no, true/false. */
  static boolean flag(String directive, Object value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().toLowerCase(Locale.ROOT)) {
      case "on", "yes", "true" -> true;
      case "off", "no", "false" -> false;
      default -> throw new IllegalArgumentException(directive + ": '" + value + "' is not on|off");
    };
  }

  /** A text value; the config layer makes numbers of numeric words ({@code password 1234;}), read back as text. */
  static String text(Object value, String fallback) {
    return value == null ? fallback : value.toString();
  }

  private static String oneOf(String directive, Object value, String fallback, List<String> allowed) {
    String v = text(value, fallback);
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(directive + ": '" + v + "' is not " + String.join("|", allowed));
    }
    return v;
  }
}
