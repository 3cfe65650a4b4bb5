package io.estuary.testing;

import io.estuary.flv.FlvFile;
import io.estuary.flv.FlvReader;
import io.estuary.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;

import java.io.IOException;

/** Pieces of the test media ({@link Ffmpeg#media}), read with the production FLV reader. */
public final class TestMedia {

  private TestMedia() {
  }

  /** The body of the first {@code type} tag of {@code media} whose second byte is 0: its sequence header. */
  public static byte[] sequenceHeader(String media, int type) throws IOException {
    // Pooled: each tag is a separately counted slice the paranoid leak detector tracks.
    try (FlvFile file = FlvFile.open(Ffmpeg.media(media), PooledByteBufAllocator.DEFAULT, FlvReader.DEFAULT_MAX_TAG_SIZE)) {
      while (file.hasNext()) {
        FlvTag tag = file.next();
        try {
          ByteBuf body = tag.body();
          if (tag.type() == type && body.readableBytes() > 1 && body.getByte(body.readerIndex() + 1) == 0) {
            return ByteBufUtil.getBytes(body);
          }
        } finally {
          tag.release();
        }
      }
    }
    throw new IOException("no sequence header of tag type " + type + " in " + media);
  }
}
