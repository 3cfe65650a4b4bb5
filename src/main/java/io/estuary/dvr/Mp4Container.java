package io.estuary.dvr;

import io.estuary.media.FlvTags;
import io.estuary.mp4.FragmentedMp4Writer;
import io.netty.buffer.ByteBuf;

/**
 * A fragmented MP4 file ({@link FragmentedMp4Writer}): playable up to its last complete fragment however the recording
 * ends (a crashed node leaves a file that plays), finished with an index when it closes normally.
 */
final class Mp4Container implements Container {

  private final FragmentedMp4Writer writer;

  Mp4Container(boolean hasVideo, boolean hasAudio) {
    this.writer = new FragmentedMp4Writer(hasVideo, hasAudio);
  }

  @Override
  public void write(int type, long dts, ByteBuf body, ByteBuf out) {
    if (type != FlvTags.TAG_SCRIPT) {
      writer.write(type, dts, body, out);
    }
  }

  @Override
  public void finish(ByteBuf out) {
    writer.finish(out);
  }

  @Override
  public String unsupportedCodec(int type, ByteBuf body) {
    return type == FlvTags.TAG_SCRIPT ? null : FragmentedMp4Writer.unsupportedCodec(type, body);
  }

  @Override
  public boolean takesScripts() {
    return false;
  }
}
