package io.estuary.mp4;

import io.estuary.media.FourCc;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One track of the file: what its sample entry says (codec, configuration, size or sample rate) and the samples of
 * the fragment being gathered, with the random access points of the fragments already written (for the mfra).
 *
 * <p>Sample times are in the track's timescale, counted from the file's first sample. The fragment's sample bytes are
 * copied into a heap buffer that is garbage collected, not reference counted: a writer abandoned without
 * {@code finish} (a recording that failed) holds nothing that must be released.
 */
final class Track {

  /** sample_flags (ISO/IEC 14496-12 8.8.3.1): sample_depends_on 2 (an I picture, or any audio sample). */
  static final int FLAGS_SYNC = 0x02000000;
  /** sample_depends_on 1 (not an I picture) and sample_is_non_sync_sample. */
  static final int FLAGS_NON_SYNC = 0x01010000;

  final int id;
  final boolean video;

  /** The sample entry's FourCC (avc1, hvc1, av01, vp09, mp4a, Opus) and .mp3 for MP3 (an mp4a entry); NONE before. */
  int codec = FourCc.NONE;
  /** The configuration record as carried (avcC, hvcC, av1C, vpcC), the AudioSpecificConfig, or the OpusHead. */
  byte[] config;
  /** The video sequence header body, to read the size from the first keyframe when {@link #awaitsSize}. */
  byte[] sequenceHeader;
  int timescale;
  int width;
  int height;
  /** The picture size is read from the first keyframe (VP9; AV1 without a sequence header in its av1C). */
  boolean awaitsSize;
  int channels;
  int sampleRate;
  /** MP3's objectTypeIndication (ISO/IEC 14496-1 Table 5): 0x6B MPEG-1 audio, 0x69 MPEG-2 (half rates). */
  int mp3ObjectType;
  /** Samples in an audio frame (AAC 1024, MP3 1152 or 576); 0 when each packet says (Opus). */
  int frameSamples;

  /** The last sample's time, -1 before any; its duration once known, else the estimate for it. */
  long lastTime = -1;
  long lastDuration;

  private long[] times = new long[64];
  private int[] sizes = new int[64];
  private int[] offsets = new int[64];
  private boolean[] syncs = new boolean[64];
  private int count;
  private final ByteBuf data = Unpooled.buffer(0);

  /** Per fragment with a sync sample of this track: {presentation time, moof offset, traf number}. */
  final List<long[]> randomAccessPoints = new ArrayList<>();

  Track(int id, boolean video) {
    this.id = id;
    this.video = video;
  }

  int handler() {
    return FourCc.of(video ? "vide" : "soun");
  }

  boolean configured() {
    return codec != FourCc.NONE && !awaitsSize;
  }

  /** Adds a sample: {@code length} bytes of {@code body} from {@code index}, at {@code time}, its estimated duration. */
  void add(long time, long duration, int compositionOffset, boolean sync, ByteBuf body, int index, int length) {
    if (count == times.length) {
      int n = count * 2;
      times = Arrays.copyOf(times, n);
      sizes = Arrays.copyOf(sizes, n);
      offsets = Arrays.copyOf(offsets, n);
      syncs = Arrays.copyOf(syncs, n);
    }
    times[count] = time;
    sizes[count] = length;
    offsets[count] = compositionOffset;
    syncs[count] = sync;
    count++;
    data.writeBytes(body, index, length);
    lastTime = time;
    lastDuration = duration;
  }

  int count() {
    return count;
  }

  long firstTime() {
    return times[0];
  }

  boolean firstIsSync() {
    return syncs[0];
  }

  int firstCompositionOffset() {
    return offsets[0];
  }

  ByteBuf data() {
    return data;
  }

  /**
   * The trun's samples (ISO/IEC 14496-12 8.8.8): duration, size, flags and, for video, the composition offset. A
   * sample's duration is the gap to the next; the last one's is {@code nextTime} minus its time when the next sample
   * is known, else the estimate it was added with.
   */
  void writeSamples(ByteBuf out, long nextTime) {
    for (int i = 0; i < count; i++) {
      long duration = i + 1 < count ? times[i + 1] - times[i] : nextTime >= 0 ? nextTime - times[i] : lastDuration;
      out.writeInt((int) Math.max(0, duration));
      out.writeInt(sizes[i]);
      out.writeInt(syncs[i] || !video ? FLAGS_SYNC : FLAGS_NON_SYNC);
      if (video) {
        out.writeInt(offsets[i]);
      }
    }
    if (nextTime >= 0) {
      lastDuration = nextTime - lastTime;
    }
  }

  /** Forgets the written fragment's samples. */
  void clear() {
    count = 0;
    data.clear();
  }
}
