package io.estuary.mp4;

import io.estuary.media.AacConfig;
import io.estuary.media.AudioInfo;
import io.estuary.media.AudioTagHeader;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.estuary.media.MediaFormatException;
import io.estuary.media.VideoInfo;
import io.estuary.media.VideoTagHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * One MP4 file being written, fed FLV tag bodies in order. Not thread-safe.
 *
 * <p>The file is a fragmented MP4 (ISO/IEC 14496-12 8.8): ftyp and a moov with no samples and an mvex, then one
 * moof + mdat per fragment, each self-contained (tfhd default-base-is-moof, a tfdt), so a file cut after any complete
 * fragment plays; {@link #finish} adds an mfra listing every fragment's random access point.
 *
 * <p>Tracks: video (track 1) in avc1 + avcC, hvc1 + hvcC, av01 + av1C or vp09 + vpcC, the configuration record as the
 * publisher sent it and the samples as carried (length-prefixed NAL units, OBUs, VP9 frames); audio (track 2, or 1
 * without video) in mp4a + esds (AAC; MP3 with objectTypeIndication 0x6B or 0x69) or Opus + dOps ("Encapsulation of
 * Opus in ISO Base Media File Format" 4.3). Video is timed in 90 kHz, audio in its sample rate.
 *
 * <p>The moov is written once: a sequence header that arrives after it is not announced, and frames of another codec
 * than the one announced are dropped. A recorder that must follow such a change starts a new file.
 */
public final class FragmentedMp4Writer {

  private static final int MOVIE_TIMESCALE = 1000;
  private static final int VIDEO_TIMESCALE = 90000;
  /** A video sample's duration when no other tells it (a single-frame fragment): 25 fps. */
  private static final int DEFAULT_VIDEO_DURATION = VIDEO_TIMESCALE / 25;
  /** Audio-only files are cut about every second. */
  private static final long AUDIO_FRAGMENT_MS = 1000;
  /** An audio timestamp within this of where the previous frame ends continues it (FLV rounds times to 1 ms). */
  private static final long AUDIO_SLACK_MS = 2;
  private static final int OPUS_RATE = 48000;
  private static final int OPUS_HEAD_LENGTH = 19;
  /** Samples (48 kHz) in an Opus frame by TOC configuration (RFC 6716 Table 2): SILK 10, 20, 40, 60 ms; CELT 2.5 to 20. */
  private static final int[] OPUS_SILK_SAMPLES = {480, 960, 1920, 2880};
  private static final int[] OPUS_CELT_SAMPLES = {120, 240, 480, 960};
  /** trun flags: data-offset, sample-duration, -size, -flags present; and -composition-time-offset for video. */
  private static final int TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400;
  private static final int TRUN_COMPOSITION_OFFSETS = 0x000800;
  private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;

  private final Track video;
  private final Track audio;
  private final List<Track> tracks = new ArrayList<>(2);

  private boolean initWritten;
  private boolean keyframeSeen;
  private boolean finished;
  /** The DTS (ms) of the file's first sample: time 0 of every track. */
  private long origin = Long.MIN_VALUE;
  private int sequenceNumber;
  /** Bytes of the file appended before the current call, and where the current call started appending. */
  private long written;
  private int callStart;

  /** hasVideo/hasAudio: which tracks the file will have (from the stream: which sequence headers it has/will have). */
  public FragmentedMp4Writer(boolean hasVideo, boolean hasAudio) {
    if (!hasVideo && !hasAudio) {
      throw new IllegalArgumentException("an MP4 file needs a video or an audio track");
    }
    video = hasVideo ? new Track(1, true) : null;
    audio = hasAudio ? new Track(hasVideo ? 2 : 1, false) : null;
    if (video != null) {
      tracks.add(video);
    }
    if (audio != null) {
      tracks.add(audio);
    }
  }

  /**
   * Feeds one FLV audio (8) or video (9) tag body (legacy FLV or Enhanced RTMP, as media.VideoTagHeader/AudioTagHeader
   * read it; script data (18) is ignored) with its DTS in ms; appends to {@code out} whatever bytes of the file are
   * ready: the init segment (ftyp + moov with mvex) once every announced track's configuration is known, then a
   * fragment (moof + mdat) whenever one is complete (cut before each video keyframe, or every ~1 s for audio-only).
   * Frames before the init segment can be written, and video frames before the first keyframe, are dropped (but audio
   * that only waits for the video's first keyframe to tell the picture size is kept). Does not take ownership of body.
   *
   * @throws MediaFormatException for a malformed body; nothing is appended then, the writer stays usable
   */
  public void write(int tagType, long dtsMs, ByteBuf body, ByteBuf out) {
    if (finished) {
      throw new IllegalStateException("the MP4 file is finished");
    }
    callStart = out.writerIndex();
    if (tagType == FlvTags.TAG_VIDEO && video != null) {
      video(dtsMs, body, out);
    } else if (tagType == FlvTags.TAG_AUDIO && audio != null) {
      audio(dtsMs, body, out);
    }
    written += out.writerIndex() - callStart;
  }

  /**
   * Ends the file: appends the last fragment and the index (an mfra with a tfra per track listing the fragments' random
   * access points, and mfro), so players can seek. Appends nothing when no init segment could be written (no
   * configuration came), and nothing the second time.
   */
  public void finish(ByteBuf out) {
    if (finished) {
      return;
    }
    finished = true;
    if (!initWritten) {
      return;
    }
    callStart = out.writerIndex();
    if (hasPendingSamples()) {
      fragment(out, -1);
    }
    writeIndex(out);
    written += out.writerIndex() - callStart;
  }

  /**
   * Name of a codec this writer cannot carry in an MP4 file (a FourCC such as "vp08", "fLaC", "ac-3", or the legacy
   * FLV codec id or sound format when it has no FourCC), or null when it can, or when the body is no codec data (a
   * command frame, script data) or cannot be read ({@link #write} says what is wrong then). A multitrack body is judged
   * by its first track.
   */
  public static String unsupportedCodec(int tagType, ByteBuf body) {
    try {
      if (tagType == FlvTags.TAG_VIDEO) {
        VideoTagHeader header = VideoTagHeader.parse(body);
        if (header.packetType() == VideoTagHeader.PACKET_COMMAND || carriesVideo(header.codec())) {
          return null;
        }
        return header.codec() == FourCc.NONE
            ? "FLV video codec " + (body.getUnsignedByte(body.readerIndex()) & 0x0f) : FourCc.toString(header.codec());
      } else if (tagType == FlvTags.TAG_AUDIO) {
        AudioTagHeader header = AudioTagHeader.parse(body);
        if (carriesAudio(header.codec())) {
          return null;
        }
        return header.codec() == FourCc.NONE
            ? "FLV sound format " + (body.getUnsignedByte(body.readerIndex()) >> 4) : FourCc.toString(header.codec());
      }
      return null;
    } catch (MediaFormatException e) {
      return null;
    }
  }

  /**
   * Total media duration fed so far, ms: from the file's first sample to the end of the last one (its duration
   * estimated until the next arrives), the longer track's. Samples of the fragment being gathered count.
   */
  public long durationMs() {
    long ms = 0;
    for (Track track : tracks) {
      if (track.lastTime >= 0) {
        ms = Math.max(ms, (track.lastTime + track.lastDuration) * 1000 / track.timescale);
      }
    }
    return ms;
  }

  private static boolean carriesVideo(int codec) {
    return codec == FourCc.AVC1 || codec == FourCc.HVC1 || codec == FourCc.AV01 || codec == FourCc.VP09;
  }

  private static boolean carriesAudio(int codec) {
    return codec == FourCc.MP4A || codec == FourCc.MP3 || codec == FourCc.OPUS;
  }

  private void video(long dts, ByteBuf body, ByteBuf out) {
    VideoTagHeader header = VideoTagHeader.parse(body);
    if (!carriesVideo(header.codec())) {
      return;
    }
    if (header.isSequenceHeader()) {
      videoConfiguration(header, body, out);
      return;
    }
    if (!header.isCodedFrames() || header.dataLength() == 0 || header.codec() != video.codec) {
      return;
    }
    boolean keyframe = header.isKeyframe();
    if (!initWritten) {
      if (!keyframe) {
        return;
      }
      if (video.awaitsSize) {
        readSize(body);
      }
      writeInitIfReady(out);
      if (!initWritten) {
        return;
      }
    }
    if (!keyframeSeen && !keyframe) {
      return;
    }
    keyframeSeen = true;
    long time = Math.max(video.lastTime, (startAt(dts) - origin) * (VIDEO_TIMESCALE / 1000));
    if (keyframe && video.count() > 0) {
      fragment(out, time);
    }
    long duration = video.lastTime >= 0 ? time - video.lastTime : DEFAULT_VIDEO_DURATION;
    video.add(time, duration > 0 ? duration : DEFAULT_VIDEO_DURATION,
        header.compositionTime() * (VIDEO_TIMESCALE / 1000), keyframe, body,
        body.readerIndex() + header.dataOffset(), header.dataLength());
  }

  /** The size from the first keyframe (VP9's frame header, an AV1 sequence header OBU), or left unknown (0x0). */
  private void readSize(ByteBuf body) {
    try {
      VideoInfo info = VideoInfo.parse(Unpooled.wrappedBuffer(video.sequenceHeader)).withKeyframe(body);
      video.width = info.width();
      video.height = info.height();
    } catch (MediaFormatException e) {
      // players read the size from the bitstream; the sample entry says 0x0
    }
    video.awaitsSize = false;
  }

  private void videoConfiguration(VideoTagHeader header, ByteBuf body, ByteBuf out) {
    if (header.packetType() == VideoTagHeader.PACKET_MPEG2TS_SEQUENCE_START) {
      throw new MediaFormatException("AV1 MPEG2TSSequenceStart: an MP4 file needs the AV1CodecConfigurationRecord");
    }
    VideoInfo info = VideoInfo.parse(body); // reads the record: a malformed one fails here
    if (initWritten) {
      return;
    }
    video.codec = header.codec();
    video.config = ByteBufUtil.getBytes(header.data(body));
    video.sequenceHeader = ByteBufUtil.getBytes(body);
    video.timescale = VIDEO_TIMESCALE;
    video.width = info.width();
    video.height = info.height();
    video.awaitsSize = info.awaitsKeyframe();
    writeInitIfReady(out);
  }

  private void audio(long dts, ByteBuf body, ByteBuf out) {
    AudioTagHeader header = AudioTagHeader.parse(body);
    int codec = header.codec();
    if (!carriesAudio(codec)) {
      return;
    }
    ByteBuf data = header.data(body);
    if (header.isSequenceHeader()) {
      audioConfiguration(codec, data, out);
      return;
    }
    if (!header.isCodedFrames() || header.dataLength() == 0) {
      return;
    }
    int frameSamples = codec == FourCc.OPUS ? opusSamples(data) : 0;
    if (codec == FourCc.MP3 && !initWritten && audio.codec == FourCc.NONE) {
      mp3Configuration(body, data); // MP3 has no sequence header: its first frame's header says
      writeInitIfReady(out);
    }
    if (!(initWritten || awaitsVideoSize()) || codec != audio.codec) {
      return;
    }
    long time = audioTime(startAt(dts));
    if (video == null && audio.count() > 0
        && (audio.lastTime + audio.lastDuration - audio.firstTime()) * 1000 >= AUDIO_FRAGMENT_MS * audio.timescale) {
      fragment(out, time);
    }
    long duration = frameSamples > 0 ? frameSamples : audio.frameSamples;
    audio.add(time, duration, 0, true, body, body.readerIndex() + header.dataOffset(), header.dataLength());
  }

  /**
   * The video's configuration is known but its size is read from its first keyframe (VP9, some AV1): audio that comes
   * before that keyframe is kept for the first fragment, as it would be with any other codec.
   */
  private boolean awaitsVideoSize() {
    return video != null && video.codec != FourCc.NONE && video.awaitsSize && audio.configured();
  }

  /**
   * An audio frame's time: where the previous one ends when its DTS is within a rounding of that (so AAC frames last
   * exactly 1024 samples, not 1014 or 1058 as 1 ms timestamps say), else its DTS (a gap, or the first frame).
   */
  private long audioTime(long dts) {
    long exact = Math.max(0, dts - origin) * audio.timescale / 1000;
    if (audio.lastTime < 0) {
      return exact;
    }
    long continued = audio.lastTime + audio.lastDuration;
    if (Math.abs(exact - continued) <= AUDIO_SLACK_MS * audio.timescale / 1000) {
      return continued;
    }
    return Math.max(exact, audio.lastTime);
  }

  /** {@code dts}, after taking the first sample's DTS as the file's time 0. */
  private long startAt(long dts) {
    if (origin == Long.MIN_VALUE) {
      origin = dts;
    }
    return Math.max(dts, origin);
  }

  private void audioConfiguration(int codec, ByteBuf data, ByteBuf out) {
    if (codec == FourCc.MP4A) {
      AacConfig aac = AacConfig.parse(data);
      if (initWritten) {
        return;
      }
      audio.sampleRate = aac.sampleRate();
      audio.channels = aac.channels();
      audio.frameSamples = 1024; // ISO/IEC 14496-3: an AAC frame is 1024 samples of the core rate
    } else if (codec == FourCc.OPUS) {
      opusHead(data);
      if (initWritten) {
        return;
      }
      audio.sampleRate = OPUS_RATE;
      audio.channels = data.getUnsignedByte(data.readerIndex() + 9);
      audio.frameSamples = OPUS_RATE / 50;
    } else {
      return; // MP3 has no sequence header
    }
    audio.codec = codec;
    audio.config = ByteBufUtil.getBytes(data);
    audio.timescale = audio.sampleRate;
    writeInitIfReady(out);
  }

  /** Checks an OpusHead (RFC 7845 5.1): magic, version 0.x, a channel mapping table when the family is not 0. */
  private static void opusHead(ByteBuf data) {
    int i = data.readerIndex();
    if (data.readableBytes() < OPUS_HEAD_LENGTH || data.getLong(i) != 0x4f70757348656164L) { // "OpusHead"
      throw new MediaFormatException("Opus sequence start without an OpusHead: " + data.readableBytes() + " bytes");
    }
    int version = data.getUnsignedByte(i + 8);
    int channels = data.getUnsignedByte(i + 9);
    if (version >> 4 != 0 || channels == 0) {
      throw new MediaFormatException("OpusHead version " + version + " with " + channels + " channels");
    }
    if (data.getUnsignedByte(i + 18) != 0 && data.readableBytes() < OPUS_HEAD_LENGTH + 2 + channels) {
      throw new MediaFormatException("OpusHead truncated: no channel mapping table for " + channels + " channels");
    }
  }

  /** The sample rate, channels and frame length of MP3 from its first frame's header (ISO/IEC 11172-3 2.4.1.3). */
  private void mp3Configuration(ByteBuf body, ByteBuf data) {
    AudioInfo info = AudioInfo.parse(body);
    int h = data.readableBytes() >= 4 ? data.getInt(data.readerIndex()) : 0;
    boolean header = h >>> 21 == 0x7ff;
    int version = h >> 19 & 0x03; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
    int layer = h >> 17 & 0x03; // 3 Layer I, 2 Layer II, 1 Layer III
    boolean mpeg1 = !header || version == 3;
    audio.codec = FourCc.MP3;
    audio.sampleRate = info.sampleRate();
    audio.channels = info.channels();
    audio.timescale = info.sampleRate();
    audio.mp3ObjectType = mpeg1 ? 0x6B : 0x69;
    audio.frameSamples = header && layer == 3 ? 384 : mpeg1 || layer == 2 ? 1152 : 576;
  }

  /** Samples (48 kHz) in an Opus packet, from its TOC (RFC 6716 3.1); 0 when it cannot say. */
  private static int opusSamples(ByteBuf data) {
    int toc = data.getUnsignedByte(data.readerIndex());
    int config = toc >> 3;
    int frame;
    if (config < 12) {
      frame = OPUS_SILK_SAMPLES[config & 3];
    } else if (config < 16) {
      frame = (config & 1) == 0 ? 480 : 960; // Hybrid: 10, 20 ms
    } else {
      frame = OPUS_CELT_SAMPLES[config & 3];
    }
    int frames = switch (toc & 3) {
      case 0 -> 1;
      case 1, 2 -> 2;
      default -> data.readableBytes() > 1 ? data.getUnsignedByte(data.readerIndex() + 1) & 0x3f : 0;
    };
    return frame * frames;
  }

  private boolean hasPendingSamples() {
    for (Track track : tracks) {
      if (track.count() > 0) {
        return true;
      }
    }
    return false;
  }

  private void writeInitIfReady(ByteBuf out) {
    for (Track track : tracks) {
      if (!track.configured()) {
        return;
      }
    }
    InitSegment.write(out, tracks);
    initWritten = true;
  }

  /**
   * A fragment of every track's gathered samples: moof{mfhd, traf{tfhd, tfdt, trun}...} then one mdat, each trun's
   * data offset counted from the moof (default-base-is-moof). {@code nextVideoTime} is the time of the video sample
   * that starts the next fragment (the last video sample's duration), -1 when not known.
   */
  private void fragment(ByteBuf out, long nextVideoTime) {
    long moofOffset = written + out.writerIndex() - callStart;
    int moof = Boxes.start(out, Boxes.MOOF);
    int mfhd = Boxes.startFull(out, Boxes.MFHD, 0, 0);
    out.writeInt(++sequenceNumber);
    Boxes.end(out, mfhd);
    List<Track> inFragment = new ArrayList<>(2);
    int[] dataOffsetAt = new int[tracks.size()];
    for (Track track : tracks) {
      if (track.count() == 0) {
        continue;
      }
      int traf = Boxes.start(out, Boxes.TRAF);
      int tfhd = Boxes.startFull(out, Boxes.TFHD, 0, TFHD_DEFAULT_BASE_IS_MOOF);
      out.writeInt(track.id);
      Boxes.end(out, tfhd);
      int tfdt = Boxes.startFull(out, Boxes.TFDT, 1, 0);
      out.writeLong(track.firstTime());
      Boxes.end(out, tfdt);
      // version 1: signed composition offsets (ISO/IEC 14496-12 8.8.8.2)
      int trun = Boxes.startFull(out, Boxes.TRUN, 1, TRUN_FLAGS | (track.video ? TRUN_COMPOSITION_OFFSETS : 0));
      out.writeInt(track.count());
      dataOffsetAt[inFragment.size()] = out.writerIndex();
      out.writeInt(0);
      track.writeSamples(out, track.video ? nextVideoTime : -1);
      Boxes.end(out, trun);
      Boxes.end(out, traf);
      inFragment.add(track);
    }
    Boxes.end(out, moof);
    int moofSize = out.writerIndex() - moof;
    int mdatSize = 8;
    for (int i = 0; i < inFragment.size(); i++) {
      out.setInt(dataOffsetAt[i], moofSize + mdatSize);
      mdatSize += inFragment.get(i).data().readableBytes();
    }
    out.writeInt(mdatSize);
    out.writeInt(Boxes.MDAT);
    for (int i = 0; i < inFragment.size(); i++) {
      Track track = inFragment.get(i);
      out.writeBytes(track.data(), track.data().readerIndex(), track.data().readableBytes());
      if (track.firstIsSync()) {
        track.randomAccessPoints.add(new long[] {track.firstTime() + track.firstCompositionOffset(), moofOffset, i + 1});
      }
      track.clear();
    }
  }

  /**
   * The mfra (ISO/IEC 14496-12 8.8.9): per track a tfra (version 1, 1-byte traf, trun and sample numbers) with each
   * fragment's first sample, a sync sample, and its presentation time; then the mfro with the mfra's size, which
   * players read from the end of the file.
   */
  private void writeIndex(ByteBuf out) {
    int mfra = Boxes.start(out, Boxes.MFRA);
    for (Track track : tracks) {
      int tfra = Boxes.startFull(out, Boxes.TFRA, 1, 0);
      out.writeInt(track.id);
      out.writeInt(0); // length_size_of_traf_num, _trun_num, _sample_num: 0, one byte each
      out.writeInt(track.randomAccessPoints.size());
      for (long[] point : track.randomAccessPoints) {
        out.writeLong(point[0]);
        out.writeLong(point[1]);
        out.writeByte((int) point[2]);
        out.writeByte(1); // trun_number
        out.writeByte(1); // sample_number
      }
      Boxes.end(out, tfra);
    }
    int mfro = Boxes.startFull(out, Boxes.MFRO, 0, 0);
    int sizeAt = out.writerIndex();
    out.writeInt(0);
    Boxes.end(out, mfro);
    out.setInt(sizeAt, out.writerIndex() - mfra);
    Boxes.end(out, mfra);
  }
}
