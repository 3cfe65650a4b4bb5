package io.estuary.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One supervised child: started, restarted after it exits (SRS retries every 3 s; here the wait doubles after each
 * quick failure, up to {@link #MAX_DELAY_MS}, and starts again from {@link #FIRST_DELAY_MS} after a clean exit or a
 * long run), stopped on request (SIGTERM, then SIGKILL after {@link #STOP_GRACE_MS}). Java reaps every child it
 * started, so none is left a zombie; a JVM shutdown hook kills the children still running when the JVM exits.
 */
public final class ChildProcess {

  static final long FIRST_DELAY_MS = 3000;
  static final long MAX_DELAY_MS = 30_000;
  /** A run at least this long counts as healthy: the next restart waits {@link #FIRST_DELAY_MS} again. */
  static final long STABLE_MS = 30_000;
  static final long STOP_GRACE_MS = 5000;

  private static final Logger LOG = Logger.getLogger("io.estuary.process");
  private static final File NULL_FILE = new File("/dev/null");
  /** Every child running now, in any node of this JVM: what the shutdown hook kills. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  /** Set by the shutdown hook: a restart timer that fires after it starts nothing. */
  private static volatile boolean exiting;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::killAll, "estuary-children-shutdown"));
  }

  private final Vertx vertx;
  private final Context context;
  private final String kind;
  private final String name;
  private final String clientId;
  private final Command command;
  private final String prefix;
  private final Promise<Void> stopped = Promise.promise();
  // State accessed exclusively from the context's thread.
  private Process process;
  private boolean starting;
  private boolean stopping;
  private long startedAt;
  private long timer = -1;
  private long delay = FIRST_DELAY_MS;
  private volatile long pid = -1;
  private volatile int starts;

  /**
   * {@code kind} ("ingest", "transcode", "exec") and {@code name} say what it is in logs and the API; {@code clientId}
   * is the stream's (its publisher's, or the ingest's own) client id. Runs its supervision on {@code context}.
   */
  ChildProcess(Vertx vertx, Context context, String kind, String name, String clientId, Command command) {
    this.vertx = vertx;
    this.context = context;
    this.kind = kind;
    this.name = name;
    this.clientId = clientId;
    this.command = command;
    this.prefix = "[" + clientId + "] " + kind + " " + name + ": ";
  }

  /** The running child's pid, or -1 between runs. */
  public long pid() {
    return pid;
  }

  /** How many times it was started. */
  public int starts() {
    return starts;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public String clientId() {
    return clientId;
  }

  public List<String> argv() {
    return command.argv();
  }

  Command command() {
    return command;
  }

  /** What the API shows of it. */
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind).put("name", name).put("cid", clientId).put("pid", pid)
        .put("starts", starts).put("command", command.line());
  }

  /** Starts it, and keeps it running until {@link #stop()}. */
  void start() {
    context.runOnContext(v -> launch());
  }

  /** Stops it for good; completes when no child of it runs any more. From any thread. */
  Future<Void> stop() {
    context.runOnContext(v -> halt());
    return stopped.future();
  }

  private void launch() {
    if (stopping || starting || process != null || exiting) {
      return;
    }
    starting = true;
    ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectInput(NULL_FILE)
        .redirectOutput(command.stdout() == null ? ProcessBuilder.Redirect.DISCARD
            : ProcessBuilder.Redirect.appendTo(command.stdout().toFile()));
    if (command.stderr() != null) {
      builder.redirectError(ProcessBuilder.Redirect.appendTo(command.stderr().toFile()));
    }
    // fork and exec may block for a while: not on the event loop
    vertx.executeBlocking(builder::start, false).onComplete(started -> context.runOnContext(v -> {
      starting = false;
      if (started.succeeded()) {
        running(started.result());
      } else {
        LOG.warning(prefix + "cannot start " + command.line() + ": " + started.cause().getMessage());
        if (stopping) {
          stopped.tryComplete();
        } else {
          restartLater(false);
        }
      }
    }));
  }

  private void running(Process p) {
    LIVE.add(p);
    if (exiting) { // the JVM began exiting while this child was being started
      p.destroyForcibly();
      return;
    }
    p.onExit().thenRun(() -> context.runOnContext(v -> exited(p)));
    if (stopping) { // stopped while it was starting
      terminate(p);
      return;
    }
    process = p;
    pid = p.pid();
    starts++;
    startedAt = System.nanoTime();
    LOG.info(prefix + "started pid " + p.pid() + ": " + command.line());
    if (command.stderr() == null) {
      StderrLog stderr = new StderrLog(LOG, prefix);
      Thread reader = new Thread(() -> stderr.pump(p.getErrorStream()), "estuary-" + kind + "-stderr-" + p.pid());
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void exited(Process p) {
    LIVE.remove(p);
    if (p != process) { // a child started while stopping, now gone
      if (stopping && process == null) {
        stopped.tryComplete();
      }
      return;
    }
    process = null;
    pid = -1;
    long ranMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    int code = p.exitValue();
    if (stopping) {
      LOG.info(prefix + "pid " + p.pid() + " stopped (exit code " + code + ")");
      stopped.tryComplete();
      return;
    }
    LOG.warning(prefix + "pid " + p.pid() + " exited with code " + code + " after " + ranMs / 1000 + " s");
    restartLater(code == 0 || ranMs >= STABLE_MS);
  }

  /** Waits, then starts again; {@code healthy} resets the back-off. */
  private void restartLater(boolean healthy) {
    if (healthy) {
      delay = FIRST_DELAY_MS;
    }
    long wait = delay;
    delay = Math.min(delay * 2, MAX_DELAY_MS);
    LOG.info(prefix + "restarting in " + wait / 1000 + " s");
    timer = vertx.setTimer(wait, id -> {
      timer = -1;
      launch();
    });
  }

  private void halt() {
    if (stopping) {
      return;
    }
    stopping = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (process != null) {
      terminate(process);
    } else if (!starting) {
      stopped.tryComplete();
    }
  }

  /** SIGTERM (ffmpeg then finishes its output), then SIGKILL if it lingers; the same for what it started. */
  private void terminate(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    vertx.setTimer(STOP_GRACE_MS, id -> {
      if (p.isAlive()) {
        LOG.warning(prefix + "pid " + p.pid() + " ignored SIGTERM for " + STOP_GRACE_MS / 1000 + " s: killing it");
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    });
  }

  /** The JVM is exiting: every child gets SIGTERM, and SIGKILL if it is still there a moment later. */
  static void killAll() {
    exiting = true;
    for (Process p : LIVE) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (Process p : LIVE) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
