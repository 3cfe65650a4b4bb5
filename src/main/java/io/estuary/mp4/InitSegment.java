package io.estuary.mp4;

import io.estuary.media.FourCc;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The init segment of a fragmented MP4 (ISO/IEC 14496-12): ftyp, then a moov whose tracks have a sample entry and no
 * samples (empty stts, stsc, stsz, stco), and an mvex with a trex per track announcing that fragments follow.
 */
final class InitSegment {

  private static final int ISOM = FourCc.of("isom");
  private static final int LANGUAGE_UND = ('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60);
  private static final int TKHD_ENABLED_IN_MOVIE = 0x000003;
  private static final int URL_SELF_CONTAINED = 0x000001;
  private static final int VMHD_FLAGS = 0x000001;
  private static final int MP4A = FourCc.MP4A;
  private static final int AAC_OBJECT_TYPE = 0x40; // ISO/IEC 14496-1 Table 5: Audio ISO/IEC 14496-3
  private static final int AUDIO_STREAM_TYPE = 0x05 << 2 | 1; // streamType AudioStream, upStream 0, reserved 1
  private static final int ES_DESCRIPTOR = 0x03;
  private static final int DECODER_CONFIG_DESCRIPTOR = 0x04;
  private static final int DECODER_SPECIFIC_INFO = 0x05;
  private static final int SL_CONFIG_DESCRIPTOR = 0x06;
  private static final int SL_PREDEFINED_MP4 = 0x02;

  private InitSegment() {
  }

  static void write(ByteBuf out, List<Track> tracks) {
    int ftyp = Boxes.start(out, Boxes.FTYP);
    out.writeInt(ISOM);
    out.writeInt(0x200); // minor_version
    out.writeInt(ISOM);
    out.writeInt(FourCc.of("iso6")); // tfdt, trun version 1
    out.writeInt(FourCc.of("mp41"));
    for (Track track : tracks) {
      if (track.codec == FourCc.AV01) {
        out.writeInt(FourCc.AV01); // AV1 ISOBMFF binding 2.1
      }
    }
    Boxes.end(out, ftyp);

    int moov = Boxes.start(out, Boxes.MOOV);
    int mvhd = Boxes.startFull(out, Boxes.MVHD, 0, 0);
    out.writeInt(0); // creation_time
    out.writeInt(0); // modification_time
    out.writeInt(1000); // timescale
    out.writeInt(0); // duration: the fragments say
    out.writeInt(0x00010000); // rate 1.0
    out.writeShort(0x0100); // volume 1.0
    out.writeZero(2 + 8);
    Boxes.matrix(out);
    out.writeZero(6 * 4); // pre_defined
    out.writeInt(tracks.size() + 1); // next_track_ID
    Boxes.end(out, mvhd);
    for (Track track : tracks) {
      trak(out, track);
    }
    int mvex = Boxes.start(out, Boxes.MVEX);
    for (Track track : tracks) {
      int trex = Boxes.startFull(out, Boxes.TREX, 0, 0);
      out.writeInt(track.id);
      out.writeInt(1); // default_sample_description_index
      out.writeInt(0); // default_sample_duration, size, flags: each trun says
      out.writeInt(0);
      out.writeInt(0);
      Boxes.end(out, trex);
    }
    Boxes.end(out, mvex);
    Boxes.end(out, moov);
  }

  private static void trak(ByteBuf out, Track track) {
    int trak = Boxes.start(out, Boxes.TRAK);
    int tkhd = Boxes.startFull(out, Boxes.TKHD, 0, TKHD_ENABLED_IN_MOVIE);
    out.writeInt(0); // creation_time
    out.writeInt(0); // modification_time
    out.writeInt(track.id);
    out.writeInt(0); // reserved
    out.writeInt(0); // duration
    out.writeZero(8);
    out.writeShort(0); // layer
    out.writeShort(0); // alternate_group
    out.writeShort(track.video ? 0 : 0x0100); // volume
    out.writeShort(0);
    Boxes.matrix(out);
    out.writeInt(track.video ? track.width << 16 : 0);
    out.writeInt(track.video ? track.height << 16 : 0);
    Boxes.end(out, tkhd);

    int mdia = Boxes.start(out, Boxes.MDIA);
    int mdhd = Boxes.startFull(out, Boxes.MDHD, 0, 0);
    out.writeInt(0);
    out.writeInt(0);
    out.writeInt(track.timescale);
    out.writeInt(0);
    out.writeShort(LANGUAGE_UND);
    out.writeShort(0);
    Boxes.end(out, mdhd);
    int hdlr = Boxes.startFull(out, Boxes.HDLR, 0, 0);
    out.writeInt(0); // pre_defined
    out.writeInt(track.handler());
    out.writeZero(12);
    out.writeCharSequence(track.video ? "VideoHandler" : "SoundHandler", StandardCharsets.US_ASCII);
    out.writeByte(0);
    Boxes.end(out, hdlr);

    int minf = Boxes.start(out, Boxes.MINF);
    if (track.video) {
      int vmhd = Boxes.startFull(out, Boxes.VMHD, 0, VMHD_FLAGS);
      out.writeZero(2 + 3 * 2); // graphicsmode, opcolor
      Boxes.end(out, vmhd);
    } else {
      int smhd = Boxes.startFull(out, Boxes.SMHD, 0, 0);
      out.writeZero(4); // balance, reserved
      Boxes.end(out, smhd);
    }
    int dinf = Boxes.start(out, Boxes.DINF);
    int dref = Boxes.startFull(out, Boxes.DREF, 0, 0);
    out.writeInt(1);
    int url = Boxes.startFull(out, Boxes.URL, 0, URL_SELF_CONTAINED);
    Boxes.end(out, url);
    Boxes.end(out, dref);
    Boxes.end(out, dinf);

    int stbl = Boxes.start(out, Boxes.STBL);
    int stsd = Boxes.startFull(out, Boxes.STSD, 0, 0);
    out.writeInt(1);
    if (track.video) {
      visualSampleEntry(out, track);
    } else {
      audioSampleEntry(out, track);
    }
    Boxes.end(out, stsd);
    for (int type : new int[] {Boxes.STTS, Boxes.STSC, Boxes.STCO}) {
      int empty = Boxes.startFull(out, type, 0, 0);
      out.writeInt(0); // entry_count
      Boxes.end(out, empty);
    }
    int stsz = Boxes.startFull(out, Boxes.STSZ, 0, 0);
    out.writeInt(0); // sample_size
    out.writeInt(0); // sample_count
    Boxes.end(out, stsz);
    Boxes.end(out, stbl);
    Boxes.end(out, minf);
    Boxes.end(out, mdia);
    Boxes.end(out, trak);
  }

  /** VisualSampleEntry (ISO/IEC 14496-12 12.1.3) of avc1, hvc1, av01 or vp09, and its configuration box as carried. */
  private static void visualSampleEntry(ByteBuf out, Track track) {
    int entry = Boxes.start(out, track.codec);
    out.writeZero(6);
    out.writeShort(1); // data_reference_index
    out.writeZero(2 + 2 + 3 * 4); // pre_defined, reserved, pre_defined
    out.writeShort(track.width);
    out.writeShort(track.height);
    out.writeInt(0x00480000); // 72 dpi
    out.writeInt(0x00480000);
    out.writeInt(0);
    out.writeShort(1); // frame_count
    out.writeZero(32); // compressorname
    out.writeShort(0x0018); // depth
    out.writeShort(-1); // pre_defined
    String configBox;
    if (track.codec == FourCc.AVC1) {
      configBox = "avcC"; // ISO/IEC 14496-15 5.4.2.1
    } else if (track.codec == FourCc.HVC1) {
      configBox = "hvcC"; // ISO/IEC 14496-15 8.4.1.1
    } else if (track.codec == FourCc.AV01) {
      configBox = "av1C"; // AV1 ISOBMFF binding 2.3
    } else {
      configBox = "vpcC"; // VP9 ISOBMFF binding: a FullBox whose version and flags the record starts with
    }
    Boxes.box(out, FourCc.of(configBox), track.config);
    Boxes.end(out, entry);
  }

  /** AudioSampleEntry (ISO/IEC 14496-12 12.2.3): mp4a + esds (AAC, MP3) or Opus + dOps. */
  private static void audioSampleEntry(ByteBuf out, Track track) {
    int entry = Boxes.start(out, track.codec == FourCc.OPUS ? FourCc.OPUS : MP4A);
    out.writeZero(6);
    out.writeShort(1); // data_reference_index
    out.writeZero(8);
    out.writeShort(track.channels == 0 ? 2 : track.channels);
    out.writeShort(16); // samplesize
    out.writeShort(0);
    out.writeShort(0);
    out.writeInt(track.sampleRate < 0x10000 ? track.sampleRate << 16 : 0);
    if (track.codec == FourCc.OPUS) {
      dOps(out, track.config);
    } else {
      esds(out, track);
    }
    Boxes.end(out, entry);
  }

  /**
   * The ES_Descriptor of an mp4a entry (ISO/IEC 14496-14 5.6, ISO/IEC 14496-1 7.2.6.5): a DecoderConfigDescriptor with
   * AAC's AudioSpecificConfig as DecoderSpecificInfo, or MP3's objectTypeIndication and no specific info.
   */
  private static void esds(ByteBuf out, Track track) {
    int esds = Boxes.startFull(out, Boxes.ESDS, 0, 0);
    int es = Boxes.startDescriptor(out, ES_DESCRIPTOR);
    out.writeShort(track.id); // ES_ID
    out.writeByte(0); // no stream dependence, URL or OCR stream
    int decoderConfig = Boxes.startDescriptor(out, DECODER_CONFIG_DESCRIPTOR);
    boolean aac = track.codec == FourCc.MP4A;
    out.writeByte(aac ? AAC_OBJECT_TYPE : track.mp3ObjectType);
    out.writeByte(AUDIO_STREAM_TYPE);
    out.writeMedium(0); // bufferSizeDB
    out.writeInt(0); // maxBitrate
    out.writeInt(0); // avgBitrate
    if (aac) {
      int specific = Boxes.startDescriptor(out, DECODER_SPECIFIC_INFO);
      out.writeBytes(track.config);
      Boxes.endDescriptor(out, specific);
    }
    Boxes.endDescriptor(out, decoderConfig);
    int sl = Boxes.startDescriptor(out, SL_CONFIG_DESCRIPTOR);
    out.writeByte(SL_PREDEFINED_MP4);
    Boxes.endDescriptor(out, sl);
    Boxes.endDescriptor(out, es);
    Boxes.end(out, esds);
  }

  /**
   * The OpusSpecificBox ("Encapsulation of Opus in ISO Base Media File Format" 4.3.2) from the OpusHead (RFC 7845
   * 5.1): the same fields, big-endian where the OpusHead is little-endian, version 0.
   */
  private static void dOps(ByteBuf out, byte[] head) {
    int dops = Boxes.start(out, Boxes.DOPS);
    out.writeByte(0); // Version
    out.writeByte(head[9]); // OutputChannelCount
    out.writeByte(head[11]); // PreSkip
    out.writeByte(head[10]);
    out.writeByte(head[15]); // InputSampleRate
    out.writeByte(head[14]);
    out.writeByte(head[13]);
    out.writeByte(head[12]);
    out.writeByte(head[17]); // OutputGain
    out.writeByte(head[16]);
    int family = head[18] & 0xff;
    out.writeByte(family); // ChannelMappingFamily
    if (family != 0) {
      out.writeBytes(head, 19, 2 + (head[9] & 0xff)); // StreamCount, CoupledCount, ChannelMapping
    }
    Boxes.end(out, dops);
  }
}
