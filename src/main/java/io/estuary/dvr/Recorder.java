package io.estuary.dvr;

import io.estuary.config.DvrOptions;
import io.estuary.media.FlvTags;
import io.estuary.media.SkippedCodecs;
import io.estuary.stream.Consumer;
import io.estuary.stream.Jitter;
import io.estuary.stream.StreamKey;
import io.estuary.stream.StreamMessage;
import io.estuary.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.time.ZoneId;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Records one publish of a stream, as SRS's DVR does: files named by {@code dvr_path}, one per publish ({@code session})
 * or a new one every {@code dvr_duration} seconds ({@code segment}, cut at a video keyframe with
 * {@code dvr_wait_keyframe}). Each file starts with the stream's metadata and sequence headers, then a video keyframe
 * (an audio-only stream: its first frame), its timestamps corrected by the dvr block's {@code time_jitter} from the
 * file's start. It is a consumer of the source on the publisher's event loop; bytes go to the disk through a
 * {@link DiskFile}, never written here.
 *
 * <p>State accessed exclusively from the publisher's event loop, except the volatile fields the API reads.
 */
final class Recorder implements Consumer.Sink {

  private final Dvr dvr;
  final StreamKey key;
  final DvrOptions options;
  final Executor loop;
  private final Dvr.Recorded onDvr;
  private final SerialExecutor disk;
  private final LongSupplier clock;
  private final ZoneId zone;
  Subscription subscription; // set once, on the loop, before the source can call this sink

  private StreamMessage metadata;
  private StreamMessage videoHeader;
  private StreamMessage audioHeader;
  private final SkippedCodecs skipped = new SkippedCodecs();
  private Container container;
  private DiskFile file;
  private Jitter jitter;
  private ByteBuf pending;
  private long fileStart;
  private boolean ended;
  /** For the API: the file being written (its final name), and how many were finished. */
  volatile String currentFile;
  volatile int filesDone;

  Recorder(Dvr dvr, StreamKey key, DvrOptions options, Executor loop, Dvr.Recorded onDvr, SerialExecutor disk,
           LongSupplier clock, ZoneId zone) {
    this.dvr = dvr;
    this.key = key;
    this.options = options;
    this.loop = loop;
    this.onDvr = onDvr;
    this.disk = disk;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public boolean writable() {
    return true; // the disk queue takes everything; the loop never waits for it
  }

  @Override
  public void write(StreamMessage message, long timestamp) {
    try {
      if (!ended) {
        record(message, timestamp);
      }
    } catch (RuntimeException e) { // a container that fails as a whole: this recording ends, the stream goes on
      Dvr.LOG.warning("dvr: " + key + ": recording stops: " + e);
      stop();
    } finally {
      message.release();
    }
  }

  private void record(StreamMessage message, long timestamp) {
    if (message.isScript()) {
      metadata = replace(metadata, message);
      if (file != null && container.takesScripts()) {
        container.write(FlvTags.TAG_SCRIPT, 0, message.payload(), out());
      }
      return;
    }
    if (message.isSequenceHeader()) {
      if (message.isVideo()) {
        videoHeader = replace(videoHeader, message);
      } else {
        audioHeader = replace(audioHeader, message);
      }
      if (file != null) {
        append(message, timestamp);
      }
      return;
    }
    if (!message.isCodedFrames()) {
      return;
    }
    boolean keyframe = message.isVideo() && message.isKeyframe();
    if (file == null) {
      if (videoHeader != null && !keyframe) {
        return; // a file starts at a keyframe, so that it decodes from its first picture
      }
      open(timestamp);
    } else if (shouldCut(keyframe, timestamp)) {
      reap();
      open(timestamp);
    }
    append(message, timestamp);
  }

  private boolean shouldCut(boolean keyframe, long timestamp) {
    if (options.plan() != DvrOptions.Plan.SEGMENT || timestamp - fileStart < options.duration() * 1000) {
      return false;
    }
    return keyframe || !options.waitKeyframe() || videoHeader == null;
  }

  /** A new file: the metadata and sequence headers first, stamped with the time the file starts at. */
  private void open(long timestamp) {
    fileStart = timestamp;
    jitter = new Jitter(options.timeJitter());
    String path = DvrPath.resolve(options.path(), key, clock.getAsLong(), zone);
    boolean mp4 = options.container().equals("mp4");
    container = mp4 ? new Mp4Container(videoHeader != null, audioHeader != null)
        : new FlvContainer(videoHeader != null, audioHeader != null);
    file = new DiskFile(path, disk);
    currentFile = path;
    if (metadata != null && container.takesScripts()) {
      container.write(FlvTags.TAG_SCRIPT, 0, metadata.payload(), out());
    }
    if (videoHeader != null) {
      append(videoHeader, timestamp);
    }
    if (audioHeader != null) {
      append(audioHeader, timestamp);
    }
  }

  private void append(StreamMessage message, long timestamp) {
    int type = message.type();
    ByteBuf body = message.payload();
    String unsupported = container.unsupportedCodec(type, body);
    if (unsupported != null) {
      skip(message.isVideo(), unsupported);
      return;
    }
    try {
      container.write(type, jitter.correct(timestamp, true), body, out());
    } catch (IllegalArgumentException e) { // MediaFormatException: a malformed frame is left out, the file goes on
      dvr.malformed(this, e.getMessage());
    }
  }

  private void skip(boolean video, String codec) {
    if (!skipped.note(video, codec)) {
      return;
    }
    Dvr.LOG.warning("dvr: " + key + ": " + (video ? "video" : "audio") + " codec " + codec + " cannot go in "
        + options.container() + ": the recording skips that track");
  }

  private ByteBuf out() {
    if (pending == null) {
      pending = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
    }
    return pending;
  }

  @Override
  public void flush() {
    if (pending != null && pending.isReadable() && file != null) {
      boolean keepingUp = file.append(pending);
      pending = null;
      if (!keepingUp && !ended) {
        Dvr.LOG.warning("dvr: " + key + ": the disk is " + (DiskFile.MAX_QUEUED_BYTES >> 20)
            + " MiB behind the stream; the recording stops, " + file.path + " ends here");
        stop();
      }
    }
  }

  /** The current file ends: its last bytes, then closed and renamed, then on_dvr. */
  private void reap() {
    container.finish(out());
    flush();
    file.close(path -> {
      filesDone++;
      onDvr.file(path);
    });
    file = null;
    container = null;
    currentFile = null;
  }

  @Override
  public void streamEnded() {
    stop();
  }

  /** Stops recording (the publish ended, or a reload's dvr_apply no longer names the stream): on the loop. */
  void stop() {
    if (ended) {
      return;
    }
    ended = true;
    if (file != null) {
      reap();
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
    metadata = replace(metadata, null);
    videoHeader = replace(videoHeader, null);
    audioHeader = replace(audioHeader, null);
    dvr.ended(this);
  }

  boolean isRecording() {
    return !ended;
  }

  private static StreamMessage replace(StreamMessage old, StreamMessage next) {
    if (old != null) {
      old.release();
    }
    return next == null ? null : next.retain();
  }
}
