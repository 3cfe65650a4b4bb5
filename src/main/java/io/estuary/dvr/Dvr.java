package io.estuary.dvr;

import io.estuary.config.DvrOptions;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.SourceListener;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * SRS's DVR for every stream of a vhost with {@code dvr { enabled on; }} whose {@code dvr_apply} names it: a
 * {@link Recorder} follows each such publish on the publisher's event loop and hands the file's bytes to a small pool
 * of disk threads (one {@link SerialExecutor} per recording keeps each file's writes in order). Files are written as
 * {@code NAME.tmp} and renamed when closed; then {@code on_dvr}. Origins record; edges do not (as SRS, whose edge has
 * no origin hub).
 *
 * <p>Reload ({@link #reloaded()}): as SRS's {@code on_reload_vhost_dvr_apply}, a live stream that the new
 * {@code enabled}/{@code dvr_apply} names starts recording (from its gop cache's keyframe), and one it no longer names
 * stops (its file is closed and reported). Other dvr settings apply from the next publish.
 */
public final class Dvr implements SourceListener {

  static final Logger LOG = Logger.getLogger("io.estuary.dvr");
  /** Disk threads: idle ones end after a minute; there are never more than this many. */
  static final int DISK_THREADS = 4;

  /** Told of each recorded file once it is closed and renamed: SRS's on_dvr. Called on a disk thread. */
  public interface Recorded {
    void file(String path);
  }

  /** What the API shows of a stream's recording. {@code file} is the name the file will have once closed. */
  public record State(boolean recording, String plan, String container, String file, int files) {
  }

  private final StreamHub hub;
  private final Supplier<Vhosts> vhosts;
  private final Function<Source, Recorded> onDvr;
  private final ExecutorService pool;
  /** The pool, counting what it has still to run (on_dvr is told from there). */
  private final Executor disk;
  private final AtomicInteger diskTasks = new AtomicInteger();
  private final ZoneId zone = ZoneId.systemDefault();
  /** The recording of each stream, while it records. */
  private final Map<StreamKey, Recorder> recorders = new ConcurrentHashMap<>();
  /** The publisher's loop of each live stream, for a reload to start or stop its recording there. */
  private final Map<StreamKey, Executor> live = new ConcurrentHashMap<>();

  /**
   * {@code onDvr}: asked when a publish starts recording (on the publisher's loop, the publisher still known) for what
   * to tell of each of its files.
   */
  public Dvr(StreamHub hub, Supplier<Vhosts> vhosts, Function<Source, Recorded> onDvr) {
    this.hub = hub;
    this.vhosts = vhosts;
    this.onDvr = onDvr;
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(DISK_THREADS, DISK_THREADS, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> {
          Thread t = new Thread(task, "estuary-dvr-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.pool = pool;
    this.disk = task -> {
      diskTasks.incrementAndGet();
      try {
        pool.execute(() -> {
          try {
            task.run();
          } finally {
            diskTasks.decrementAndGet();
          }
        });
      } catch (RejectedExecutionException e) {
        diskTasks.decrementAndGet();
        throw e;
      }
    };
  }

  /**
   * Whether nothing is recorded and nothing is left to write: every file closed, renamed and told to on_dvr (a
   * quitting node waits for this).
   */
  public boolean idle() {
    return recorders.isEmpty() && diskTasks.get() == 0;
  }

  @Override
  public void published(Source source, Executor loop) {
    StreamKey key = source.key();
    live.put(key, loop);
    DvrOptions options = options(key);
    if (options != null && options.records(key)) {
      start(source, options, loop);
    }
  }

  @Override
  public void unpublished(Source source) {
    live.remove(source.key());
  }

  /** The dvr options that apply to {@code key}'s vhost, or null (no vhost, or an edge). */
  private DvrOptions options(StreamKey key) {
    VhostConfig vhost = vhosts.get().resolve(key.vhost());
    return vhost == null || vhost.cluster().edge() ? null : vhost.dvr();
  }

  /** On the publisher's loop: follows the publish from now on (or from the gop cache, after a reload). */
  private void start(Source source, DvrOptions options, Executor loop) {
    Recorder recorder = new Recorder(this, source.key(), options, loop, onDvr.apply(source),
        new SerialExecutor(disk), System::currentTimeMillis, zone);
    recorders.put(source.key(), recorder);
    // A follower goes along with the publish: it neither starts nor keeps an edge's upstream.
    recorder.subscription = hub.follow(source.key(), new Consumer(loop, recorder, PlayOptions.unbuffered()));
  }

  /** The recorder's publish ended, or it was stopped: on its loop. */
  void ended(Recorder recorder) {
    recorders.remove(recorder.key, recorder);
    recorder.subscription.close();
  }

  void malformed(Recorder recorder, String reason) {
    LOG.fine(() -> "dvr: " + recorder.key + ": frame left out: " + reason);
  }

  /**
   * The configuration was reloaded: live streams that {@code dvr_apply} now names start recording, and those it no
   * longer names stop.
   */
  public void reloaded() {
    live.forEach((key, loop) -> {
      DvrOptions options = options(key);
      boolean wanted = options != null && options.records(key);
      try {
        loop.execute(() -> {
          Source source = hub.get(key);
          // On the publisher's loop: the publish cannot end while this runs.
          boolean publishing = source != null && source.isPublishing() && live.get(key) == loop;
          Recorder running = recorders.get(key);
          if (wanted && running == null && publishing) {
            LOG.info("dvr: reload: dvr_apply names " + key + ": recording starts");
            start(source, options, loop);
          } else if (!wanted && running != null) {
            LOG.info("dvr: reload: dvr_apply no longer names " + key + ": recording stops");
            running.stop();
          }
        });
      } catch (RejectedExecutionException e) {
        // the loop is shutting down: so is the stream
      }
    });
  }

  /** The recording of {@code key}, for the API; null when it is not being recorded. */
  public State state(StreamKey key) {
    Recorder r = recorders.get(key);
    if (r == null) {
      return null;
    }
    return new State(r.isRecording(), r.options.plan().srsName(), r.options.container(), r.currentFile, r.filesDone);
  }
}
