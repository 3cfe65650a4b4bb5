package io.estuary.hls;

import io.estuary.config.HlsOptions;
import io.estuary.config.VhostConfig;
import io.estuary.config.Vhosts;
import io.estuary.log.RateLimitedLog;
import io.estuary.stream.Consumer;
import io.estuary.stream.PlayOptions;
import io.estuary.stream.Source;
import io.estuary.stream.SourceListener;
import io.estuary.stream.StreamHub;
import io.estuary.stream.StreamKey;
import io.estuary.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystem;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * HLS for every stream of a vhost with {@code hls { enabled on; }}: a segmenter per publish, the playlists and
 * segments kept in memory for the HTTP server and written under {@code hls_path} as SRS writes them (so an nginx in
 * front can serve them too), old segments removed past {@code hls_window}, everything removed {@code hls_dispose}
 * seconds after the publisher left.
 */
public final class Hls implements SourceListener {

  static final Logger LOG = Logger.getLogger("io.estuary.hls");
  /** A full or read-only disk fails every segment of every stream. */
  private static final RateLimitedLog WRITE_FAILED = new RateLimitedLog(LOG, Level.WARNING, "hls: files not written", 5);
  /** One publish of one stream, and where its files go. */
  static final class Publish {
    final StreamKey key;
    final HlsOptions options;
    final HlsStream stream;
    final int number;
    final Executor loop;
    Subscription subscription; // set once, before the source can call the segmenter

    Publish(StreamKey key, HlsOptions options, HlsStream stream, int number, Executor loop) {
      this.key = key;
      this.options = options;
      this.stream = stream;
      this.number = number;
      this.loop = loop;
    }
  }

  private final Vertx vertx;
  private final StreamHub hub;
  private final Supplier<Vhosts> vhosts;
  private final Map<StreamKey, HlsStream> streams = new ConcurrentHashMap<>();
  /** Playlists and segments by their path under hls_path ("live/s.m3u8", "live/s-3.ts"), for the HTTP server. */
  private final Map<String, Buffer> files = new ConcurrentHashMap<>();
  /** Publishes whose segmenter has not yet seen the end (and written the last segment). */
  private final AtomicInteger segmenting = new AtomicInteger();

  /** {@code vhosts}: the configuration in force, where each publish finds its vhost's {@code hls} options. */
  public Hls(Vertx vertx, StreamHub hub, Supplier<Vhosts> vhosts) {
    this.vertx = vertx;
    this.hub = hub;
    this.vhosts = vhosts;
  }

  /** A playlist or segment of a live (or recently ended) stream, by its path under hls_path; null if none. */
  public Buffer file(String path) {
    return files.get(path.startsWith("/") ? path.substring(1) : path);
  }

  @Override
  public void published(Source source, Executor loop) {
    VhostConfig vhost = vhosts.get().resolve(source.key().vhost());
    HlsOptions options = vhost == null ? null : vhost.hls();
    StreamKey key = source.key();
    if (options == null || !options.enabled()) {
      HlsStream old = streams.get(key);
      if (old != null) {
        old.tracks = null; // HLS was turned off since that stream's last publish
      }
      return;
    }
    HlsStream stream = streams.computeIfAbsent(key, k -> new HlsStream(resolve(options.m3u8File(), k, -1)));
    int number = stream.published(); // from now on, an older publish's dispose timer leaves this stream alone
    Publish publish = new Publish(key, options, stream, number, loop);
    segmenting.incrementAndGet();
    // Closed when the segmenter has seen the end of this publish.
    publish.subscription = hub.follow(key, // goes along with the publish: it does not keep an edge's upstream
        new Consumer(loop, new HlsSegmenter(this, publish, options), PlayOptions.unbuffered()));
  }

  /** A segment is complete: publish it in memory, then write it and the playlist to disk, in order. */
  void segmentReady(Publish publish, ByteBuf data, double duration) {
    HlsStream stream = publish.stream;
    long sequence = stream.nextSequence();
    String file = resolve(publish.options.tsFile(), publish.key, sequence);
    String uri = publish.options.entryPrefix() + relative(stream.m3u8File, file);
    Buffer bytes = Buffer.buffer(ByteBufUtil.getBytes(data)); // exactly the segment, once per stream
    files.put(file, bytes);
    HlsStream.Update update = stream.add(new HlsStream.Segment(sequence, file, uri, duration, false, bytes),
        publish.options.window());
    Buffer playlist = Buffer.buffer(update.playlist());
    files.put(stream.m3u8File, playlist);
    for (HlsStream.Segment old : update.dropped()) {
      files.remove(old.file());
    }
    FileSystem fs = vertx.fileSystem();
    String root = publish.options.path();
    synchronized (stream) {
      stream.disk = stream.disk.eventually(() -> write(fs, root, file, bytes))
          .eventually(() -> write(fs, root, stream.m3u8File, playlist))
          .eventually(() -> publish.options.cleanup() ? delete(fs, root, update.dropped()) : Future.succeededFuture());
    }
  }

  /** The publish ended: the last segment is in; release the source, and dispose of the files later. */
  void ended(Publish publish) {
    publish.subscription.close();
    segmenting.decrementAndGet();
    long delay = (long) (publish.options.dispose() * 1000);
    if (delay <= 0) {
      return;
    }
    Runnable dispose = () -> dispose(publish);
    if (publish.loop instanceof ScheduledExecutorService scheduler) {
      scheduler.schedule(dispose, delay, TimeUnit.MILLISECONDS);
    } else {
      vertx.setTimer(delay, id -> dispose.run());
    }
  }

  /**
   * Whether every publish has ended and its files are on disk: the last segment written and listed in the playlist (a
   * quitting node waits for this). The playlist gets no {@code #EXT-X-ENDLIST}, as SRS's: a publisher may come back
   * within hls_dispose and the same playlist goes on.
   */
  public boolean idle() {
    if (segmenting.get() > 0) {
      return false;
    }
    for (HlsStream stream : streams.values()) {
      synchronized (stream) {
        if (!stream.disk.isComplete()) {
          return false;
        }
      }
    }
    return true;
  }

  /** hls_dispose: nobody published since; remove the stream's files from memory and disk. */
  private void dispose(Publish publish) {
    HlsStream stream = publish.stream;
    List<HlsStream.Segment> all;
    synchronized (stream) { // against published() of a new publish on another loop
      if (!stream.isLatest(publish.number)) {
        return;
      }
      all = stream.clear(); // the (small) stream state stays, so sequence numbers never repeat
    }
    files.remove(stream.m3u8File);
    all.forEach(s -> files.remove(s.file()));
    FileSystem fs = vertx.fileSystem();
    String root = publish.options.path();
    synchronized (stream) {
      stream.disk = stream.disk.eventually(() -> delete(fs, root, all))
          .eventually(() -> fs.delete(Path.of(root, stream.m3u8File).toString()).recover(e -> Future.succeededFuture()));
    }
    LOG.info("hls: disposed " + publish.key + " (" + all.size() + " segments)");
  }

  /** A track of {@code publish} whose codec MPEG-TS cannot carry: said once, when first seen. */
  void skipped(Publish publish, String track, String codec) {
    LOG.warning("hls: " + publish.key + ": " + track + " codec " + codec + " cannot go in MPEG-TS: HLS skips the "
        + track + " track");
  }

  /**
   * What the HLS of the stream's current (or last) publish carries and skips, for the API; null when HLS is not
   * enabled for it.
   */
  public HlsTracks tracks(StreamKey key) {
    HlsStream stream = streams.get(key);
    return stream == null ? null : stream.tracks;
  }

  private static Future<Void> write(FileSystem fs, String root, String file, Buffer bytes) {
    Path target = Path.of(root, file);
    Path temp = Path.of(root, file + ".tmp");
    // Write beside, then rename: an nginx in front never serves half a file.
    return fs.mkdirs(target.getParent().toString()).recover(e -> Future.succeededFuture())
        .compose(v -> fs.writeFile(temp.toString(), bytes))
        .compose(v -> fs.move(temp.toString(), target.toString(), new io.vertx.core.file.CopyOptions().setReplaceExisting(true)))
        .onFailure(e -> WRITE_FAILED.log(() -> "hls: cannot write " + target + ": " + e.getMessage()));
  }

  private static Future<Void> delete(FileSystem fs, String root, List<HlsStream.Segment> segments) {
    Future<Void> all = Future.succeededFuture();
    for (HlsStream.Segment s : segments) {
      all = all.eventually(() -> fs.delete(Path.of(root, s.file()).toString()).recover(e -> Future.succeededFuture()));
    }
    return all;
  }

  /** SRS's path patterns: [vhost], [app], [stream], [seq]. */
  static String resolve(String pattern, StreamKey key, long sequence) {
    return pattern.replace("[vhost]", key.vhost()).replace("[app]", key.app()).replace("[stream]", key.stream())
        .replace("[seq]", String.valueOf(sequence));
  }

  /** {@code file}'s path relative to the directory of {@code m3u8}. */
  static String relative(String m3u8, String file) {
    Path dir = Path.of(m3u8).getParent();
    return (dir == null ? Path.of(file) : dir.relativize(Path.of(file))).toString().replace('\\', '/');
  }
}
