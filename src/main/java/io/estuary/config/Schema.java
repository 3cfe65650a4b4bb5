package io.estuary.config;

import io.vertx.core.json.JsonArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The directives Estuary knows, where they may appear and how their values are read. Names and nesting
 * follow SRS's own config checker (srs_app_config.cpp, check_normal_config) so a real SRS file loads
 * without warnings; only the directives Estuary uses today have strict types.
 */
final class Schema {

  private Schema() {
  }

  /** How one directive name is read. */
  sealed interface Spec permits Leaf, Block, Any, Repeated {
  }

  /** A value directive, read once (SRS uses the first when it repeats); can be set from the environment. */
  record Leaf(ValueType type) implements Spec {
  }

  /** A block with a known set of children; repeated blocks merge, as SRS's get_or_create does. */
  record Block(Map<String, Spec> children) implements Spec {
  }

  /** Known but kept as written: a block becomes an object, a repeated name an array. */
  record Any() implements Spec {
  }

  /** A value directive that may repeat (a repeated name becomes an array), each occurrence checked by {@code type}. */
  record Repeated(ValueType type) implements Spec {
  }

  /** A value that does not fit; the caller adds where it was. */
  static final class Invalid extends Exception {
    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Reads a directive's arguments into a JSON value. */
  interface ValueType {
    Object read(List<String> args) throws Invalid;

    /** Whether an environment value is split on whitespace into several arguments. */
    default boolean splitsEnv() {
      return true;
    }
  }

  // ---- value types

  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+)");

  static String one(List<String> args) throws Invalid {
    if (args.size() != 1) {
      throw new Invalid(args.isEmpty() ? "expects a value" : "expects 1 value, got " + args.size());
    }
    return args.get(0);
  }

  static final ValueType STRING = new ValueType() {
    @Override
    public Object read(List<String> args) throws Invalid {
      return one(args);
    }

    @Override
    public boolean splitsEnv() {
      return false;
    }
  };

  /**
   * One path, or several (Estuary's extension for RTMPS SNI: {@code key a.key b.key; cert a.crt b.crt;}); a string
   * for one, an array for several.
   */
  static final ValueType PATHS = new ValueType() {
    @Override
    public Object read(List<String> args) throws Invalid {
      if (args.isEmpty()) {
        throw new Invalid("expects a value");
      }
      return args.size() == 1 ? args.get(0) : new io.vertx.core.json.JsonArray(new java.util.ArrayList<Object>(args));
    }

    @Override
    public boolean splitsEnv() {
      return false; // SRS_RTMPS_KEY / SRS_RTMPS_CERT are one path each, spaces included
    }
  };

  /** SRS writes on/off; yes/no and true/false are accepted as well. */
  static final ValueType BOOL = args -> {
    String v = one(args);
    switch (v.toLowerCase(Locale.ROOT)) {
      case "on", "yes", "true":
        return true;
      case "off", "no", "false":
        return false;
      default:
        throw new Invalid("'" + v + "' is not on|off");
    }
  };

  static ValueType integer(long min, long max) {
    return args -> {
      String v = one(args);
      long n = parseInteger(v);
      if (n < min || n > max) {
        throw new Invalid(n + " is out of range " + range(min, max));
      }
      return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (Object) (int) n : (Object) n;
    };
  }

  /** A number that may be fractional (SRS reads these with atof), at least {@code min}. */
  static ValueType number(double min) {
    return args -> {
      String v = one(args);
      if (!INTEGER.matcher(v).matches() && !DECIMAL.matcher(v).matches()) {
        throw new Invalid("'" + v + "' is not a number");
      }
      double d = Double.parseDouble(v);
      if (d < min) {
        throw new Invalid(v + " is out of range, must be >= " + format(min));
      }
      return compact(d);
    };
  }

  static ValueType oneOf(String... values) {
    List<String> allowed = Arrays.asList(values);
    String choices = String.join("|", values);
    return args -> {
      String v = one(args);
      if (!allowed.contains(v)) {
        throw new Invalid("'" + v + "' is not " + choices);
      }
      return v;
    };
  }

  /**
   * A {@code security} rule, {@code allow|deny publish|play all|IP|CIDR}, checked where it is written (the same parser
   * the typed snapshot uses); kept as written.
   */
  static ValueType securityRule(String directive) {
    return args -> {
      try {
        SecurityRules.Rule.parse(directive, new JsonArray(new java.util.ArrayList<Object>(args)));
      } catch (IllegalArgumentException e) {
        String prefix = "security: " + directive + " ";
        String m = e.getMessage();
        throw new Invalid(m.startsWith(prefix) ? m.substring(prefix.length()) : m);
      }
      return generic(args);
    };
  }

  /** A command and its arguments, kept as an array of words however many there are ({@code exec { publish } }). */
  static final ValueType ARGV = args -> {
    if (args.isEmpty()) {
      throw new Invalid("expects a command");
    }
    return new JsonArray(new java.util.ArrayList<Object>(args));
  };

  /** One or more endpoints: {@code port}, {@code ip:port} or {@code [ipv6]:port}. */
  static final ValueType LISTEN = args -> {
    if (args.isEmpty()) {
      throw new Invalid("expects at least one port, ip:port or [ipv6]:port");
    }
    JsonArray list = new JsonArray();
    for (String a : args) {
      checkEndpoint(a);
      list.add(a);
    }
    return list;
  };

  /**
   * What SRS wrote, lightly typed: on/off become booleans, integers and decimals numbers, anything else a
   * string; several arguments an array of strings; no argument nothing (SRS then uses its default).
   */
  static final ValueType GENERIC = Schema::generic;

  static Object generic(List<String> args) {
    if (args.isEmpty()) {
      return null;
    }
    if (args.size() > 1) {
      return new JsonArray(List.copyOf(args));
    }
    String v = args.get(0);
    if (v.equals("on")) {
      return true;
    }
    if (v.equals("off")) {
      return false;
    }
    if (INTEGER.matcher(v).matches() && v.length() < 19) {
      long n = Long.parseLong(v);
      return n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE ? (Object) (int) n : (Object) n;
    }
    if (DECIMAL.matcher(v).matches()) {
      return Double.parseDouble(v);
    }
    return v;
  }

  private static long parseInteger(String v) throws Invalid {
    if (!INTEGER.matcher(v).matches()) {
      throw new Invalid(DECIMAL.matcher(v).matches() ? "'" + v + "' is not a whole number"
          : "'" + v + "' is not a number");
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new Invalid("'" + v + "' is too large");
    }
  }

  private static String range(long min, long max) {
    return max == Long.MAX_VALUE ? "(must be >= " + min + ")" : min + ".." + max;
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static Object compact(double d) {
    if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
      return (int) d;
    }
    return d;
  }

  /** One endpoint, read by the same parser the typed snapshot uses. */
  static void checkEndpoint(String endpoint) throws Invalid {
    try {
      Endpoint.parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage());
    }
  }

  // ---- the tree

  private static Map.Entry<String, Spec> typed(String name, ValueType type) {
    return Map.entry(name, new Leaf(type));
  }

  private static Map.Entry<String, Spec> block(String name, List<Map.Entry<String, Spec>> children) {
    Map<String, Spec> map = new LinkedHashMap<>();
    for (Map.Entry<String, Spec> c : children) {
      if (map.put(c.getKey(), c.getValue()) != null) {
        throw new IllegalStateException("duplicate " + name + "." + c.getKey());
      }
    }
    return Map.entry(name, new Block(map));
  }

  private static final class Names {
    final List<Map.Entry<String, Spec>> entries = new java.util.ArrayList<>();

    Names typed(String name, ValueType type) {
      entries.add(Schema.typed(name, type));
      return this;
    }

    /** Single-valued directives kept as written. */
    Names leaves(String... names) {
      for (String n : names) {
        entries.add(Map.entry(n, new Leaf(GENERIC)));
      }
      return this;
    }

    /** Value directives that may repeat, each checked by {@code type}. */
    Names repeated(String name, ValueType type) {
      entries.add(Map.entry(name, new Repeated(type)));
      return this;
    }

    /** Directives that may repeat, or blocks kept as written. */
    Names any(String... names) {
      for (String n : names) {
        entries.add(Map.entry(n, new Any()));
      }
      return this;
    }

    Names block(String name, Names children) {
      entries.add(Schema.block(name, children.entries));
      return this;
    }

    Block build() {
      return (Block) Schema.block("", entries).getValue();
    }
  }

  private static Names names() {
    return new Names();
  }

  /** {@code destination host[:port][/app][?params] ...}: each word checked where it is written, kept as written. */
  static final ValueType FORWARD_DESTINATIONS = args -> {
    if (args.isEmpty()) {
      throw new Invalid("expects at least one host[:port][/app][?params]");
    }
    for (String word : args) {
      try {
        ForwardOptions.Destination.parse(word);
      } catch (IllegalArgumentException e) {
        throw new Invalid(e.getMessage());
      }
    }
    return generic(args);
  };

  static final ValueType FORWARD_BACKEND = args -> {
    String url = one(args);
    try {
      ForwardOptions.checkBackend(url);
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage().substring("forward.backend: ".length()));
    }
    return url;
  };

  static final ValueType CHUNK_SIZE = integer(128, 65536);
  static final ValueType NON_NEGATIVE = integer(0, Long.MAX_VALUE);

  static final Block VHOST = names()
      .typed("enabled", BOOL)
      .typed("min_latency", BOOL)
      .typed("tcp_nodelay", BOOL)
      .typed("chunk_size", CHUNK_SIZE)
      .typed("in_ack_size", NON_NEGATIVE)
      .typed("out_ack_size", NON_NEGATIVE)
      .block("publish", names().typed("mr", BOOL).typed("mr_latency", NON_NEGATIVE)
          .typed("firstpkt_timeout", NON_NEGATIVE).typed("normal_timeout", NON_NEGATIVE)
          .typed("parse_sps", BOOL).typed("try_annexb_first", BOOL).typed("kickoff_for_idle", number(0)))
      .block("play", names().typed("gop_cache", BOOL).typed("gop_cache_max_frames", NON_NEGATIVE)
          .typed("queue_length", number(0)).typed("time_jitter", oneOf("full", "zero", "off"))
          .typed("atc", BOOL).typed("atc_auto", BOOL).typed("mix_correct", BOOL)
          .typed("mw_latency", NON_NEGATIVE).typed("mw_msgs", NON_NEGATIVE)
          .typed("send_min_interval", number(0)).typed("reduce_sequence_header", BOOL))
      .block("http_remux", names().leaves("enabled", "mount", "fast_cache", "drop_if_not_match",
          "has_audio", "has_video", "guess_has_av", "hstrs"))
      .block("hls", names().leaves("enabled", "hls_entry_prefix", "hls_path", "hls_fragment", "hls_window",
          "hls_on_error", "hls_storage", "hls_mount", "hls_td_ratio", "hls_aof_ratio", "hls_acodec",
          "hls_vcodec", "hls_m3u8_file", "hls_ts_file", "hls_ts_floor", "hls_cleanup", "hls_nb_notify",
          "hls_wait_keyframe", "hls_dispose", "hls_keys", "hls_fragments_per_key", "hls_key_file",
          "hls_key_file_path", "hls_key_url", "hls_dts_directly", "hls_ctx", "hls_ts_ctx", "hls_use_fmp4",
          "hls_fmp4_file", "hls_init_file", "hls_recover", "hls_master_m3u8_path_relative"))
      .block("http_hooks", names().leaves("enabled").any("on_connect", "on_close", "on_publish",
          "on_unpublish", "on_play", "on_stop", "on_dvr", "on_hls", "on_hls_notify"))
      .block("security", names().typed("enabled", BOOL).repeated("allow", securityRule("allow"))
          .repeated("deny", securityRule("deny")))
      .block("cluster", names().leaves("mode", "token_traverse", "vhost", "debug_srs_upnode",
          "origin_cluster", "protocol", "follow_client").any("origin", "coworkers"))
      .block("dvr", names().typed("enabled", BOOL).typed("dvr_plan", oneOf("session", "segment"))
          .typed("dvr_duration", number(0)).typed("dvr_wait_keyframe", BOOL)
          .typed("time_jitter", oneOf("full", "zero", "off")).leaves("dvr_apply", "dvr_path"))
      .block("forward", names().typed("enabled", BOOL).typed("backend", FORWARD_BACKEND)
          .repeated("destination", FORWARD_DESTINATIONS))
      .block("refer", names().leaves("enabled").any("all", "publish", "play"))
      .block("exec", names().typed("enabled", BOOL).repeated("publish", ARGV))
      .block("http_static", names().leaves("enabled", "mount", "dir"))
      .block("dash", names().leaves("enabled", "dash_fragment", "dash_update_period", "dash_timeshift",
          "dash_path", "dash_mpd_file", "dash_window_size", "dash_dispose", "dash_cleanup"))
      .block("rtc", names().leaves("enabled", "nack", "twcc", "nack_no_copy", "bframe", "aac",
          "stun_timeout", "stun_strict_check", "dtls_role", "dtls_version", "drop_for_pt", "rtc_to_rtmp",
          "pli_for_rtmp", "rtmp_to_rtc", "keep_bframe", "opus_bitrate", "aac_bitrate", "keep_avc_nalu_sei",
          "init_rate_from_sdp"))
      .block("srt", names().leaves("enabled", "srt_to_rtmp"))
      .block("rtsp", names().leaves("enabled", "rtmp_to_rtsp"))
      .any("ingest", "transcode", "bandcheck", "hds", "edge")
      .build();

  static final Block GLOBAL = names()
      .typed("listen", LISTEN)
      .typed("chunk_size", CHUNK_SIZE)
      .typed("max_connections", integer(1, Integer.MAX_VALUE))
      .typed("grace_start_wait", NON_NEGATIVE).typed("grace_final_wait", NON_NEGATIVE).typed("force_grace_quit", BOOL)
      .typed("max_connections_per_ip", integer(0, Integer.MAX_VALUE)) // Estuary's: 0 (the default) is no limit
      .typed("daemon", BOOL)
      .typed("pid", STRING)
      .typed("srs_log_tank", oneOf("console", "file"))
      .typed("srs_log_level", oneOf("trace", "verbose", "info", "warn", "error"))
      .typed("srs_log_file", STRING)
      .block("http_api", names().typed("enabled", BOOL).typed("listen", LISTEN).leaves("crossdomain")
          .any("raw_api", "auth", "https"))
      .block("http_server", names().typed("enabled", BOOL).typed("listen", LISTEN)
          .leaves("dir", "crossdomain").any("https"))
      .block("rtmps", names().typed("enabled", BOOL).typed("listen", LISTEN)
          .typed("key", PATHS).typed("cert", PATHS))
      .block("heartbeat", names().leaves("enabled", "interval", "url", "device_id", "summaries", "ports"))
      .block("stats", names().leaves("enabled", "network").any("disk"))
      .block("exporter", names().typed("enabled", BOOL).typed("listen", LISTEN).leaves("label", "tag"))
      .block("srt_server", names().leaves("enabled", "listen", "maxbw", "mss", "latency", "recvlatency",
          "peerlatency", "connect_timeout", "peer_idle_timeout", "sendbuf", "recvbuf", "payloadsize",
          "default_app", "sei_filter", "mix_correct", "tlpktdrop", "tlpkdrop", "tsbpdmode", "passphrase",
          "pbkeylen", "default_streamid"))
      .block("rtc_server", names().leaves("enabled", "listen", "dir", "ecdsa", "encrypt", "reuseport",
          "merge_nalus", "protocol", "ip_family", "api_as_candidates", "resolve_api_domain",
          "keep_api_domain", "use_auto_detect_network_ip", "perf_stat", "queue_length")
          .any("candidate", "tcp", "black_hole"))
      .block("rtsp_server", names().leaves("enabled", "listen"))
      .leaves("ff_log_dir", "ff_log_level", "srs_log_level_v2", "pithy_print_ms", "utc_time", "work_dir",
          "asprocess", "server_id", "empty_ip_ok", "disable_daemon_for_docker", "inotify_auto_reload", "auto_reload_for_docker",
          "tcmalloc_release_rate", "query_latest_version", "first_wait_for_qlv", "in_docker")
      .any("stream_caster", "threads", "circuit_breaker", "tencentcloud_cls", "tencentcloud_apm",
          "service_server")
      .build();
}
