package io.estuary.stream;

import io.estuary.media.AudioTagHeader;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.estuary.media.MediaFormatException;
import io.estuary.media.VideoTagHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;

import java.util.List;

/**
 * One audio, video or script message of a live stream, shared by every consumer of the stream.
 * The payload is the FLV tag body (which is also the RTMP message body). It is never copied: each consumer
 * writes a duplicate of it and adds only its own header.
 *
 * <p>A publisher's payload is stored once, by {@link #received}, in a right-sized buffer of {@link #STORE}: the
 * stream's caches then hold exactly the media they keep rather than pinning the publisher's read buffers, and the
 * duplicate each player writes of a pooled buffer is a recycled object, not per-player garbage.
 *
 * <p>One {@link Attachment} slot carries what a protocol derives once from the message for all its players (RTMP:
 * the payload split into chunks), owned and typed by that protocol, released with the message.
 *
 * <p>Enhanced RTMP multitrack: a message carrying several tracks is relayed as it came to players that announced
 * multitrack; for every other consumer (legacy RTMP and HTTP-FLV players, HLS, forwarding) it carries its default-track
 * rendition, derived once here: a plain single-track body of track 0 ({@link #defaultTrack()}).
 *
 * <p>Reference counted: the publisher creates it with one reference; the source and every consumer queue
 * retain it while they hold it.
 */
public final class StreamMessage extends AbstractReferenceCounted {

  /** Chunks of 8 KiB pages << 5 = 256 KiB. */
  private static final int STORE_MAX_ORDER = 5;

  /**
   * Where stored payloads and the players' own bytes (chunk and tag headers) come from: a pooled allocator of direct
   * memory with 256 KiB chunks instead of Netty's default 4 MiB, so that each event loop's arena starts small (a
   * node with one stream holds a few hundred KiB of media); larger messages are allocated on their own. No
   * per-thread caches: media comes in every size, and caches of freed buffers per size and thread kept ~60 MiB
   * after 300 streams had left (an arena gives an emptied chunk back); allocations here are per message and per
   * merged write, not per player and message, so the arena's lock is not a hot spot.
   */
  public static final ByteBufAllocator STORE = new PooledByteBufAllocator(true, 0,
      PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(), STORE_MAX_ORDER,
      0, 0, false);

  private final int type;
  private final long timestamp;
  private final ByteBuf payload;
  private final int track;
  private final int codec;
  private final boolean keyframe;
  private final boolean sequenceHeader;
  private final boolean codedFrames;
  private final int compositionTime;
  private boolean absoluteTime;
  /** An Enhanced RTMP multitrack message (Multitrack packet type, any AvMultitrackType). */
  private final boolean multitrack;
  /** Multitrack: the ids of its tracks, in order; empty when its tracks cannot be read. Else null. */
  private final int[] trackIds;
  /** Multitrack: track 0 as a single-track message, owned by this one; null when it has no track 0. */
  private final StreamMessage defaultTrack;
  /**
   * Set at most once, on the publisher's loop before the message is published; read after that on the players'
   * loops, which the source's hand-off to each loop (an executor task) orders after the write.
   */
  private Attachment attachment;

  private StreamMessage(int type, long timestamp, ByteBuf payload, int track, int codec, boolean keyframe,
                        boolean sequenceHeader, boolean codedFrames, int compositionTime) {
    this(type, timestamp, payload, track, codec, keyframe, sequenceHeader, codedFrames, compositionTime, null, null);
  }

  private StreamMessage(int type, long timestamp, ByteBuf payload, int track, int codec, boolean keyframe,
                        boolean sequenceHeader, boolean codedFrames, int compositionTime, int[] trackIds,
                        StreamMessage defaultTrack) {
    this.multitrack = trackIds != null;
    this.trackIds = trackIds;
    this.defaultTrack = defaultTrack;
    this.type = type;
    this.timestamp = timestamp;
    this.payload = payload;
    this.track = track;
    this.codec = codec;
    this.keyframe = keyframe;
    this.sequenceHeader = sequenceHeader;
    this.codedFrames = codedFrames;
    this.compositionTime = compositionTime;
  }

  /**
   * An FLV tag body, classified once here from its header (legacy FLV or Enhanced RTMP: {@link VideoTagHeader},
   * {@link AudioTagHeader}) for every consumer: codec, track, keyframe, sequence header, coded frame, composition time.
   * A body whose header cannot be read is passed on unclassified (no codec, not a keyframe). Takes ownership of
   * {@code payload}. {@code type} is the FLV tag type: 8 audio, 9 video, 18 script data.
   */
  public static StreamMessage of(int type, long timestamp, ByteBuf payload) {
    if (type == FlvTags.TAG_VIDEO) {
      VideoTagHeader h = VideoTagHeader.classify(payload);
      if (h.multitrackType() >= 0) {
        return videoTracks(timestamp, payload, h);
      }
      return new StreamMessage(type, timestamp, payload, h.track(), h.codec(), h.isKeyframe(), h.isSequenceHeader(),
          h.isCodedFrames(), h.compositionTime());
    }
    if (type == FlvTags.TAG_AUDIO) {
      AudioTagHeader h = AudioTagHeader.classify(payload);
      if (h.multitrackType() >= 0) {
        return audioTracks(timestamp, payload, h);
      }
      return new StreamMessage(type, timestamp, payload, h.track(), h.codec(), false, h.isSequenceHeader(),
          h.isCodedFrames(), 0);
    }
    return new StreamMessage(type, timestamp, payload, 0, FourCc.NONE, false, false, false, 0);
  }

  /**
   * A multitrack video message, classified by its first track (the packet and frame types are the message's), with its
   * default-track rendition. A body whose later tracks cannot be read has no rendition and no track ids.
   */
  private static StreamMessage videoTracks(long timestamp, ByteBuf payload, VideoTagHeader first) {
    int[] ids = new int[0];
    StreamMessage track0 = null;
    try {
      List<VideoTagHeader> tracks = VideoTagHeader.parseTracks(payload);
      ids = new int[tracks.size()];
      for (int i = 0; i < ids.length; i++) {
        VideoTagHeader t = tracks.get(i);
        ids[i] = t.track();
        if (t.track() == 0 && track0 == null) {
          ByteBuf single = STORE.directBuffer(t.singleTrackSize());
          t.writeSingleTrack(payload, single);
          track0 = of(FlvTags.TAG_VIDEO, timestamp, single);
        }
      }
    } catch (MediaFormatException e) {
      ids = new int[0];
    }
    return new StreamMessage(FlvTags.TAG_VIDEO, timestamp, payload, first.track(), first.codec(), first.isKeyframe(),
        first.isSequenceHeader(), first.isCodedFrames(), first.compositionTime(), ids, track0);
  }

  /** As {@link #videoTracks}, for audio. */
  private static StreamMessage audioTracks(long timestamp, ByteBuf payload, AudioTagHeader first) {
    int[] ids = new int[0];
    StreamMessage track0 = null;
    try {
      List<AudioTagHeader> tracks = AudioTagHeader.parseTracks(payload);
      ids = new int[tracks.size()];
      for (int i = 0; i < ids.length; i++) {
        AudioTagHeader t = tracks.get(i);
        ids[i] = t.track();
        if (t.track() == 0 && track0 == null) {
          ByteBuf single = STORE.directBuffer(t.singleTrackSize());
          t.writeSingleTrack(payload, single);
          track0 = of(FlvTags.TAG_AUDIO, timestamp, single);
        }
      }
    } catch (MediaFormatException e) {
      ids = new int[0];
    }
    return new StreamMessage(FlvTags.TAG_AUDIO, timestamp, payload, first.track(), first.codec(), false,
        first.isSequenceHeader(), first.isCodedFrames(), 0, ids, track0);
  }

  /**
   * A message as a publisher sent it: {@code received} (often a slice of a read buffer, or a composite of several)
   * is copied once into a right-sized {@link #STORE} buffer and released. One copy per message, none per player.
   */
  public static StreamMessage received(int type, long timestamp, ByteBuf received) {
    ByteBuf payload;
    try {
      payload = STORE.directBuffer(received.readableBytes()).writeBytes(received, received.readerIndex(), received.readableBytes());
    } finally {
      received.release();
    }
    return of(type, timestamp, payload);
  }

  /**
   * A message of a derived stream whose payload is not an FLV body (e.g. MPEG-TS packets remuxed once per stream),
   * classified by its producer. Takes ownership of {@code payload}.
   */
  public static StreamMessage derived(int type, long timestamp, ByteBuf payload, boolean keyframe, boolean sequenceHeader) {
    return new StreamMessage(type, timestamp, payload, 0, FourCc.NONE, keyframe, sequenceHeader,
        type != FlvTags.TAG_SCRIPT && !sequenceHeader, 0);
  }

  public int type() {
    return type;
  }

  public boolean isAudio() {
    return type == FlvTags.TAG_AUDIO;
  }

  public boolean isVideo() {
    return type == FlvTags.TAG_VIDEO;
  }

  public boolean isScript() {
    return type == FlvTags.TAG_SCRIPT;
  }

  /** The publisher's timestamp (DTS) in milliseconds. */
  public long timestamp() {
    return timestamp;
  }

  public ByteBuf payload() {
    return payload;
  }

  /** An Enhanced RTMP multitrack message: played as it is only by players that announced multitrack. */
  public boolean isMultitrack() {
    return multitrack;
  }

  /**
   * What a player that did not announce multitrack gets of this message: the message itself unless it is multitrack;
   * else its track 0 as a plain single-track body (legacy AAC or AVC where the codec has a legacy form, else Enhanced
   * RTMP without multitrack), derived once and owned by this message (retain it to keep it), or null when the message
   * has no track 0.
   */
  public StreamMessage defaultTrack() {
    return multitrack ? defaultTrack : this;
  }

  /** The ids of the tracks this message carries: its one track, or every track of a multitrack message. */
  int[] trackIds() {
    return multitrack ? trackIds : new int[] {track};
  }

  /** The track (Enhanced RTMP multitrack): 0 for legacy FLV and a single track; a multitrack message's first track. */
  public int track() {
    return track;
  }

  /** The codec, a {@link FourCc} ({@link FourCc#NONE} for script data, derived messages and unknown codecs). */
  public int codec() {
    return codec;
  }

  /** A video keyframe (which may also be a sequence header). */
  public boolean isKeyframe() {
    return keyframe;
  }

  public boolean isSequenceHeader() {
    return sequenceHeader;
  }

  /**
   * Coded audio or video frames: not a sequence header or end, not Enhanced RTMP video metadata, not a command frame.
   * What the stream's frame count counts.
   */
  public boolean isCodedFrames() {
    return codedFrames;
  }

  /** PTS - DTS of a video frame in ms (avc1/hvc1 CodedFrames, legacy AVC/HEVC); 0 otherwise. */
  public int compositionTime() {
    return compositionTime;
  }

  /** Metadata saying the publisher sends absolute time ({@code bravo_atc="true"}), which {@code atc_auto} honours. */
  public boolean absoluteTime() {
    return absoluteTime;
  }

  public StreamMessage absoluteTime(boolean absoluteTime) {
    this.absoluteTime = absoluteTime;
    return this;
  }

  /** Same type and payload bytes (a repeated sequence header). */
  public boolean sameContent(StreamMessage other) {
    return other != null && type == other.type && payload.equals(other.payload);
  }

  /** What a protocol derived from this message once for all its players; released with the message. */
  public interface Attachment {
    void release();
  }

  /** Attaches what a protocol derived from this message (once, before it is published); takes ownership of it. */
  public void attach(Attachment attachment) {
    if (this.attachment != null) {
      attachment.release();
      throw new IllegalStateException("already has an attachment: " + this.attachment);
    }
    this.attachment = attachment;
  }

  /** The attachment, or null. */
  public Attachment attachment() {
    return attachment;
  }

  @Override
  protected void deallocate() {
    payload.release();
    if (defaultTrack != null) {
      defaultTrack.release();
    }
    if (attachment != null) {
      attachment.release();
    }
  }

  @Override
  public StreamMessage touch(Object hint) {
    payload.touch(hint);
    if (defaultTrack != null) {
      defaultTrack.touch(hint);
    }
    return this;
  }

  @Override
  public StreamMessage retain() {
    super.retain();
    return this;
  }

  @Override
  public String toString() {
    return "StreamMessage{type=" + type + ", ts=" + timestamp + ", size=" + payload.readableBytes()
        + (codec != FourCc.NONE ? ", " + FourCc.toString(codec) : "")
        + (keyframe ? ", key" : "") + (sequenceHeader ? ", sh" : "") + (multitrack ? ", multitrack" : "") + "}";
  }
}
