package io.estuary.bench;

import io.estuary.flv.FlvFormatException;
import io.estuary.flv.FlvReader;
import io.estuary.flv.FlvTag;
import io.estuary.flv.ScriptData;
import io.estuary.media.FlvTags;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An FLV file held in memory for publishers that loop it, as {@code ffmpeg -re -stream_loop -1 -c copy} does: the
 * file is read once into one buffer, and its audio and video tags are slices of it that every publisher shares.
 * Timestamps are relative to the first media tag; loop {@code k} adds {@code k * loopMillis}. Sequence headers
 * are sent in the first loop only (as ffmpeg sends its extradata once). Immutable once loaded; release it at the end.
 */
final class FlvLoop implements AutoCloseable {

  /** One media tag: the FLV tag, its timestamp relative to the first, and whether it is a sequence header. */
  record Tag(FlvTag tag, long timestamp, boolean sequenceHeader) {
    boolean isVideo() {
      return tag.isVideo();
    }

    ByteBuf body() {
      return tag.body();
    }
  }

  private final List<Tag> tags;
  private final Map<String, Object> metadata;
  private final long loopMillis;
  private final int nalLengthSize;
  private final int videoFrames;

  private FlvLoop(List<Tag> tags, Map<String, Object> metadata, long loopMillis, int nalLengthSize, int videoFrames) {
    this.tags = tags;
    this.metadata = metadata;
    this.loopMillis = loopMillis;
    this.nalLengthSize = nalLengthSize;
    this.videoFrames = videoFrames;
  }

  static FlvLoop load(Path file, ByteBufAllocator alloc) throws IOException {
    ByteBuf whole;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(file + " is too large to hold in memory: " + size + " bytes");
      }
      whole = alloc.directBuffer((int) size);
      try {
        while (whole.isWritable() && whole.writeBytes(channel, whole.writableBytes()) >= 0) {
          // read until full or end of file
        }
      } catch (IOException | RuntimeException e) {
        whole.release();
        throw e;
      }
    }
    List<FlvTag> read;
    try {
      read = new FlvReader().readAll(whole);
    } finally {
      whole.release(); // the tags hold their own references to it
    }
    try {
      return of(file, read);
    } catch (RuntimeException e) {
      read.forEach(FlvTag::release);
      throw e;
    }
  }

  private static FlvLoop of(Path file, List<FlvTag> read) {
    Map<String, Object> metadata = Map.of();
    List<FlvTag> media = new ArrayList<>();
    for (FlvTag tag : read) {
      if (tag.isScript()) {
        try {
          ScriptData data = ScriptData.decode(tag.body());
          if (data.isMetaData() && metadata.isEmpty()) {
            metadata = data.metadata();
          }
        } catch (FlvFormatException e) {
          // unreadable script data is not needed to publish
        }
        tag.release();
      } else {
        media.add(tag);
      }
    }
    if (media.isEmpty()) {
      throw new IllegalArgumentException(file + " holds no audio or video tag");
    }
    long first = media.get(0).timestamp();
    long last = first;
    long firstVideo = -1;
    long lastVideo = -1;
    int videoFrames = 0;
    int nalLengthSize = 4;
    List<Tag> tags = new ArrayList<>(media.size());
    for (FlvTag tag : media) {
      long ts = Math.max(0, tag.timestamp() - first);
      last = Math.max(last, tag.timestamp());
      boolean header = tag.isVideo() ? FlvTags.isVideoSequenceHeader(tag.body()) : FlvTags.isAudioSequenceHeader(tag.body());
      if (tag.isVideo() && header) {
        nalLengthSize = LatencyMarker.nalLengthSize(tag.body());
      } else if (tag.isVideo()) {
        videoFrames++;
        firstVideo = firstVideo < 0 ? ts : firstVideo;
        lastVideo = ts;
      }
      tags.add(new Tag(tag, ts, header));
    }
    // A loop lasts from the first tag to one frame interval after the last, so the next loop does not overlap it.
    long frameMillis = videoFrames > 1 ? Math.max(1, (lastVideo - firstVideo) / (videoFrames - 1)) : 40;
    long loopMillis = last - first + frameMillis;
    return new FlvLoop(Collections.unmodifiableList(tags), metadata, loopMillis, nalLengthSize, videoFrames);
  }

  List<Tag> tags() {
    return tags;
  }

  /** The file's onMetaData properties, or empty. */
  Map<String, Object> metadata() {
    return metadata;
  }

  /** How long one pass through the file lasts in milliseconds. */
  long loopMillis() {
    return loopMillis;
  }

  /** The NALU length size of the file's AVC/HEVC video (4 when unknown). */
  int nalLengthSize() {
    return nalLengthSize;
  }

  /** Video frames (not sequence headers) in one loop. */
  int videoFrames() {
    return videoFrames;
  }

  @Override
  public void close() {
    tags.forEach(t -> t.tag().release());
  }
}
