package io.estuary.config;

import io.estuary.config.Schema.Any;
import io.estuary.config.Schema.Block;
import io.estuary.config.Schema.Invalid;
import io.estuary.config.Schema.Leaf;
import io.estuary.config.Schema.Spec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Turns an SRS {@code .conf} into the JSON object the rest of Estuary reads.
 *
 * <p>The JSON holds only what the file (or the environment) sets, keyed as SRS spells the directives:
 * consumers apply SRS's defaults. Two keys are always present: {@code listen} (an array of endpoint
 * strings, {@code ["1935"]} when unset) and {@code vhosts} (an object keyed by vhost name).
 *
 * <pre>
 * { "listen": ["1935"], "chunk_size": 60000, "max_connections": 1000, "daemon": false, ...,
 *   "vhosts": { "__defaultVhost__": { "tcp_nodelay": true, "publish": {...}, "play": {...}, "hls": {...} } },
 *   "http_api": { "enabled": true, "listen": ["1985"] }, ... }
 * </pre>
 *
 * Directives Estuary reads are typed (integers, booleans from on/off, enums) and checked; other directives
 * SRS knows are kept as written (see {@link Schema#GENERIC}); a block with arguments gets them under
 * {@code "_args"}; a name repeated in a block becomes an array of its values. An unknown directive is
 * logged as one warning and left out. SRS 1/2 spellings SRS itself still reads ({@code gop_cache} directly
 * in the vhost, {@code mr { }}, {@code http_stream}, SRS 7's {@code rtmp { listen; }}) are read in their
 * current place.
 *
 * <p>Environment overrides beat the file: {@code SRS_<DIRECTIVE>} for global directives,
 * {@code SRS_<BLOCK>_<DIRECTIVE>} for global blocks ({@code SRS_HTTP_API_LISTEN}), and
 * {@code SRS_VHOST_[<BLOCK>_]<DIRECTIVE>} for the default vhost ({@code SRS_VHOST_PLAY_GOP_CACHE}).
 */
public final class SrsConf {

  public static final String DEFAULT_VHOST = "__defaultVhost__";
  public static final String DEFAULT_LISTEN = "1935";
  /** The key of a block's own arguments when it is kept as written ({@code ingest livestream { }}). */
  public static final String ARGS = "_args";

  private static final Logger LOG = Logger.getLogger("io.estuary.config");

  private SrsConf() {
  }

  /** A normalized config and the warnings (unknown or repeated directives) reading it gave. */
  public record Result(JsonObject config, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /** Parses {@code file}, applies {@code env} overrides, validates and normalizes. */
  public static JsonObject load(Path file, Map<String, String> env) {
    return read(file, env).config();
  }

  /** Like {@link #load(Path, Map)}, with the warnings. */
  public static Result read(Path file, Map<String, String> env) {
    return normalize(ConfParser.parseFile(file), env);
  }

  /** Parses {@code text} named {@code fileName}, includes resolving against {@code baseDir}. */
  public static JsonObject parse(String text, String fileName, Path baseDir, Map<String, String> env) {
    return read(text, fileName, baseDir, env).config();
  }

  /** Like {@link #parse(String, String, Path, Map)}, with the warnings. */
  public static Result read(String text, String fileName, Path baseDir, Map<String, String> env) {
    return normalize(ConfParser.parse(text, fileName, baseDir), env);
  }

  /**
   * The config with no file: RTMP on 1935 in the foreground, logging to the console, the default vhost.
   * HTTP API and HTTP server stay off, as in SRS when they are not configured.
   */
  public static JsonObject defaults() {
    return defaults(Map.of());
  }

  /** {@link #defaults()} with environment overrides applied. */
  public static JsonObject defaults(Map<String, String> env) {
    JsonObject config = new JsonObject()
        .put("listen", new JsonArray().add(DEFAULT_LISTEN))
        .put("daemon", false)
        .put("srs_log_tank", "console")
        .put("vhosts", new JsonObject().put(DEFAULT_VHOST, new JsonObject()));
    applyEnv(config, env);
    return config;
  }

  /** Validates and normalizes an already parsed tree. */
  public static Result normalize(ConfDirective root, Map<String, String> env) {
    Normalizer n = new Normalizer();
    JsonObject config = n.root(root);
    applyEnv(config, env);
    if (!config.containsKey("listen")) {
      config.put("listen", new JsonArray().add(DEFAULT_LISTEN));
    }
    return new Result(config, n.warnings);
  }

  // ---- environment

  private record EnvTarget(List<String> path, Leaf leaf) {
  }

  /** Every SRS_* variable Estuary reads, in the order they are applied; aliases first so they lose. */
  private static final Map<String, EnvTarget> ENV = envTable();

  /** The names of the environment variables that override the config. */
  public static Set<String> environmentVariables() {
    return Collections.unmodifiableSet(ENV.keySet());
  }

  private static Map<String, EnvTarget> envTable() {
    Map<String, EnvTarget> table = new LinkedHashMap<>();
    for (String alias : List.of("log_tank", "log_level", "log_file")) {
      String name = "srs_" + alias;
      table.put(envName(List.of(alias)),
          new EnvTarget(List.of(name), (Leaf) Schema.GLOBAL.children().get(name)));
    }
    addEnv(table, Schema.GLOBAL, List.of(), List.of());
    addEnv(table, Schema.VHOST, List.of("vhosts", DEFAULT_VHOST), List.of("vhost"));
    return table;
  }

  private static void addEnv(Map<String, EnvTarget> table, Block block, List<String> path, List<String> env) {
    block.children().forEach((name, spec) -> {
      List<String> p = append(path, name);
      List<String> e = append(env, name);
      if (spec instanceof Leaf leaf) {
        if (table.put(envName(e), new EnvTarget(p, leaf)) != null) {
          throw new IllegalStateException("two directives map to " + envName(e));
        }
      } else if (spec instanceof Block b) {
        addEnv(table, b, p, e);
      }
    });
  }

  private static List<String> append(List<String> list, String s) {
    List<String> out = new ArrayList<>(list);
    out.add(s);
    return out;
  }

  private static String envName(List<String> path) {
    return "SRS_" + String.join("_", path).toUpperCase(Locale.ROOT);
  }

  private static void applyEnv(JsonObject config, Map<String, String> env) {
    if (env == null || env.isEmpty()) {
      return;
    }
    ENV.forEach((name, target) -> {
      String raw = env.get(name);
      if (raw == null || raw.isBlank()) {
        return;
      }
      Schema.ValueType type = target.leaf().type();
      List<String> args = type.splitsEnv() ? Arrays.asList(raw.trim().split("\\s+")) : List.of(raw.trim());
      Object value;
      try {
        value = type.read(args);
      } catch (Invalid e) {
        throw ConfException.env(name, e.getMessage());
      }
      if (value == null) {
        return;
      }
      JsonObject at = config;
      List<String> path = target.path();
      for (String key : path.subList(0, path.size() - 1)) {
        JsonObject next = at.getJsonObject(key);
        if (next == null) {
          next = new JsonObject();
          at.put(key, next);
        }
        at = next;
      }
      at.put(path.get(path.size() - 1), value);
    });
  }

  // ---- file

  /** Vhost directives SRS 3 moved into play, publish and cluster (srs_config_transform_vhost). */
  private static final Set<String> PLAY_SHADOWS = Set.of("time_jitter", "mix_correct", "atc", "atc_auto",
      "mw_latency", "gop_cache", "gop_cache_max_frames", "queue_length", "send_min_interval",
      "reduce_sequence_header");
  private static final Set<String> CLUSTER_SHADOWS = Set.of("mode", "origin", "token_traverse", "vhost",
      "debug_srs_upnode");

  /** One normalization: collects warnings and remembers what each JSON object already holds. */
  private static final class Normalizer {
    final List<String> warnings = new ArrayList<>();
    /** Per JSON object, the directive each key was first read from. */
    private final Map<JsonObject, Map<String, ConfDirective>> first = new IdentityHashMap<>();
    /** Per JSON object, the keys already turned into an array of repeated values. */
    private final Map<JsonObject, Set<String>> repeated = new IdentityHashMap<>();

    JsonObject root(ConfDirective root) {
      JsonObject config = new JsonObject();
      JsonObject vhosts = new JsonObject();
      Map<String, ConfDirective> vhostAt = new HashMap<>();
      for (ConfDirective d : upgradeGlobal(root.children())) {
        switch (d.name()) {
          case "vhost" -> vhost(d, vhosts, vhostAt);
          case "is_full" -> {
            if (!"off".equals(d.arg0())) {
              throw error(d, "this is SRS's full.conf reference, not a runnable config");
            }
          }
          default -> apply(Schema.GLOBAL, d, config, d.name());
        }
      }
      config.put("vhosts", vhosts);
      return config;
    }

    private void vhost(ConfDirective d, JsonObject vhosts, Map<String, ConfDirective> vhostAt) {
      if (d.args().size() != 1) {
        throw error(d, "vhost expects one name, got " + d.args().size());
      }
      String name = d.arg0();
      if (!d.isBlock()) {
        throw error(d, "vhost '" + name + "' expects a block { ... }");
      }
      ConfDirective before = vhostAt.putIfAbsent(name, d);
      if (before != null) {
        throw error(d, "duplicate vhost '" + name + "', first defined at " + before.location());
      }
      JsonObject vhost = new JsonObject();
      for (ConfDirective c : upgradeVhost(name, d.children())) {
        apply(Schema.VHOST, c, vhost, c.name());
      }
      vhosts.put(name, vhost);
    }

    /** Reads {@code d}, a child of a block described by {@code block}, into {@code into}. */
    private void apply(Block block, ConfDirective d, JsonObject into, String path) {
      Spec spec = block.children().get(d.name());
      if (spec == null) {
        warn(d.location() + ": unknown directive '" + d.name() + "', ignored");
        return;
      }
      if (spec instanceof Leaf leaf) {
        if (d.isBlock()) {
          throw error(d, path + ": expects a value, not a block");
        }
        Object value;
        try {
          value = leaf.type().read(d.args());
        } catch (Invalid e) {
          throw error(d, path + ": " + e.getMessage());
        }
        ConfDirective before = firsts(into).get(d.name());
        if (before != null) {
          warn(d.location() + ": duplicate directive '" + d.name() + "' ignored, the first one at "
              + before.location() + " applies");
        } else if (value != null) {
          firsts(into).put(d.name(), d);
          into.put(d.name(), value);
        }
      } else if (spec instanceof Block sub) {
        if (!d.isBlock()) {
          throw error(d, path + ": expects a block { ... }");
        }
        JsonObject obj = into.getJsonObject(d.name());
        if (obj == null) {
          obj = new JsonObject();
          into.put(d.name(), obj);
        }
        for (ConfDirective c : d.children()) {
          apply(sub, c, obj, path + "." + c.name());
        }
      } else if (spec instanceof Any) {
        addRepeatable(into, d.name(), generic(d));
      } else if (spec instanceof Schema.Repeated repeated) {
        if (d.isBlock()) {
          throw error(d, path + ": expects a value, not a block");
        }
        try {
          addRepeatable(into, d.name(), repeated.type().read(d.args()));
        } catch (Invalid e) {
          throw error(d, path + ": " + e.getMessage());
        }
      }
    }

    private Object generic(ConfDirective d) {
      if (!d.isBlock()) {
        return Schema.generic(d.args());
      }
      JsonObject obj = new JsonObject();
      if (!d.args().isEmpty()) {
        obj.put(ARGS, new JsonArray(List.copyOf(d.args())));
      }
      for (ConfDirective c : d.children()) {
        addRepeatable(obj, c.name(), generic(c));
      }
      return obj;
    }

    /** The first value is stored as is; a repeat turns the key into an array of every value. */
    private void addRepeatable(JsonObject into, String key, Object value) {
      if (value == null) {
        return;
      }
      if (!into.containsKey(key)) {
        into.put(key, value);
        return;
      }
      Set<String> arrays = repeated.computeIfAbsent(into, k -> new HashSet<>());
      if (arrays.add(key)) {
        into.put(key, new JsonArray().add(into.getValue(key)).add(value));
      } else {
        into.getJsonArray(key).add(value);
      }
    }

    private Map<String, ConfDirective> firsts(JsonObject obj) {
      return first.computeIfAbsent(obj, k -> new HashMap<>());
    }

    private List<ConfDirective> upgradeGlobal(List<ConfDirective> in) {
      List<ConfDirective> out = new ArrayList<>();
      for (ConfDirective d : in) {
        if (d.name().equals("http_stream")) {
          out.add(renamed(d, "http_server"));
        } else if (d.name().equals("rtmp") && d.isBlock()) {
          // SRS 7 moved listen and chunk_size into rtmp { }; Estuary keeps them global.
          out.addAll(d.children());
        } else {
          out.add(d);
        }
      }
      return out;
    }

    private List<ConfDirective> upgradeVhost(String vhost, List<ConfDirective> in) {
      List<ConfDirective> out = new ArrayList<>();
      for (ConfDirective d : in) {
        String n = d.name();
        ConfDirective up;
        if (n.equals("http") && d.isBlock()) {
          up = renamed(d, "http_static");
        } else if (PLAY_SHADOWS.contains(n) && !d.isBlock()) {
          up = wrapped("play", d);
        } else if (n.equals("publish_1stpkt_timeout") && !d.isBlock()) {
          up = wrapped("publish", renamed(d, "firstpkt_timeout"));
        } else if (n.equals("publish_normal_timeout") && !d.isBlock()) {
          up = wrapped("publish", renamed(d, "normal_timeout"));
        } else if (n.equals("mr") && d.isBlock()) {
          up = moved(d, "publish", Map.of("enabled", "mr", "latency", "mr_latency"));
        } else if (n.equals("nack") && d.isBlock()) {
          up = moved(d, "rtc", Map.of("enabled", "nack", "no_copy", "nack_no_copy"));
        } else if (n.equals("twcc") && d.isBlock()) {
          up = moved(d, "rtc", Map.of("enabled", "twcc"));
        } else if (CLUSTER_SHADOWS.contains(n) && !d.isBlock()) {
          up = wrapped("cluster", d);
        } else if ((n.equals("refer") || n.equals("refer_play") || n.equals("refer_publish")) && !d.isBlock()) {
          String key = n.equals("refer") ? "all" : n.substring("refer_".length());
          up = ConfDirective.block("refer", List.of(), List.of(enabledOn(d),
              ConfDirective.leaf(key, d.args(), d.file(), d.line())), d.file(), d.line());
        } else if (n.equals("forward") && !d.isBlock() && !d.args().isEmpty()) {
          up = ConfDirective.block("forward", List.of(), List.of(enabledOn(d),
              ConfDirective.leaf("destination", d.args(), d.file(), d.line())), d.file(), d.line());
        } else {
          out.add(d);
          continue;
        }
        LOG.info(() -> d.location() + ": vhost " + vhost + ": '" + n + "' is an SRS 1/2 spelling, read as "
            + (up.children().isEmpty() ? up.name() : String.join(", ", up.children().stream()
                .map(c -> up.name() + "." + c.name()).toList())));
        out.add(up);
      }
      return out;
    }

    private static ConfDirective enabledOn(ConfDirective at) {
      return ConfDirective.leaf("enabled", List.of("on"), at.file(), at.line());
    }

    private static ConfDirective renamed(ConfDirective d, String name) {
      return new ConfDirective(name, d.args(), d.children(), d.isBlock(), d.file(), d.line());
    }

    private static ConfDirective wrapped(String block, ConfDirective d) {
      return ConfDirective.block(block, List.of(), List.of(d), d.file(), d.line());
    }

    /** A block whose children move, renamed, into {@code block}; unmapped children are dropped. */
    private static ConfDirective moved(ConfDirective d, String block, Map<String, String> names) {
      List<ConfDirective> kids = new ArrayList<>();
      for (ConfDirective c : d.children()) {
        String to = names.get(c.name());
        if (to != null) {
          kids.add(renamed(c, to));
        }
      }
      return ConfDirective.block(block, List.of(), kids, d.file(), d.line());
    }

    private void warn(String line) {
      warnings.add(line);
      LOG.warning(line);
    }

    private static ConfException error(ConfDirective d, String reason) {
      return new ConfException(d.file(), d.line(), reason);
    }
  }
}
