package io.estuary.dvr;

import io.estuary.flv.FlvWriter;
import io.netty.buffer.ByteBuf;

/** An FLV file: the header, then each tag as the stream had it. FLV carries every codec RTMP does. */
final class FlvContainer implements Container {

  private boolean headerWritten;
  private final boolean hasAudio;
  private final boolean hasVideo;

  FlvContainer(boolean hasVideo, boolean hasAudio) {
    this.hasVideo = hasVideo;
    this.hasAudio = hasAudio;
  }

  @Override
  public void write(int type, long dts, ByteBuf body, ByteBuf out) {
    if (!headerWritten) {
      ByteBuf header = FlvWriter.header(out.alloc(), hasAudio, hasVideo);
      try {
        out.writeBytes(header);
      } finally {
        header.release();
      }
      headerWritten = true;
    }
    int size = body.readableBytes();
    FlvWriter.writeTagHeader(out, type, dts, size);
    out.writeBytes(body, body.readerIndex(), size);
    FlvWriter.writePreviousTagSize(out, size);
  }

  @Override
  public void finish(ByteBuf out) {
    // FLV needs no index: a player reads the tags to the end.
  }

  @Override
  public String unsupportedCodec(int type, ByteBuf body) {
    return null;
  }

  @Override
  public boolean takesScripts() {
    return true;
  }
}
