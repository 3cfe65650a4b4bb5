package io.estuary.process;

import io.estuary.access.Client;
import io.estuary.config.ExecOptions;
import io.estuary.config.FfmpegEngine;
import io.estuary.config.IngestOptions;
import io.estuary.config.TranscodeOptions;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.access.ClientId;
import io.estuary.stream.Source;
import io.estuary.stream.SourceListener;
import io.estuary.stream.StreamKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The node's child processes, as SRS runs them: ingests with the configuration (started, and on reload started,
 * stopped or restarted when their block changed), transcodes and execs with each publish of their vhost (stopped when
 * it ends). A transcode's own output is not transcoded again (SRS's loop check): a publish of a stream some running
 * transcode writes to is left alone. Edge vhosts and derived streams run nothing, as SRS's origin hub.
 */
public final class Processes implements SourceListener {

  private static final Logger LOG = Logger.getLogger("io.estuary.process");

  private final Vertx vertx;
  private final Context context;
  private final Supplier<Vhosts> vhosts;
  private final Function<String, Client> clients;
  private final int port;
  // State accessed exclusively from the context's thread; the maps are concurrent so the API may read them.
  /** Ingests by vhost/ingest/engine, with the command they run. */
  private final Map<String, ChildProcess> ingests = new ConcurrentHashMap<>();
  /** Transcodes and execs of each published stream. */
  private final Map<StreamKey, List<ChildProcess>> perStream = new ConcurrentHashMap<>();
  /** The streams running transcodes write to, and how many write each. */
  private final Map<StreamKey, Integer> transcodeOutputs = new HashMap<>();
  /** The output each transcode writes to. */
  private final Map<ChildProcess, StreamKey> outputOf = new HashMap<>();
  private boolean closed;

  /**
   * Runs its bookkeeping on the calling Vert.x context. {@code port} is the node's first RTMP port (SRS's {@code [port]},
   * where the children publish and read); {@code clients} finds a publisher by id (its tcUrl for exec).
   */
  public Processes(Vertx vertx, Supplier<Vhosts> vhosts, Function<String, Client> clients, int port) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.vhosts = vhosts;
    this.clients = clients;
    this.port = port;
  }

  /** Every child, ingests first. */
  public List<ChildProcess> all() {
    List<ChildProcess> all = new ArrayList<>(ingests.values());
    perStream.values().forEach(all::addAll);
    return all;
  }

  /** The children of {@code key}: its transcodes and execs, and the ingests that publish it. */
  public List<ChildProcess> of(StreamKey key) {
    List<ChildProcess> list = new ArrayList<>();
    Vhosts v = vhosts.get();
    for (ChildProcess ingest : ingests.values()) {
      if (key.equals(RtmpUrls.key(ingest.argv().get(ingest.argv().size() - 1), v))) {
        list.add(ingest);
      }
    }
    list.addAll(perStream.getOrDefault(key, List.of()));
    return list;
  }

  /** The API's view of {@code key}'s children. */
  public List<JsonObject> describe(StreamKey key) {
    return of(key).stream().map(ChildProcess::toJson).toList();
  }

  // ---- ingest

  /**
   * Brings the ingests in line with the configuration in force: starts the new ones, stops those gone or off, and
   * restarts those whose command changed. Called at start and after each reload.
   */
  public void applyIngests() {
    context.runOnContext(v -> reconcileIngests());
  }

  private void reconcileIngests() {
    if (closed) {
      return;
    }
    Map<String, Command> wanted = new LinkedHashMap<>();
    Map<String, String> names = new HashMap<>();
    ZonedDateTime now = ZonedDateTime.now();
    for (VhostConfig vhost : vhosts.get().all()) {
      if (!vhost.enabled()) {
        continue;
      }
      for (IngestOptions ingest : vhost.ingests()) {
        if (!ingest.enabled()) {
          continue;
        }
        List<FfmpegEngine> engines = ingest.effectiveEngines();
        for (int i = 0; i < engines.size(); i++) {
          FfmpegEngine engine = engines.get(i);
          String output = Template.apply(engine.output(), Map.of("vhost", vhost.name(), "port", Integer.toString(port),
              "engine", engine.name()), now);
          List<String> iparams = ingest.inputType() == IngestOptions.InputType.FILE ? List.of("-re") : List.of();
          String id = vhost.name() + "/" + ingest.name() + "/" + (engine.name().isEmpty() ? i : engine.name());
          wanted.put(id, new Command(FfmpegCommand.argv(FfmpegCommand.binary(ingest.ffmpeg()), iparams,
              ingest.inputUrl(), engine, output), null, null));
          names.put(id, engines.size() == 1 ? ingest.name() : ingest.name() + " " + id.substring(id.lastIndexOf('/') + 1));
        }
      }
    }
    for (Map.Entry<String, ChildProcess> running : List.copyOf(ingests.entrySet())) {
      Command next = wanted.get(running.getKey());
      if (next == null || !next.equals(running.getValue().command())) {
        LOG.info("ingest " + running.getKey() + (next == null ? ": removed from the configuration, stopping"
            : ": changed, restarting"));
        ingests.remove(running.getKey());
        running.getValue().stop();
      }
    }
    wanted.forEach((id, command) -> {
      if (!ingests.containsKey(id)) {
        ChildProcess child = new ChildProcess(vertx, context, "ingest", names.get(id), ClientId.next(), command);
        ingests.put(id, child);
        child.start();
      }
    });
  }

  // ---- transcode and exec

  @Override
  public void published(Source source, Executor loop) {
    if (source.isDerived()) {
      return;
    }
    StreamKey key = source.key();
    String clientId = source.publisherId();
    Client client = clientId == null ? null : clients.apply(clientId);
    JsonObject who = client == null ? new JsonObject() : client.toApi(null, null);
    context.runOnContext(v -> startFor(key, clientId == null ? ClientId.next() : clientId, who));
  }

  @Override
  public void unpublished(Source source) {
    if (source.isDerived()) {
      return;
    }
    StreamKey key = source.key();
    context.runOnContext(v -> stopFor(key));
  }

  private void startFor(StreamKey key, String clientId, JsonObject who) {
    if (closed) {
      return;
    }
    stopFor(key); // a publish that came back before its unpublish notice: its old children go
    VhostConfig vhost = vhosts.get().resolve(key.vhost());
    if (vhost == null || vhost.cluster().edge()) {
      return;
    }
    ZonedDateTime now = ZonedDateTime.now();
    List<ChildProcess> children = new ArrayList<>();
    String input = "rtmp://127.0.0.1:" + port + "/" + key.app() + "?vhost=" + key.vhost() + "/" + key.stream();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("vhost", key.vhost());
    vars.put("port", Integer.toString(port));
    vars.put("app", key.app());
    vars.put("stream", key.stream());
    vars.put("tcUrl", who.getString("tcUrl", ""));
    vars.put("swfUrl", who.getString("swfUrl", ""));
    vars.put("pageUrl", who.getString("pageUrl", ""));
    vars.put("url", input);
    if (transcodeOutputs.containsKey(key)) {
      LOG.info("[" + clientId + "] " + key + " is a transcode's output: not transcoded again");
    } else {
      List<TranscodeOptions> scopes = vhost.transcodes().stream().filter(t -> t.covers(key.app(), key.stream()))
          .sorted(Comparator.comparingInt(t -> t.scope().isEmpty() ? 0 : t.scope().contains("/") ? 2 : 1)).toList();
      for (TranscodeOptions transcode : scopes) {
        for (FfmpegEngine engine : transcode.activeEngines()) {
          Map<String, String> engineVars = new LinkedHashMap<>(vars);
          engineVars.put("engine", engine.name());
          String output = Template.apply(engine.output(), engineVars, now);
          Command command = new Command(FfmpegCommand.argv(FfmpegCommand.binary(transcode.ffmpeg()), List.of(), input,
              engine, output), null, null);
          ChildProcess child = new ChildProcess(vertx, context, "transcode", key + " " + engine.name(), clientId, command);
          StreamKey out = RtmpUrls.key(output, vhosts.get());
          if (out != null) {
            transcodeOutputs.merge(out, 1, Integer::sum);
            outputOf.put(child, out);
          }
          children.add(child);
        }
      }
    }
    ExecOptions exec = vhost.exec();
    int n = 0;
    for (List<String> words : exec.activePublish()) {
      List<String> argv = new ArrayList<>();
      for (String w : words) {
        argv.add(Template.apply(w, vars, now));
      }
      Command command = Command.parse(argv);
      List<String> resolved = new ArrayList<>(command.argv());
      resolved.set(0, FfmpegCommand.binary(resolved.get(0)));
      children.add(new ChildProcess(vertx, context, "exec", key + " #" + n++, clientId,
          new Command(resolved, command.stdout(), command.stderr())));
    }
    if (!children.isEmpty()) {
      perStream.put(key, List.copyOf(children));
      children.forEach(ChildProcess::start);
    }
  }

  private Future<Void> stopFor(StreamKey key) {
    List<ChildProcess> children = perStream.remove(key);
    if (children == null) {
      return Future.succeededFuture();
    }
    List<Future<Void>> stops = new ArrayList<>();
    for (ChildProcess child : children) {
      StreamKey out = outputOf.remove(child);
      if (out != null) {
        transcodeOutputs.computeIfPresent(out, (k, count) -> count > 1 ? count - 1 : null);
      }
      stops.add(child.stop());
    }
    return Future.join(stops).mapEmpty();
  }

  /** Stops every child (the node is stopping); completes when they are all gone. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      List<Future<Void>> stops = new ArrayList<>();
      for (StreamKey key : List.copyOf(perStream.keySet())) {
        stops.add(stopFor(key));
      }
      Collection<ChildProcess> all = List.copyOf(ingests.values());
      ingests.clear();
      for (ChildProcess ingest : all) {
        stops.add(ingest.stop());
      }
      Future.join(stops).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }
}
