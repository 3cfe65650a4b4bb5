package io.estuary.stream;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One player of a source: its queue, its timestamp correction and SRS's merged-write rule, in front of a
 * protocol {@link Sink} (an RTMP or HTTP-FLV connection). Work per message is O(1) and allocates nothing:
 * the message is shared, the queue stores a reference and a timestamp.
 *
 * <p>State accessed exclusively from the consumer's event loop ({@link #loop()}).
 */
public final class Consumer {

  /** What a protocol connection provides to receive a stream. Called on the consumer's event loop. */
  public interface Sink {

    /** Whether the socket can take more bytes now; when false the consumer keeps messages queued. */
    boolean writable();

    /** Writes one message stamped {@code timestamp}; takes ownership of one reference to {@code message}. */
    void write(StreamMessage message, long timestamp);

    /** Flushes what {@link #write} wrote: one merged write. */
    void flush();

    /** The publisher left: tell the player the stream ended. */
    void streamEnded();

    /**
     * The player has taken nothing for longer than {@code queue_length} while messages waited ({@code reason} says
     * how long): its queue drops whole GOPs and stays bounded, but a player that stopped reading is disconnected, as
     * SRS's send timeout does. By default nothing more happens (a forward keeps dropping until its destination reads).
     */
    default void stuck(String reason) {
    }
  }

  private final Executor loop;
  private final Sink sink;
  private final PlayOptions options;
  private Jitter jitter;
  private final MessageQueue queue = new MessageQueue();
  private final long queueLengthMs;
  private final long sendMinIntervalNanos;
  private long lastSendNanos;
  /** Since when the sink took nothing while messages waited ({@code System.nanoTime()}); 0 while it keeps up. */
  private long blockedSince;
  private boolean stuck;
  private boolean closed;
  /** Goes along with a publish (HLS, forwarding) rather than asking for the stream: set once, before attaching. */
  private volatile boolean follower;
  /** The player's request parameters ({@code ?token=...}), or "": set once, before attaching. */
  private volatile String param = "";
  /** The player announced Enhanced RTMP multitrack: set once, before attaching. */
  private volatile boolean multitrack;

  public Consumer(Executor loop, Sink sink, PlayOptions options) {
    this.loop = loop;
    this.sink = sink;
    this.options = options;
    // atc: absolute time, the publisher's timestamps pass through untouched (SRS disables the jitter).
    this.jitter = new Jitter(options.atc() ? Jitter.Algorithm.OFF : options.timeJitter());
    this.sendMinIntervalNanos = (long) (options.sendMinInterval() * 1_000_000);
    this.queueLengthMs = (long) (options.queueLength() * 1000);
  }

  public Executor loop() {
    return loop;
  }

  /** Messages dropped because the player could not keep up. */
  public long dropped() {
    return queue.dropped();
  }

  /** Starts with what the source had cached (metadata, sequence headers, gop); releases {@code backlog}'s references. */
  void start(List<StreamMessage> backlog) {
    for (StreamMessage message : backlog) {
      enqueue(message);
      message.release();
    }
    drain(); // the first picture goes out at once, not after a merged-write wait
  }

  /**
   * A message from the source; retained here while queued. A multitrack message is queued as it is for a player that
   * announced multitrack, else as its default-track rendition (nothing when it has no track 0).
   */
  void enqueue(StreamMessage message) {
    if (closed) {
      return;
    }
    if (message.isMultitrack() && !multitrack) {
      message = message.defaultTrack();
      if (message == null) {
        return;
      }
    }
    if (options.atcAuto() && message.isScript() && message.absoluteTime()) {
      jitter = new Jitter(Jitter.Algorithm.OFF); // atc_auto: the metadata says bravo_atc
    }
    queue.push(message.retain(), jitter.correct(message.timestamp(), !message.isScript()));
    if (queueLengthMs > 0 && queue.duration() > queueLengthMs) {
      queue.shrink(queueLengthMs);
      if (blockedSince != 0 && !stuck) {
        checkStuck(System.nanoTime());
        if (closed) {
          return; // the sink closed its player
        }
      }
    }
    // SRS's merged write: wait until more than mw_msgs messages spanning at least mw_latency are queued.
    if (queue.size() > options.mwMsgs() && queue.duration() >= options.mwLatency() && intervalPassed()) {
      drain();
    }
  }

  /** Writes queued messages while the socket takes them; called again by the sink when it becomes writable. */
  public void drain() {
    write(false);
  }

  /** The publisher left: everything queued goes out, then the end of stream. */
  void end() {
    if (closed) {
      return;
    }
    write(true);
    if (!closed) {
      sink.streamEnded();
    }
  }

  /** SRS's send_min_interval: at most one send per interval (checked when messages arrive). */
  private boolean intervalPassed() {
    return sendMinIntervalNanos == 0 || System.nanoTime() - lastSendNanos >= sendMinIntervalNanos;
  }

  /** Writes queued messages, all of them or while the sink is writable, then flushes once. */
  private void write(boolean all) {
    boolean wrote = false;
    while (!closed && !queue.isEmpty() && (all || sink.writable())) {
      long timestamp = queue.peekTimestamp();
      sink.write(queue.poll(), timestamp);
      wrote = true;
    }
    if (wrote) {
      sink.flush();
      lastSendNanos = System.nanoTime();
    }
    if (wrote || queue.isEmpty()) {
      blockedSince = 0;
    } else if (blockedSince == 0) {
      blockedSince = System.nanoTime();
    }
  }

  /** A sink blocked longer than {@code queue_length} is told it is {@link Sink#stuck}, once; it may close this consumer. */
  private void checkStuck(long now) {
    long blockedMs = TimeUnit.NANOSECONDS.toMillis(now - blockedSince);
    if (blockedMs <= queueLengthMs) {
      return;
    }
    stuck = true;
    sink.stuck("took nothing for " + blockedMs + " ms, past queue_length " + options.queueLength() + " s ("
        + queue.dropped() + " messages dropped)");
  }

  /**
   * The player's request parameters ({@code ?token=...}, as its URL had them), set before it subscribes: the first
   * player's are what an edge pulls its upstream with ({@link Source#demandParam}), as SRS's edge does.
   */
  public Consumer param(String param) {
    this.param = param == null ? "" : param;
    return this;
  }

  public String param() {
    return param;
  }

  /**
   * Whether the player announced Enhanced RTMP multitrack (connect capsEx Multitrack), set before it subscribes: it gets
   * multitrack messages as they came. Every other consumer (the default) gets their default track as a plain FLV body.
   */
  public Consumer multitrack(boolean multitrack) {
    this.multitrack = multitrack;
    return this;
  }

  void follower(boolean follower) {
    this.follower = follower;
  }

  /** A consumer that goes along with each publish ({@link StreamHub#follow}), not a player. */
  public boolean isFollower() {
    return follower;
  }

  boolean isClosed() {
    return closed;
  }

  /** Safe from the sink's own write (a player kicked by it, a remuxer whose last player left): the loop stops. */
  void close() {
    closed = true;
    queue.clear();
  }
}
