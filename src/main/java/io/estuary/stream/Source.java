package io.estuary.stream;

import io.estuary.media.AudioInfo;
import io.estuary.media.AudioTagHeader;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.estuary.media.MediaFormatException;
import io.estuary.media.VideoInfo;
import io.estuary.media.VideoTagHeader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;

/**
 * One live stream: at most one publisher, any number of consumers on any event loops.
 *
 * <p>Threading: media state (meta cache, gop cache) is owned by the publisher's event loop, which also calls
 * {@link #publish}. Consumers live on their own loops and are reached through one {@link Relay} per loop.
 * Lifecycle changes (publish start/stop, relay set changes, user count) are rare and take this object's monitor;
 * the per-message path takes no lock: it reads the volatile relay array.
 */
public final class Source {

  private static final Relay[] NO_RELAYS = new Relay[0];
  private static final Logger LOG = Logger.getLogger("io.estuary.stream");

  private final StreamKey key;
  private final StreamHub hub;
  private final boolean derived;
  private final MetaCache meta = new MetaCache();
  private GopCache gop = new GopCache(false, 0);
  private PlayOptions play = PlayOptions.defaults(); // set by startPublish, read on the publisher's loop
  private final MixQueue mix = new MixQueue();
  private volatile Executor publisherLoop;
  private volatile Relay[] relays = NO_RELAYS;
  private int users;
  /** Players attached or attaching (followers not counted); guarded by this object's monitor. */
  private int demand;
  /** The parameters of the player that started the current demand ({@link #demandParam}); guarded by the monitor. */
  private String demandParam = "";
  private boolean dead;
  private final long createdAt = System.currentTimeMillis();
  // Statistics: written by the publisher's loop, read by the API from any thread.
  private final Kbps kbps = new Kbps();
  private volatile String publisherId;
  private volatile long publishedAt;
  private volatile long frames;
  private volatile long recvBytes;
  private volatile VideoInfo video;
  /** Every (type, track) a sequence header named, with its codec, in arrival order: replaced, never changed. */
  private volatile List<Track> tracks = List.of();
  private volatile AudioInfo audio;
  private boolean parseSps = true;
  // Publisher's loop only: whether the first coded audio frame was looked at, and a codec warning was logged.
  private boolean audioProbed;
  private boolean codecWarned;

  Source(StreamKey key, StreamHub hub, boolean derived) {
    this.key = key;
    this.hub = hub;
    this.derived = derived;
  }

  public StreamKey key() {
    return key;
  }

  /** Made by the node from another source (see {@link StreamHub}): not listed, not announced. */
  public boolean isDerived() {
    return derived;
  }

  public boolean isPublishing() {
    return publisherLoop != null;
  }

  public long createdAt() {
    return createdAt;
  }

  /** Players attached, on every loop. */
  public synchronized int consumerCount() {
    int n = 0;
    for (Relay relay : relays) {
      n += relay.members;
    }
    return n;
  }

  /**
   * Players asking for this stream, on every loop: consumers attached by {@link StreamHub#subscribe}, not followers
   * ({@link StreamHub#follow}). An edge pulls its upstream while this is positive.
   */
  public synchronized int demand() {
    return demand;
  }

  /**
   * The request parameters ({@code ?token=...}) of the player whose arrival started the current {@link #demand()}:
   * an edge pulls with them, so that an origin checking tokens lets the pull in (SRS's edge uses its first player's
   * request).
   */
  public synchronized String demandParam() {
    return demandParam;
  }

  // ---- publisher side, on the publisher's loop ----

  /**
   * Makes the caller the publisher, with its vhost's {@code play} settings and {@code parseSps} (whether the codec
   * facts the API shows are parsed); false when the stream is already published (SRS: StreamBusy). The hub's
   * listeners (HLS, ...) hear of it on the publisher's loop.
   */
  public boolean startPublish(Executor loop, PlayOptions play, boolean parseSps, String clientId) {
    synchronized (this) {
      if (publisherLoop != null) {
        return false;
      }
      this.play = play;
      this.parseSps = parseSps;
      publisherId = clientId;
      publishedAt = System.currentTimeMillis();
      video = null;
      audio = null;
      tracks = List.of();
      audioProbed = false;
      codecWarned = false;
      gop = new GopCache(play.gopCache(), play.gopCacheMaxFrames());
      publisherLoop = loop;
    }
    hub.published(this, loop);
    return true;
  }

  /** Caches and fans out one message; takes ownership of the caller's reference (released at once when nobody publishes). */
  public void publish(StreamMessage message) {
    if (publisherLoop == null) {
      // Late from a publisher that has stopped (a read already decoded when its session closed): caching it here
      // would keep it past stopPublish, which empties the caches once, and startPublish replaces them.
      message.release();
      return;
    }
    if (play.mixCorrect() && !message.isScript()) {
      mix.push(message);
      for (StreamMessage next = mix.pop(); next != null; next = mix.pop()) {
        fanOut(next);
      }
    } else {
      fanOut(message);
    }
  }

  private void fanOut(StreamMessage message) {
    try {
      if (play.reduceSequenceHeader() && meta.isRepeatedSequenceHeader(message)) {
        return; // players already have this very sequence header
      }
      boolean repeated = message.isSequenceHeader() && meta.isRepeatedSequenceHeader(message);
      meta.update(message);
      gop.cache(message);
      count(message, repeated);
      for (Relay relay : relays) {
        relay.dispatch(message);
      }
    } finally {
      message.release();
    }
  }

  private void count(StreamMessage message, boolean repeatedSequenceHeader) {
    recvBytes += message.payload().readableBytes(); // single writer: the publisher's loop
    if (message.isVideo() && message.isCodedFrames()) {
      frames++;
    }
    if (message.isSequenceHeader() && !repeatedSequenceHeader) {
      noteTracks(message);
    }
    StreamMessage described = message.defaultTrack(); // track 0, as a single-track body
    if (parseSps && !repeatedSequenceHeader && described != null) {
      if (message.isVideo()) {
        describeVideo(described);
      } else if (message.isAudio()) {
        describeAudio(described);
      }
    }
  }

  /**
   * The codec facts the API shows, from each new sequence header, and (when the header has no size, as VP9's) from the
   * first keyframe after it: once per header, never per frame. A header that cannot be read leaves the codec alone
   * known, and is logged once per publish.
   */
  private void describeVideo(StreamMessage message) {
    VideoInfo now = video;
    try {
      if (message.isSequenceHeader()) {
        video = VideoInfo.parse(message.payload());
      } else if (now != null && now.awaitsKeyframe() && message.isKeyframe()) {
        video = now.withKeyframe(message.payload());
      }
    } catch (MediaFormatException e) {
      video = message.isSequenceHeader() ? VideoInfo.codecOnly(message.codec()) : now.sizeUnknown();
      warnOnce(e);
    }
  }

  /** From each new sequence header; for codecs without one (MP3, AC-3), from the stream's first coded frame. */
  private void describeAudio(StreamMessage message) {
    boolean firstFrame = message.isCodedFrames() && !audioProbed;
    if (!message.isSequenceHeader() && !firstFrame) {
      return;
    }
    audioProbed |= firstFrame;
    if (firstFrame && audio != null) {
      return; // the sequence header said it
    }
    try {
      audio = AudioInfo.parse(message.payload());
    } catch (MediaFormatException e) {
      audio = AudioInfo.codecOnly(message.codec());
      warnOnce(e);
    }
  }

  /** One track of the stream: audio or video ({@link FlvTags#TAG_AUDIO}, ...), its id and its {@link FourCc} codec. */
  public record Track(int type, int id, int codec) {
  }

  /**
   * The tracks the stream's sequence headers named (Enhanced RTMP multitrack: one per (type, track id)), audio and
   * video; a legacy stream has at most one of each, track 0.
   */
  public List<Track> tracks() {
    return tracks;
  }

  /** Records the tracks a sequence header starts (every track of a multitrack one): once per header, not per frame. */
  private void noteTracks(StreamMessage message) {
    List<Track> named = new ArrayList<>(2);
    if (message.isMultitrack()) {
      try {
        if (message.isVideo()) {
          for (VideoTagHeader t : VideoTagHeader.parseTracks(message.payload())) {
            named.add(new Track(message.type(), t.track(), t.codec()));
          }
        } else {
          for (AudioTagHeader t : AudioTagHeader.parseTracks(message.payload())) {
            named.add(new Track(message.type(), t.track(), t.codec()));
          }
        }
      } catch (MediaFormatException e) {
        return; // not cached as a sequence header either
      }
    } else {
      named.add(new Track(message.type(), message.track(), message.codec()));
    }
    List<Track> next = new ArrayList<>(tracks);
    for (Track track : named) {
      next.removeIf(t -> t.type() == track.type() && t.id() == track.id());
      next.add(track);
    }
    tracks = List.copyOf(next);
  }

  private void warnOnce(MediaFormatException e) {
    if (!codecWarned) {
      codecWarned = true;
      LOG.warning(() -> "stream " + key + ": codec details unreadable, the API shows the codec alone: "
          + e.getMessage());
    }
  }

  /** The publishing client's id, or null. */
  public String publisherId() {
    return isPublishing() ? publisherId : null;
  }

  public long publishedAt() {
    return publishedAt;
  }

  /** Video frames published so far. */
  public long frames() {
    return frames;
  }

  /** Payload bytes received from the publisher. */
  public long recvBytes() {
    return recvBytes;
  }

  /** The video codec, or null. */
  public VideoInfo video() {
    return video;
  }

  /** The audio codec, or null. */
  public AudioInfo audio() {
    return audio;
  }

  public Kbps kbps() {
    return kbps;
  }

  /** The publisher left: caches are dropped and every consumer sees the end of the stream. */
  public void stopPublish() {
    stop(true);
  }

  /**
   * The publisher (an edge's upstream) broke and another is expected: as {@link #stopPublish()}, but players do not
   * see the end of the stream; they stay attached and resume with the next publish's metadata and sequence headers
   * (SRS's edge keeps its players across an upstream reconnect). Followers (HLS, forwarding) see the end as usual.
   */
  public void interruptPublish() {
    stop(false);
  }

  private void stop(boolean playersToo) {
    mix.clear();
    meta.clear();
    gop.clear();
    for (Relay relay : relays) {
      relay.dispatchEnd(playersToo);
    }
    synchronized (this) {
      publisherLoop = null;
    }
    hub.unpublished(this);
  }

  // ---- consumer side, on the consumer's loop ----

  /**
   * Attaches a consumer. If the stream is live, the consumer first gets the metadata, sequence headers and gop
   * cache, snapshotted on the publisher's loop so that nothing is missed or repeated; otherwise it waits for a
   * publisher. The caller holds the source ({@link StreamHub#subscribe} does both).
   */
  void subscribe(Consumer consumer) {
    Relay relay = relayFor(consumer.loop());
    relay.members++;
    if (!consumer.isFollower()) {
      boolean first;
      synchronized (this) {
        first = demand++ == 0;
        if (first) {
          demandParam = consumer.param();
        }
      }
      if (first) {
        hub.demandChanged(this);
      }
    }
    Executor publisher = publisherLoop;
    if (publisher == null) {
      // Any message published from now on reaches this loop after the current task: nothing is missed.
      relay.attach(consumer, List.of());
      return;
    }
    try {
      publisher.execute(() -> {
        List<StreamMessage> backlog = new ArrayList<>();
        if (publisherLoop == publisher) {
          meta.snapshot(backlog);
          gop.snapshot(backlog);
        }
        try {
          relay.loop.execute(() -> relay.attach(consumer, backlog));
        } catch (RejectedExecutionException e) {
          backlog.forEach(StreamMessage::release); // the player's loop is shutting down
        }
      });
    } catch (RejectedExecutionException e) {
      relay.attach(consumer, List.of()); // the publisher's loop is shutting down: wait for the next publisher
    }
  }

  /** Detaches a consumer and releases what it held; on the consumer's loop ({@link Subscription#close()}). */
  void unsubscribe(Consumer consumer) {
    Relay relay = find(relays, consumer.loop());
    consumer.close();
    if (!consumer.isFollower()) {
      boolean last;
      synchronized (this) {
        last = --demand == 0;
      }
      if (last) {
        hub.demandChanged(this);
      }
    }
    if (relay == null) {
      return;
    }
    relay.detach(consumer);
    if (--relay.members == 0) {
      synchronized (this) {
        if (relay.members == 0) {
          relays = Arrays.stream(relays).filter(r -> r != relay).toArray(Relay[]::new);
        }
      }
    }
  }

  private Relay relayFor(Executor loop) {
    Relay relay = find(relays, loop);
    if (relay != null) {
      return relay;
    }
    synchronized (this) {
      relay = find(relays, loop);
      if (relay == null) {
        relay = new Relay(loop);
        Relay[] next = Arrays.copyOf(relays, relays.length + 1);
        next[next.length - 1] = relay;
        relays = next;
      }
      return relay;
    }
  }

  private static Relay find(Relay[] relays, Executor loop) {
    for (Relay relay : relays) {
      if (relay.loop == loop) {
        return relay;
      }
    }
    return null;
  }

  // ---- lifecycle, through the hub ----

  synchronized boolean acquire() {
    if (dead) {
      return false;
    }
    users++;
    return true;
  }

  /** Gives back what {@link StreamHub#acquire} gave. */
  public void release() {
    boolean remove;
    synchronized (this) {
      remove = --users == 0 && publisherLoop == null;
      dead = remove;
    }
    if (remove) {
      hub.remove(this);
    }
  }

  @Override
  public String toString() {
    return key.toString();
  }
}
