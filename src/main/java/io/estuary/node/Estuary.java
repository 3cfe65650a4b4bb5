package io.estuary.node;

import io.estuary.admin.Exporter;
import io.estuary.bench.BenchCommand;
import io.estuary.cluster.ClusterOptions;
import io.estuary.cluster.HazelcastCluster;
import io.estuary.config.ConfException;
import io.estuary.config.NodeConfig;
import io.estuary.config.SrsConf;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import sun.misc.Signal;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code java -jar estuary.jar [-c conf/srs.conf] [--cluster] ...}: SRS's command line on top of the Vert.x
 * application launcher. {@code -c} (SRS's flag) names the configuration; {@code --cluster-name},
 * {@code --cluster-config} and {@code --cluster-host} make the Hazelcast cluster manager ({@link HazelcastCluster});
 * every other option goes to the launcher ({@code --cluster}, {@code --options}, ...). SIGTERM and SIGINT drain the
 * node ({@link NodeVerticle#quit}) and exit 0; SIGHUP reloads the configuration.
 */
public final class Estuary implements VertxApplicationHooks {

  public static final String VERSION = "0.1.0";

  /** Set in the environment of the process that {@code daemon on} starts in the background. */
  private static final String DAEMONIZED = "ESTUARY_DAEMONIZED";

  private final String confPath;
  /** {@code --cluster}: the cluster manager Vert.x starts with; else null. */
  private final HazelcastCluster cluster;
  private volatile Vertx vertx;
  /** Set by the first SIGTERM or SIGINT. */
  private final java.util.concurrent.atomic.AtomicBoolean quitting = new java.util.concurrent.atomic.AtomicBoolean();

  /** Vert.x metrics (JVM, Vert.x) cost a counter per read and write: on only when the exporter is. */
  private final boolean metrics;

  private Estuary(String confPath, boolean metrics, HazelcastCluster cluster) {
    this.confPath = confPath;
    this.metrics = metrics;
    this.cluster = cluster;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(options);
    return cluster == null ? builder : builder.withClusterManager(cluster.clusterManager());
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    if (metrics) {
      context.vertxOptions().setMetricsOptions(Exporter.metricsOptions());
    }
  }

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.manager") == null) { // before the first logger: see ShutdownLogManager
      System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
    }
    if (args.length > 0 && "bench".equals(args[0])) {
      System.exit(BenchCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    // Before anything fills the heap; a -XX flag the user gave wins.
    JvmDefaults.Outcome jvm = JvmDefaults.apply();
    String confPath = null;
    boolean clustered = false;
    ClusterOptions clusterOptions = ClusterOptions.DEFAULTS;
    List<String> launcherArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help", "-?" -> {
          usage(System.out);
          return;
        }
        case "-v", "-V", "--version" -> {
          System.out.println(VERSION);
          return;
        }
        case "-c", "--conf" -> {
          if (i + 1 >= args.length) {
            System.err.println("estuary: " + arg + " needs a file");
            System.exit(2);
          }
          confPath = args[++i];
        }
        case "--cluster" -> {
          clustered = true;
          launcherArgs.add(arg);
        }
        case "--cluster-name", "--cluster-config", "--cluster-host" -> {
          if (i + 1 >= args.length) {
            System.err.println("estuary: " + arg + " needs a value");
            System.exit(2);
          }
          clusterOptions = clusterOption(clusterOptions, arg, args[++i]);
          if ("--cluster-host".equals(arg)) {
            launcherArgs.add(arg); // the event bus listens there too: the launcher's own option
            launcherArgs.add(args[i]);
          }
        }
        default -> {
          int eq = arg.indexOf('=');
          String name = eq > 0 ? arg.substring(0, eq) : arg;
          if (name.equals("--cluster-name") || name.equals("--cluster-config") || name.equals("--cluster-host")) {
            clusterOptions = clusterOption(clusterOptions, name, arg.substring(eq + 1));
          }
          if (!name.equals("--cluster-name") && !name.equals("--cluster-config")) {
            launcherArgs.add(arg);
          }
        }
      }
    }
    if (!clustered && !clusterOptions.equals(ClusterOptions.DEFAULTS)) {
      System.err.println("estuary: --cluster-name, --cluster-config and --cluster-host need --cluster");
      System.exit(2);
    }
    boolean metrics = false;
    NodeConfig conf = null;
    if (confPath != null) {
      conf = readConf(confPath);
      if (conf.daemon() && System.getenv(DAEMONIZED) == null) {
        daemonize(args);
        return;
      }
      metrics = conf.listeners().exporter().enabled();
    }
    HazelcastCluster cluster = null;
    if (clustered) {
      try {
        cluster = HazelcastCluster.create(clusterOptions);
      } catch (IllegalArgumentException e) {
        System.err.println("estuary: " + e.getMessage());
        System.exit(2);
      }
    }
    Logging.configureDefaults();
    Logger.getLogger("io.estuary.node").info(jvm.describe());
    Estuary hooks = new Estuary(confPath, metrics, cluster);
    // The pid file a second signal removes (a reload does not move it).
    Path pid = Path.of(conf == null || conf.pid() == null ? NodeVerticle.DEFAULT_PID : conf.pid());
    onSignal("TERM", () -> hooks.quit("TERM", pid));
    onSignal("INT", () -> hooks.quit("INT", pid));
    onSignal("HUP", () -> hooks.reload());
    int code = new VertxApplication(launcherArgs.toArray(String[]::new), hooks).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Reads and types the file once before anything starts: a broken file stops here with file, line and reason, an
   * unusable value with the file and the directive.
   */
  private static NodeConfig readConf(String confPath) {
    try {
      return NodeConfig.from(SrsConf.load(Path.of(confPath), System.getenv()));
    } catch (ConfException e) {
      System.err.println("estuary: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      System.err.println("estuary: " + confPath + ": " + e.getMessage());
    }
    System.exit(2);
    return null;
  }

  /**
   * SRS's {@code daemon on}: start the same command again in the background, detached from this terminal, and
   * exit. The child knows it is the daemon from {@link #DAEMONIZED}.
   */
  private static void daemonize(String[] args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Estuary.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put(DAEMONIZED, "1");
    try {
      Process daemon = builder.start();
      System.out.println("estuary: running as a daemon, pid " + daemon.pid());
    } catch (IOException e) {
      System.err.println("estuary: cannot start the daemon: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(PrintStream out) {
    out.println("Estuary " + VERSION + " - live-streaming media node (RTMP), SRS-configuration compatible");
    out.println();
    out.println("Usage: java -jar estuary.jar [-c FILE] [--cluster] [launcher options]");
    out.println("       java -jar estuary.jar bench --help     (the load tool)");
    out.println();
    out.println("  -c, --conf FILE   SRS configuration file (.conf); without it, SRS's defaults (RTMP on 1935)");
    out.println("  --cluster         join a Hazelcast cluster: alone, the other Estuary nodes of this machine");
    out.println("                    (a config packed in the jar: TCP on 127.0.0.1, ports 5701-5720)");
    out.println("  --cluster-name NAME    the Hazelcast cluster name (separate clusters on one machine)");
    out.println("  --cluster-config FILE  a full Hazelcast config, XML or YAML (cluster/cluster.xml is a template);");
    out.println("                    -Dvertx.hazelcast.config=FILE works too");
    out.println("  --cluster-host HOST    the host other nodes and redirects use for this node (default: the host");
    out.println("                    of its cluster address)");
    out.println("  -v, --version     print the version and exit");
    out.println("  -h, --help        print this help and exit");
    out.println();
    out.println("Other options are the Vert.x application launcher's (e.g. --options for Vert.x options).");
    out.println("SIGTERM / SIGINT drain (listeners closed, clients gone within grace_final_wait, HLS and DVR files");
    out.println("finished, pid file removed) and exit 0; a second one exits at once. SIGHUP reloads the configuration.");
  }

  private static ClusterOptions clusterOption(ClusterOptions options, String name, String value) {
    return switch (name) {
      case "--cluster-name" -> options.withName(value);
      case "--cluster-config" -> options.withConfigFile(Path.of(value));
      default -> options.withHost(value);
    };
  }

  /**
   * SIGTERM or SIGINT: the node drains ({@link NodeVerticle#quit}), then the process exits 0 (the JVM's own answer
   * would be 128+signal), its shutdown hooks closing Vert.x. A second signal during the drain exits at once.
   */
  private void quit(String signal, Path pid) {
    if (quitting.getAndSet(true)) {
      Logger.getLogger("io.estuary.node").warning("SIG" + signal + " again: exiting now, without waiting for the drain");
      try {
        Files.deleteIfExists(pid);
      } catch (IOException e) {
        // exiting anyway
      }
      Runtime.getRuntime().halt(0);
    }
    Vertx running = vertx;
    if (running == null) {
      System.exit(0);
    }
    // Its own bound is grace_final_wait plus the callbacks' timeout; this one only guards against a stuck node.
    running.eventBus().request(NodeVerticle.QUIT_ADDRESS, signal, new DeliveryOptions().setSendTimeout(120_000))
        .onComplete(drained -> new Thread(() -> System.exit(0), "estuary-exit").start());
  }

  private static void onSignal(String name, Runnable action) {
    try {
      Signal.handle(new Signal(name), signal -> new Thread(action, "estuary-signal-" + name).start());
    } catch (IllegalArgumentException e) {
      // Signal not available on this platform: the JVM's default handling stays.
    }
  }

  /** SIGHUP: reload the configuration file, as SRS does. */
  private void reload() {
    Vertx running = vertx;
    if (running != null) {
      running.eventBus().request(NodeVerticle.RELOAD_ADDRESS, null);
    }
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    vertx = context.vertx();
    NativeHeapTrim.start(vertx);
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject parsed) {
    return withNodeDefaults(parsed);
  }

  /** The launcher's Vert.x options: what {@code --options} set, and the node's defaults for the rest. */
  static JsonObject withNodeDefaults(JsonObject parsed) {
    JsonObject vertxOptions = parsed == null ? new JsonObject() : parsed; // null without --options
    // One event loop per core, one listener instance per loop: SRS's model, on every core.
    if (!vertxOptions.containsKey("eventLoopPoolSize")) {
      vertxOptions.put("eventLoopPoolSize", Runtime.getRuntime().availableProcessors());
    }
    // Blocking work here is small and rare (the config file's scan every 2 s, pid file, HLS files): a few threads
    // each, not Vert.x's 20, which a pool grows to one scan at a time and keeps (about 3 MiB of stacks).
    int blocking = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    if (!vertxOptions.containsKey("workerPoolSize")) {
      vertxOptions.put("workerPoolSize", blocking);
    }
    if (!vertxOptions.containsKey("internalBlockingPoolSize")) {
      vertxOptions.put("internalBlockingPoolSize", blocking);
    }
    if (!vertxOptions.containsKey("preferNativeTransport")) {
      vertxOptions.put("preferNativeTransport", true);
    }
    return vertxOptions;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new NodeVerticle(cluster);
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    JsonObject c = config == null ? new JsonObject() : config;
    if (confPath != null) {
      c.put("confPath", confPath);
    }
    return c;
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    System.err.println("estuary: cannot start Vert.x: " + t);
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    System.err.println("estuary: cannot start: " + t.getMessage());
  }
}
