package io.estuary.dvr;

import io.estuary.flv.FlvWriter;
import io.estuary.flv.ScriptData;
import io.estuary.media.FlvTags;
import io.netty.buffer.ByteBuf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An FLV file: the header, then each tag as the stream had it. FLV carries every codec RTMP does. The publisher's
 * onMetaData goes in without its {@code duration} and {@code filesize}, which describe the publisher's output, not this
 * file (ffmpeg says 10 for a 10 s publish in every segment): players then take the duration from the last tag.
 */
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
    if (type == FlvTags.TAG_SCRIPT) {
      ByteBuf metadata = withoutDuration(body, out);
      if (metadata != null) {
        try {
          tag(type, dts, metadata, out);
        } finally {
          metadata.release();
        }
        return;
      }
    }
    tag(type, dts, body, out);
  }

  /** onMetaData without duration and filesize, or null to write {@code body} as it is. */
  private static ByteBuf withoutDuration(ByteBuf body, ByteBuf out) {
    try {
      ScriptData script = ScriptData.decode(body.duplicate());
      if (!script.isMetaData()) {
        return null;
      }
      Map<String, Object> metadata = new LinkedHashMap<>(script.metadata());
      if (metadata.remove("duration") == null & metadata.remove("filesize") == null) {
        return null;
      }
      return FlvWriter.onMetaData(out.alloc(), metadata);
    } catch (RuntimeException e) {
      return null; // script data we cannot read goes in as it came
    }
  }

  private static void tag(int type, long dts, ByteBuf body, ByteBuf out) {
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
