package io.estuary.dvr;

import io.netty.buffer.ByteBuf;

/**
 * How a recording's file is laid out, chosen by the extension of {@code dvr_path}: FLV, or fragmented MP4. Bytes are
 * appended to {@code out}, which the recorder hands to the disk; a container never does I/O itself.
 *
 * <p>State accessed exclusively from the recording publisher's event loop.
 */
interface Container {

  /** An FLV tag body ({@code type} 8 audio, 9 video, 18 script data) stamped {@code dts} in the file's time. */
  void write(int type, long dts, ByteBuf body, ByteBuf out);

  /** The file ends: what the container writes last (an MP4's index). */
  void finish(ByteBuf out);

  /** The codec of a track this container cannot carry (that track is left out), or null. */
  String unsupportedCodec(int type, ByteBuf body);

  /** Whether script data (onMetaData) goes in the file. */
  boolean takesScripts();
}
