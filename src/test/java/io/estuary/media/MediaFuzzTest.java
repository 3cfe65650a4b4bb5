package io.estuary.media;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.estuary.mpegts.TsMuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

/**
 * Fuzz targets for what the server reads inside audio and video messages: legacy and Enhanced RTMP tag headers
 * (ModEx, multitrack), and the codec configurations behind them (AVC and HEVC decoder configuration records and SPS,
 * AAC AudioSpecificConfig, AV1 sequence header, VP9 frame header, OpusHead, FLAC, MP3 and AC-3 headers). Only
 * {@link MediaFormatException} may escape a parser, and the classifiers run on every message ({@link FlvTags},
 * {@link TsMuxer#unsupportedCodec}) must not throw at all.
 */
@Timeout(10)
class MediaFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void videoTag(byte[] input) {
    ByteBuf body = Unpooled.wrappedBuffer(input);
    classify(FlvTags.TAG_VIDEO, body);
    try {
      for (VideoTagHeader track : VideoTagHeader.parseTracks(body)) {
        track.data(body);
      }
      if (FlvTags.isVideoSequenceHeader(body)) {
        VideoInfo info = VideoInfo.parse(body);
        if (info != null) {
          info.withKeyframe(body);
        }
      }
    } catch (MediaFormatException e) {
      // documented
    }
  }

  @FuzzTest(maxDuration = "2m")
  void audioTag(byte[] input) {
    ByteBuf body = Unpooled.wrappedBuffer(input);
    classify(FlvTags.TAG_AUDIO, body);
    try {
      for (AudioTagHeader track : AudioTagHeader.parseTracks(body)) {
        track.data(body);
      }
      AudioInfo.parse(body);
    } catch (MediaFormatException e) {
      // documented
    }
  }

  /** The first byte picks the parser, the rest is what it parses. */
  @FuzzTest(maxDuration = "2m")
  void codecConfig(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] data = Arrays.copyOfRange(input, 1, input.length);
    ByteBuf buf = Unpooled.wrappedBuffer(data);
    try {
      switch ((input[0] & 0xFF) % 7) {
        case 0 -> {
          AvcConfig avc = AvcConfig.parse(buf);
          avc.profileName();
          avc.levelName();
        }
        case 1 -> {
          HevcConfig hevc = HevcConfig.parse(buf);
          for (byte[] sps : hevc.sps()) {
            HevcSps.parse(sps).profileName();
          }
        }
        case 2 -> {
          AacConfig aac = AacConfig.parse(buf);
          ByteBuf adts = Unpooled.buffer(7);
          aac.adtsHeader(data.length, adts);
        }
        case 3 -> Av1SequenceHeader.find(buf);
        case 4 -> AvcSps.parse(data);
        case 5 -> HevcSps.parse(data);
        default -> Vp9FrameHeader.parse(buf);
      }
    } catch (MediaFormatException e) {
      // documented
    }
  }

  private static void classify(int tagType, ByteBuf body) {
    FlvTags.fourCc(tagType, body);
    if (tagType == FlvTags.TAG_VIDEO) {
      FlvTags.isKeyframe(body);
      FlvTags.isVideoSequenceHeader(body);
      FlvTags.compositionTime(body);
      FlvTags.videoCodecId(body);
      FlvTags.avcPacketType(body);
    } else {
      FlvTags.isAudioSequenceHeader(body);
      FlvTags.audioFormat(body);
    }
    TsMuxer.unsupportedCodec(tagType == FlvTags.TAG_VIDEO, body);
  }
}
