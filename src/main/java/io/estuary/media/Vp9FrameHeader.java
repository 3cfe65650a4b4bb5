package io.estuary.media;

import io.netty.buffer.ByteBuf;

/**
 * The frame size in a VP9 keyframe's uncompressed header (VP9 bitstream spec 6.2: frame_marker, profile,
 * show_existing_frame, frame_type, show_frame, error_resilient_mode, frame_sync_code, color_config, frame_size). The
 * VPCodecConfigurationRecord carries no size, so a server learns it from the first keyframe.
 *
 * @param profile the profile (0 to 3)
 * @param width   frame_width_minus_1 + 1
 * @param height  frame_height_minus_1 + 1
 */
public record Vp9FrameHeader(int profile, int width, int height) {

  private static final int FRAME_MARKER = 2;
  private static final int SYNC_CODE = 0x498342;
  private static final int CS_RGB = 7;
  /** The header up to frame_size() fits in 10 bytes. */
  private static final int MAX_HEADER = 16;

  /**
   * Parses the keyframe at the start of {@code frame} (the first frame of a superframe starts the data).
   *
   * @throws MediaFormatException when it is not a VP9 keyframe
   */
  public static Vp9FrameHeader parse(ByteBuf frame) {
    byte[] bytes = new byte[Math.min(frame.readableBytes(), MAX_HEADER)];
    frame.getBytes(frame.readerIndex(), bytes);
    BitReader r = new BitReader(bytes, "VP9 frame header");
    int marker = r.readInt(2);
    if (marker != FRAME_MARKER) {
      throw new MediaFormatException("VP9 frame header: frame_marker " + marker);
    }
    int profile = r.readInt(1) | r.readInt(1) << 1; // profile_low_bit, profile_high_bit
    if (profile == 3) {
      r.skipBits(1); // reserved_zero
    }
    if (r.readFlag()) {
      throw new MediaFormatException("VP9 frame header: show_existing_frame, not a keyframe");
    }
    if (r.readFlag()) { // frame_type: 0 KEY_FRAME
      throw new MediaFormatException("VP9 frame header: not a keyframe");
    }
    r.skipBits(2); // show_frame, error_resilient_mode
    int sync = r.readInt(24);
    if (sync != SYNC_CODE) {
      throw new MediaFormatException("VP9 frame header: frame_sync_code " + Integer.toHexString(sync));
    }
    // color_config()
    if (profile >= 2) {
      r.skipBits(1); // ten_or_twelve_bit
    }
    int colorSpace = r.readInt(3);
    if (colorSpace != CS_RGB) {
      r.skipBits(1); // color_range
      if (profile == 1 || profile == 3) {
        r.skipBits(3); // subsampling_x, subsampling_y, reserved_zero
      }
    } else if (profile == 1 || profile == 3) {
      r.skipBits(1); // reserved_zero
    }
    // frame_size()
    int width = r.readInt(16) + 1;
    int height = r.readInt(16) + 1;
    return new Vp9FrameHeader(profile, width, height);
  }
}
