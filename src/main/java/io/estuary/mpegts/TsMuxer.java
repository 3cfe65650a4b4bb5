package io.estuary.mpegts;

import io.estuary.media.AacConfig;
import io.estuary.media.AudioTagHeader;
import io.estuary.media.AvcConfig;
import io.estuary.media.FlvTags;
import io.estuary.media.FourCc;
import io.estuary.media.HevcConfig;
import io.estuary.media.MediaFormatException;
import io.estuary.media.VideoTagHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * An MPEG-2 transport stream muxer (ISO/IEC 13818-1) for one program, fed FLV tag bodies: H.264 or HEVC video
 * (legacy FLV codec ids 7 and 12, or Enhanced RTMP avc1 and hvc1), AAC or MP3 audio (legacy or Enhanced RTMP). Each
 * call appends whole 188-byte packets to the caller's buffer, copying each payload byte once;
 * the bodies passed in are read, never retained or released. PIDs are SRS's (srs_kernel_ts): PMT 0x1001,
 * video 0x100, AAC 0x101, MP3 0x102.
 *
 * <p>Not thread-safe: one muxer belongs to one consumer on one event loop.
 */
public final class TsMuxer {

  public static final int PAT_PID = 0x0000;
  public static final int PMT_PID = 0x1001;
  public static final int VIDEO_PID = 0x100;
  public static final int AAC_PID = 0x101;
  public static final int MP3_PID = 0x102;
  public static final int PROGRAM_NUMBER = 1;

  /** stream_type (2.4.4.9, Table 2-34). */
  static final int STREAM_TYPE_H264 = 0x1b;
  static final int STREAM_TYPE_HEVC = 0x24;
  static final int STREAM_TYPE_AAC = 0x0f; // ISO/IEC 13818-7 audio with ADTS
  static final int STREAM_TYPE_MP3 = 0x03; // ISO/IEC 11172-3 audio

  static final int STREAM_ID_VIDEO = 0xe0;
  static final int STREAM_ID_AUDIO = 0xc0;

  private static final int AVC_NAL_IDR = 5;
  private static final int AVC_NAL_AUD = 9;
  private static final int HEVC_NAL_IRAP_FIRST = 16; // BLA, IDR and CRA pictures: 16..23 (H.265 Table 7-1)
  private static final int HEVC_NAL_IRAP_LAST = 23;
  private static final int HEVC_NAL_AUD = 35;
  private static final int MS_TO_90KHZ = 90;
  /** An access unit delimiter with primary_pic_type 7 (any slice type), with its start code (H.264 7.3.2.4). */
  private static final ByteBuf AVC_AUD = constant(0, 0, 0, 1, AVC_NAL_AUD, 0xf0);
  /** An HEVC access unit delimiter, nuh_temporal_id_plus1 1, pic_type 2 (I, P or B) (H.265 7.3.2.5). */
  private static final ByteBuf HEVC_AUD = constant(0, 0, 0, 1, HEVC_NAL_AUD << 1, 0x01, 0x50);
  private static final ByteBuf START_CODE = constant(0, 0, 0, 1);

  private final PesPayload payload = new PesPayload();
  /** The ADTS header of the frame being muxed: a 7-byte scratch buffer, heap and not reference counted. */
  private final ByteBuf adts = Unpooled.wrappedBuffer(new byte[AacConfig.ADTS_HEADER_LENGTH]);

  private boolean hasVideo = true;
  private boolean hasAudio = true;
  private AvcConfig avc;
  private HevcConfig hevc;
  /** The codec of the last video sequence header: FourCc.AVC1 or HVC1, FourCc.NONE before any. */
  private int videoCodec;
  private int naluLengthSize;
  /** Start code, (VPS,) SPS, start code, PPS ... of the last sequence header: what goes before each IDR. */
  private ByteBuf parameterSets;
  private AacConfig aac;
  private boolean mp3;

  private int patCounter;
  private int pmtCounter;
  private int videoCounter;
  private int aacCounter;
  private int mp3Counter;

  public TsMuxer() {
  }

  /** Which elementary streams the PMT declares and which carries the PCR: video when there is video. */
  public void tracks(boolean hasVideo, boolean hasAudio) {
    if (!hasVideo && !hasAudio) {
      throw new IllegalArgumentException("a program needs video or audio");
    }
    this.hasVideo = hasVideo;
    this.hasAudio = hasAudio;
  }

  /** Whether the sequence headers the declared tracks need have arrived (MP3 needs none, but one frame). */
  public boolean ready() {
    return (!hasVideo || videoCodec != FourCc.NONE) && (!hasAudio || aac != null || mp3);
  }

  /** The H.264 configuration from the last sequence header, or null (none yet, or HEVC). */
  public AvcConfig avcConfig() {
    return avc;
  }

  /** The HEVC configuration from the last sequence header, or null (none yet, or H.264). */
  public HevcConfig hevcConfig() {
    return hevc;
  }

  /** The AAC configuration from the last sequence header, or null. */
  public AacConfig aacConfig() {
    return aac;
  }

  /** Writes a PAT and a PMT; call at the start of every segment. The PMT lists the tracks set by {@link #tracks}. */
  public void writePsi(ByteBuf out) {
    out.ensureWritable(2 * TsPackets.PACKET_SIZE);
    writePat(out);
    writePmt(out);
  }

  /** {@link #writeVideo} or {@link #writeAudio}, by the tag type. */
  public void write(boolean video, ByteBuf flvBody, long dtsMs, ByteBuf out) {
    if (video) {
      writeVideo(flvBody, dtsMs, out);
    } else {
      writeAudio(flvBody, dtsMs, out);
    }
  }

  /**
   * The codec of an FLV audio or video tag body when this muxer cannot carry it in TS, named for a log line or the
   * API ("av01", "vp09", "Opus", "codec id 4", "multitrack"); null when it can (AVC, HEVC, AAC, MP3, legacy or Enhanced
   * RTMP), when the body holds no media (a video command) and when the body is malformed (which {@link #write} then
   * reports). Reads a few header bytes: cheap enough per frame.
   */
  public static String unsupportedCodec(boolean video, ByteBuf flvBody) {
    int codec;
    boolean multitrack;
    try {
      if (video) {
        VideoTagHeader header = VideoTagHeader.parse(flvBody);
        if (header.packetType() == VideoTagHeader.PACKET_COMMAND) {
          return null;
        }
        codec = header.codec();
        multitrack = header.multitrackType() >= 0;
      } else {
        AudioTagHeader header = AudioTagHeader.parse(flvBody);
        codec = header.codec();
        multitrack = header.multitrackType() >= 0;
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (multitrack) {
      return "multitrack";
    }
    if (codec == FourCc.NONE) {
      return legacyName(video, flvBody);
    }
    return carries(video, codec) ? null : codecName(codec);
  }

  /** A legacy codec id or sound format this muxer has no FourCC for, named for a log line. */
  private static String legacyName(boolean video, ByteBuf flvBody) {
    return "codec id " + (video ? FlvTags.videoCodecId(flvBody) : FlvTags.audioFormat(flvBody));
  }

  private static boolean carries(boolean video, int codec) {
    return video ? codec == FourCc.AVC1 || codec == FourCc.HVC1 : codec == FourCc.MP4A || codec == FourCc.MP3;
  }

  /**
   * Muxes one FLV video tag body with its DTS in ms into one PES: AVC or HEVC, as a legacy tag (codec id 7 or 12,
   * AVCPacketType, 24-bit composition time, length-prefixed NAL units) or an Enhanced RTMP one (FourCC avc1 or hvc1;
   * SequenceStart, CodedFrames with a composition time, CodedFramesX without; ModEx prefixes skipped). A sequence
   * header updates the parameter sets and emits nothing, as do an end of sequence, metadata, a command, and a frame
   * before any sequence header (it could not be decoded).
   *
   * @throws MediaFormatException for another codec or a malformed body; nothing is written then
   */
  public void writeVideo(ByteBuf flvVideoBody, long dtsMs, ByteBuf out) {
    ByteBuf body = flvVideoBody;
    VideoTagHeader header = VideoTagHeader.parse(body);
    if (!header.isSequenceHeader() && !header.isCodedFrames()) {
      return; // an end of sequence, metadata, a command: nothing to mux
    }
    int codec = header.codec();
    if (header.multitrackType() >= 0 || codec != FourCc.AVC1 && codec != FourCc.HVC1) {
      throw new MediaFormatException("unsupported video: " + (header.multitrackType() >= 0 ? "multitrack"
          : codec == FourCc.NONE ? legacyName(true, body) : codecName(codec)));
    }
    int data = body.readerIndex() + header.dataOffset();
    int end = data + header.dataLength();
    if (header.isSequenceHeader()) {
      ByteBuf record = body.slice(data, end - data);
      if (codec == FourCc.AVC1) {
        AvcConfig config = AvcConfig.parse(record);
        setVideoConfig(codec, config.naluLengthSize(), List.of(), config.sps(), config.pps());
        avc = config;
      } else {
        HevcConfig config = HevcConfig.parse(record);
        setVideoConfig(codec, config.naluLengthSize(), config.vps(), config.sps(), config.pps());
        hevc = config;
      }
      return;
    }
    if (videoCodec != codec) {
      return; // no sequence header for this codec yet
    }
    boolean keyframe = header.isKeyframe();
    if (!collectAccessUnit(body, data, end, keyframe)) {
      return;
    }
    long dts = dtsMs * MS_TO_90KHZ;
    long pts = (dtsMs + header.compositionTime()) * MS_TO_90KHZ;
    writePes(out, VIDEO_PID, STREAM_ID_VIDEO, pts, dts, hasVideo, keyframe, false);
  }

  /**
   * Muxes one FLV audio tag body with its DTS in ms into one PES, an AAC frame behind an ADTS header: AAC (sound
   * byte, AACPacketType, raw frame) or MP3 (sound byte, frame), legacy or Enhanced RTMP (FourCC mp4a or .mp3;
   * SequenceStart, CodedFrames). An AAC sequence header updates the ADTS configuration and emits nothing, as does a
   * raw AAC frame before any sequence header.
   *
   * @throws MediaFormatException for another sound format or a malformed body; nothing is written then
   */
  public void writeAudio(ByteBuf flvAudioBody, long dtsMs, ByteBuf out) {
    ByteBuf body = flvAudioBody;
    AudioTagHeader header = AudioTagHeader.parse(body);
    if (!header.isSequenceHeader() && !header.isCodedFrames()) {
      return; // an end of sequence, a multichannel configuration: nothing to mux
    }
    int codec = header.codec();
    int frame = body.readerIndex() + header.dataOffset();
    int end = frame + header.dataLength();
    int pid;
    if (header.multitrackType() >= 0 || codec != FourCc.MP4A && codec != FourCc.MP3) {
      throw new MediaFormatException(header.multitrackType() >= 0 ? "unsupported audio: multitrack"
          : codec == FourCc.NONE ? "unsupported sound format " + FlvTags.audioFormat(body)
          : "unsupported audio: " + codecName(codec));
    }
    if (codec == FourCc.MP4A) {
      if (header.isSequenceHeader()) {
        aac = AacConfig.parse(body.slice(frame, end - frame));
        mp3 = false;
        return;
      }
      if (aac == null || frame == end) {
        return;
      }
      adts.clear();
      aac.adtsHeader(end - frame, adts);
      payload.clear();
      payload.add(adts, 0, AacConfig.ADTS_HEADER_LENGTH);
      payload.add(body, frame, end - frame);
      pid = AAC_PID;
    } else {
      mp3 = true;
      if (!header.isCodedFrames() || frame >= end) {
        return;
      }
      payload.clear();
      payload.add(body, frame, end - frame);
      pid = MP3_PID;
    }
    long ts = dtsMs * MS_TO_90KHZ;
    // Every audio frame is a random access point; it carries the PCR when there is no video.
    writePes(out, pid, STREAM_ID_AUDIO, ts, ts, !hasVideo, !hasVideo, true);
  }

  @SafeVarargs
  private void setVideoConfig(int codec, int lengthSize, List<byte[]>... sets) {
    int length = 0;
    for (List<byte[]> list : sets) {
      for (byte[] nal : list) {
        length += START_CODE.readableBytes() + nal.length;
      }
    }
    ByteBuf bytes = Unpooled.wrappedBuffer(new byte[length]).clear(); // heap, not reference counted
    for (List<byte[]> list : sets) {
      for (byte[] nal : list) {
        bytes.writeBytes(START_CODE, 0, START_CODE.readableBytes()).writeBytes(nal);
      }
    }
    avc = null;
    hevc = null;
    videoCodec = codec;
    naluLengthSize = lengthSize;
    parameterSets = bytes;
  }

  /** The codec's name in log lines: "AVC", "HEVC", "AAC", "MP3", else its FourCC (or its hex when not text). */
  private static String codecName(int codec) {
    if (codec == FourCc.AVC1) {
      return "AVC";
    }
    if (codec == FourCc.HVC1) {
      return "HEVC";
    }
    if (codec == FourCc.MP4A) {
      return "AAC";
    }
    if (codec == FourCc.MP3) {
      return "MP3";
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
      int c = codec >>> shift & 0xff;
      if (c < 0x20 || c > 0x7e) {
        return String.format("FourCC 0x%08x", codec); // not text: say so, do not log control characters
      }
    }
    return FourCc.toString(codec);
  }

  /**
   * Fills {@link #payload} with the access unit in Annex B form (H.264 B.1, H.265 B.2): an AUD, the parameter
   * sets when it holds an IDR/IRAP picture (or is flagged a keyframe), then each NAL unit behind a start code;
   * AUDs of the stream are dropped. Validates every length before anything is written. Returns false when there is no NAL unit.
   */
  private boolean collectAccessUnit(ByteBuf body, int i, int end, boolean keyframe) {
    int lengthSize = naluLengthSize;
    boolean isHevc = videoCodec == FourCc.HVC1;
    ByteBuf aud = isHevc ? HEVC_AUD : AVC_AUD;
    payload.clear();
    payload.add(aud, 0, aud.readableBytes());
    int parameterSetsPiece = payload.add(parameterSets, 0, 0);
    boolean idr = keyframe;
    int nalus = 0;
    while (i < end) {
      if (end - i < lengthSize) {
        payload.clear();
        throw new MediaFormatException(codecName(videoCodec) + " NAL unit length truncated: " + (end - i) + " of " + lengthSize
            + " bytes");
      }
      long length = readLength(body, i, lengthSize);
      i += lengthSize;
      if (length > end - i) {
        payload.clear();
        throw new MediaFormatException(codecName(videoCodec) + " NAL unit of " + length + " bytes, " + (end - i) + " left in the tag");
      }
      int n = (int) length;
      if (n > 0) {
        int header = body.getUnsignedByte(i);
        int type = isHevc ? header >> 1 & 0x3f : header & 0x1f;
        if (type != (isHevc ? HEVC_NAL_AUD : AVC_NAL_AUD)) {
          idr |= isHevc ? type >= HEVC_NAL_IRAP_FIRST && type <= HEVC_NAL_IRAP_LAST : type == AVC_NAL_IDR;
          payload.add(START_CODE, 0, START_CODE.readableBytes());
          payload.add(body, i, n);
          nalus++;
        }
      }
      i += n;
    }
    if (idr) {
      payload.setLength(parameterSetsPiece, parameterSets.readableBytes());
    }
    return nalus > 0;
  }

  private static long readLength(ByteBuf body, int i, int size) {
    return switch (size) {
      case 1 -> body.getUnsignedByte(i);
      case 2 -> body.getUnsignedShort(i);
      case 3 -> body.getUnsignedMedium(i);
      default -> body.getUnsignedInt(i);
    };
  }

  /**
   * Writes {@link #payload} as one PES packet cut into transport packets (2.4.3.6, 2.4.3.2). The first packet
   * has payload_unit_start_indicator set and the PCR and random_access_indicator when asked; the last is padded
   * with adaptation field stuffing. The PCR equals the DTS, as SRS writes it.
   */
  private void writePes(ByteBuf out, int pid, int streamId, long pts, long dts, boolean pcr, boolean randomAccess,
      boolean bounded) {
    pts &= TsPackets.TIMESTAMP_MASK;
    dts &= TsPackets.TIMESTAMP_MASK;
    int headerLength = TsPackets.pesHeaderLength(pts != dts);
    int total = headerLength + payload.length();
    int packetLength = bounded && total - 6 <= 0xffff ? total - 6 : 0; // bytes after PES_packet_length
    out.ensureWritable((total / TsPackets.PACKET_PAYLOAD + 2) * TsPackets.PACKET_SIZE);
    boolean first = true;
    int written = 0;
    while (written < total) {
      int adaptationLength = -1; // adaptation_field_length, or -1 for no adaptation field
      if (first && (pcr || randomAccess)) {
        adaptationLength = 1 + (pcr ? TsPackets.PCR_LENGTH : 0);
      }
      int space = TsPackets.PACKET_PAYLOAD - (adaptationLength < 0 ? 0 : 1 + adaptationLength);
      int remaining = total - written;
      if (remaining < space) {
        int stuffing = space - remaining;
        adaptationLength = adaptationLength < 0 ? stuffing - 1 : adaptationLength + stuffing;
        space = remaining;
      }
      TsPackets.writeHeader(out, pid, first, adaptationLength >= 0, nextCounter(pid));
      if (adaptationLength >= 0) {
        TsPackets.writeAdaptation(out, adaptationLength, first && pcr ? dts : -1, first && randomAccess);
      }
      int n = space;
      if (first) {
        TsPackets.writePesHeader(out, streamId, pts, dts, packetLength);
        n -= headerLength;
      }
      payload.copyTo(out, n);
      written += space;
      first = false;
    }
    payload.clear();
  }

  /** program_association_section (2.4.4.3) naming the one program's PMT. */
  private void writePat(ByteBuf out) {
    int start = beginSection(out, PAT_PID, patCounter);
    patCounter = patCounter + 1 & 0x0f;
    out.writeByte(0x00); // table_id
    out.writeShort(0xb000 | 13); // section_syntax_indicator, '0', reserved, section_length
    out.writeShort(1); // transport_stream_id
    out.writeByte(0xc1); // reserved, version_number 0, current_next_indicator
    out.writeByte(0); // section_number
    out.writeByte(0); // last_section_number
    out.writeShort(PROGRAM_NUMBER);
    out.writeShort(0xe000 | PMT_PID);
    endSection(out, start);
  }

  /** TS_program_map_section (2.4.4.8): the declared tracks, PCR on video when there is video. */
  private void writePmt(ByteBuf out) {
    int start = beginSection(out, PMT_PID, pmtCounter);
    pmtCounter = pmtCounter + 1 & 0x0f;
    int streams = (hasVideo ? 1 : 0) + (hasAudio ? 1 : 0);
    int audioPid = mp3 ? MP3_PID : AAC_PID;
    out.writeByte(0x02); // table_id
    out.writeShort(0xb000 | 13 + 5 * streams); // from program_number to the CRC inclusive
    out.writeShort(PROGRAM_NUMBER);
    out.writeByte(0xc1); // reserved, version_number 0, current_next_indicator
    out.writeByte(0); // section_number
    out.writeByte(0); // last_section_number
    out.writeShort(0xe000 | (hasVideo ? VIDEO_PID : audioPid)); // PCR_PID
    out.writeShort(0xf000); // program_info_length 0
    if (hasVideo) {
      out.writeByte(videoCodec == FourCc.HVC1 ? STREAM_TYPE_HEVC : STREAM_TYPE_H264);
      out.writeShort(0xe000 | VIDEO_PID);
      out.writeShort(0xf000); // ES_info_length 0
    }
    if (hasAudio) {
      out.writeByte(mp3 ? STREAM_TYPE_MP3 : STREAM_TYPE_AAC);
      out.writeShort(0xe000 | audioPid);
      out.writeShort(0xf000);
    }
    endSection(out, start);
  }

  /** The packet header and pointer_field of a packet holding one whole section; returns where the section starts. */
  private static int beginSection(ByteBuf out, int pid, int counter) {
    TsPackets.writeHeader(out, pid, true, false, counter);
    out.writeByte(0); // pointer_field: the section starts right after it
    return out.writerIndex();
  }

  /** The section's CRC_32, then stuffing to the end of the packet. */
  private static void endSection(ByteBuf out, int sectionStart) {
    out.writeInt(Crc32.compute(out, sectionStart, out.writerIndex() - sectionStart));
    int packetStart = sectionStart - 5;
    TsPackets.writeStuffing(out, TsPackets.PACKET_SIZE - (out.writerIndex() - packetStart));
  }

  private int nextCounter(int pid) {
    int counter;
    switch (pid) {
      case VIDEO_PID -> {
        counter = videoCounter;
        videoCounter = counter + 1 & 0x0f;
      }
      case AAC_PID -> {
        counter = aacCounter;
        aacCounter = counter + 1 & 0x0f;
      }
      default -> {
        counter = mp3Counter;
        mp3Counter = counter + 1 & 0x0f;
      }
    }
    return counter;
  }

  private static ByteBuf constant(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b)).asReadOnly();
  }
}
