package io.estuary.flv;

import io.estuary.media.FlvTags;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental FLV demuxer (FLV spec v10.1, annex E): bytes arrive in pieces of any size in a buffer the caller
 * accumulates, and {@link #next} takes out one whole tag at a time, or nothing until more bytes come.
 *
 * <p>It checks the signature, the version (1) and every PreviousTagSize, skips the extra header bytes that
 * DataOffset announces, and rejects a tag whose declared DataSize is above the maximum as soon as its header is
 * read, before anything is buffered or allocated for it. Tags of types other than audio, video and script data,
 * and encrypted tags (the Filter bit, spec E.4.1), are skipped without being buffered. A tag's body is a retained
 * slice of the input: nothing is copied. Any violation throws {@link FlvFormatException} naming the stream
 * offset; after that the stream has no framing and the reader refuses further input.
 *
 * <p>Not thread-safe: one reader per stream, used from one thread (a channel's event loop for {@link FlvDecoder}).
 */
public final class FlvReader {

  /** Largest tag body accepted unless configured otherwise. */
  public static final int DEFAULT_MAX_TAG_SIZE = 16 * 1024 * 1024;

  private static final int HEADER_LENGTH = 9;
  private static final int FLAG_AUDIO = 0x04;
  private static final int FLAG_VIDEO = 0x01;
  private static final int FILTER_BIT = 0x20;
  private static final int TAG_TYPE_MASK = 0x1F;

  private enum State { HEADER, HEADER_EXTRA, PREVIOUS_TAG_SIZE_0, TAG_HEADER, TAG_BODY, SKIP_BODY, SKIPPED_TRAILER,
    FAILED }

  private final int maxTagSize;

  private State state = State.HEADER;
  private long offset; // stream offset of the input's reader index
  private FlvHeader header;
  private long toSkip;
  // The tag whose header has been read
  private int tagType;
  private long tagTimestamp;
  private int tagSize;
  private long tagOffset;

  public FlvReader() {
    this(DEFAULT_MAX_TAG_SIZE);
  }

  /** @param maxTagSize largest tag body (DataSize) accepted */
  public FlvReader(int maxTagSize) {
    if (maxTagSize < 0) {
      throw new IllegalArgumentException("maxTagSize must be >= 0");
    }
    this.maxTagSize = maxTagSize;
  }

  /** The FLV header once it has been read, else null. */
  public FlvHeader header() {
    return header;
  }

  /** Bytes of the stream consumed so far. */
  public long offset() {
    return offset;
  }

  /** True once the input has been found not to be FLV; the reader then refuses all input. */
  public boolean failed() {
    return state == State.FAILED;
  }

  /**
   * True between tags: every byte consumed so far belongs to whole units and nothing is awaited. A stream that
   * ends when this is false was truncated.
   */
  public boolean atBoundary() {
    return state == State.TAG_HEADER;
  }

  /**
   * The next whole tag in {@code in}, or null when {@code in} holds no further whole tag (what has been read of
   * the next one stays in {@code in}, or is skipped if it is of a type that is skipped). The caller owns the tag.
   *
   * @throws FlvFormatException when the input is not FLV
   */
  public FlvTag next(ByteBuf in) {
    while (true) {
      switch (state) {
        case HEADER -> {
          if (in.readableBytes() < HEADER_LENGTH) {
            return null;
          }
          readHeader(in);
        }
        case HEADER_EXTRA, SKIP_BODY -> {
          int n = (int) Math.min(toSkip, in.readableBytes());
          consume(in, n);
          toSkip -= n;
          if (toSkip > 0) {
            return null;
          }
          state = state == State.HEADER_EXTRA ? State.PREVIOUS_TAG_SIZE_0 : State.SKIPPED_TRAILER;
        }
        case PREVIOUS_TAG_SIZE_0 -> {
          if (in.readableBytes() < 4) {
            return null;
          }
          checkPreviousTagSize(in, 0, "PreviousTagSize0");
          state = State.TAG_HEADER;
        }
        case TAG_HEADER -> {
          if (in.readableBytes() < FlvWriter.TAG_HEADER_LENGTH) {
            return null;
          }
          readTagHeader(in);
        }
        case TAG_BODY -> {
          if (in.readableBytes() < tagSize + FlvWriter.PREVIOUS_TAG_SIZE_LENGTH) {
            return null;
          }
          int trailerIndex = in.readerIndex() + tagSize;
          expectPreviousTagSize(in.getUnsignedInt(trailerIndex), offset + tagSize);
          ByteBuf body = in.readRetainedSlice(tagSize);
          in.skipBytes(FlvWriter.PREVIOUS_TAG_SIZE_LENGTH);
          offset += tagSize + FlvWriter.PREVIOUS_TAG_SIZE_LENGTH;
          state = State.TAG_HEADER;
          return new FlvTag(tagType, tagTimestamp, body);
        }
        case SKIPPED_TRAILER -> {
          if (in.readableBytes() < 4) {
            return null;
          }
          checkPreviousTagSize(in, FlvWriter.TAG_HEADER_LENGTH + tagSize, "PreviousTagSize");
          state = State.TAG_HEADER;
        }
        case FAILED -> throw new FlvFormatException("FLV stream already failed; no framing after offset " + offset);
        default -> throw new IllegalStateException(state.name());
      }
    }
  }

  /** Every whole tag in {@code in}, in order; see {@link #next}. */
  public List<FlvTag> readAll(ByteBuf in) {
    List<FlvTag> tags = new ArrayList<>();
    try {
      for (FlvTag tag = next(in); tag != null; tag = next(in)) {
        tags.add(tag);
      }
      return tags;
    } catch (RuntimeException e) {
      tags.forEach(FlvTag::release);
      throw e;
    }
  }

  /** Every tag of an FLV file, read whole; see {@link FlvFile} for reading one tag at a time. */
  public static List<FlvTag> readFile(Path path) throws IOException {
    List<FlvTag> tags = new ArrayList<>();
    try (FlvFile file = FlvFile.open(path)) {
      while (file.hasNext()) {
        tags.add(file.next());
      }
      return tags;
    } catch (IOException | RuntimeException e) {
      tags.forEach(FlvTag::release);
      throw e;
    }
  }

  private void readHeader(ByteBuf in) {
    int i = in.readerIndex();
    if (in.getByte(i) != 'F' || in.getByte(i + 1) != 'L' || in.getByte(i + 2) != 'V') {
      throw fail(String.format("not FLV: signature %02x %02x %02x at offset %d, expected 46 4c 56 (\"FLV\")",
          in.getUnsignedByte(i), in.getUnsignedByte(i + 1), in.getUnsignedByte(i + 2), offset));
    }
    int version = in.getUnsignedByte(i + 3);
    if (version != 1) {
      throw fail("FLV version " + version + " at offset " + (offset + 3) + ", only version 1 is defined");
    }
    int flags = in.getUnsignedByte(i + 4);
    long dataOffset = in.getUnsignedInt(i + 5);
    if (dataOffset < HEADER_LENGTH) {
      throw fail("FLV header DataOffset " + dataOffset + " at offset " + (offset + 5) + " is shorter than the "
          + HEADER_LENGTH + "-byte header");
    }
    header = new FlvHeader(version, (flags & FLAG_AUDIO) != 0, (flags & FLAG_VIDEO) != 0);
    consume(in, HEADER_LENGTH);
    toSkip = dataOffset - HEADER_LENGTH;
    state = State.HEADER_EXTRA;
  }

  private void readTagHeader(ByteBuf in) {
    int i = in.readerIndex();
    int first = in.getUnsignedByte(i);
    int size = in.getUnsignedMedium(i + 1);
    if (size > maxTagSize) {
      throw fail("FLV tag at offset " + offset + " declares " + size + " bytes, above the maximum " + maxTagSize);
    }
    // Spec E.4.1: the timestamp's low 24 bits, then TimestampExtended as bits 24-31.
    long timestamp = in.getUnsignedMedium(i + 4) | (long) in.getUnsignedByte(i + 7) << 24;
    tagType = first & TAG_TYPE_MASK;
    tagTimestamp = timestamp;
    tagSize = size;
    tagOffset = offset;
    consume(in, FlvWriter.TAG_HEADER_LENGTH); // StreamID (3 bytes) is always 0 and ignored
    boolean known = tagType == FlvTags.TAG_AUDIO || tagType == FlvTags.TAG_VIDEO || tagType == FlvTags.TAG_SCRIPT;
    if (known && (first & FILTER_BIT) == 0) {
      state = State.TAG_BODY;
    } else {
      toSkip = size;
      state = State.SKIP_BODY;
    }
  }

  private void checkPreviousTagSize(ByteBuf in, long expected, String what) {
    long actual = in.getUnsignedInt(in.readerIndex());
    if (actual != expected) {
      throw fail(what + " " + actual + " at offset " + offset + " does not match the " + expected
          + " expected" + (expected == 0 ? "" : " for the tag at offset " + tagOffset));
    }
    consume(in, 4);
  }

  private void expectPreviousTagSize(long actual, long at) {
    long expected = FlvWriter.TAG_HEADER_LENGTH + (long) tagSize;
    if (actual != expected) {
      throw fail("PreviousTagSize " + actual + " at offset " + at + " does not match the " + expected
          + " expected for the tag at offset " + tagOffset);
    }
  }

  private void consume(ByteBuf in, int n) {
    in.skipBytes(n);
    offset += n;
  }

  private FlvFormatException fail(String message) {
    state = State.FAILED;
    return new FlvFormatException(message);
  }
}
