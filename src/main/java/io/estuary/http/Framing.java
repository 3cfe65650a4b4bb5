package io.estuary.http;

import io.estuary.flv.FlvWriter;
import io.estuary.media.AacConfig;
import io.estuary.media.FlvTags;
import io.estuary.stream.OwnBytes;
import io.estuary.stream.StreamMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * How one HTTP live player frames the shared messages of a stream: what it writes first, and the few bytes of its
 * own around each shared payload. One instance per player (AAC keeps the stream's AudioSpecificConfig).
 */
interface Framing {

  String contentType();

  /** Bytes before any message (the FLV header), or null. */
  ByteBuf start(ByteBufAllocator alloc);

  /**
   * Adds this message, stamped {@code timestamp}, to {@code out}: the shared payload (never copied) and this
   * player's own bytes, written in {@code own}.
   */
  void append(CompositeByteBuf out, StreamMessage message, long timestamp, OwnBytes own);

  /** Completes a merged write before it is written: bytes this player held back for the next message, if any. */
  default void finish(CompositeByteBuf out, OwnBytes own) {
  }

  static Framing forExtension(String extension, boolean hasAudio, boolean hasVideo) {
    return switch (extension) {
      case "flv" -> new Flv(hasAudio, hasVideo, hasAudio, hasVideo);
      case "ts" -> new Ts();
      case "aac" -> new Aac();
      case "mp3" -> new Mp3();
      default -> null;
    };
  }

  /**
   * FLV: header, then each message as a tag (11-byte header, shared body, previous tag size). {@code hasAudio} and
   * {@code hasVideo} say which tracks are sent ({@code has_audio}, {@code has_video}); the header announces
   * {@code headerAudio} and {@code headerVideo}.
   *
   * <p>A tag's previous-tag-size is written together with the next tag's header, in one piece of this player's own
   * bytes (15 bytes), and the last tag's at the end of the merged write ({@link #finish}): two pieces per message
   * instead of three, so one entry less per player and message in the socket's outbound buffer. The bytes are the
   * same. State accessed from the player's event loop.
   */
  final class Flv implements Framing {
    private final boolean hasAudio;
    private final boolean hasVideo;
    private final boolean headerAudio;
    private final boolean headerVideo;
    /** The size of the last tag appended, whose previous-tag-size is not written yet; -1 when none is owed. */
    private int owedTagSize = -1;

    Flv(boolean hasAudio, boolean hasVideo, boolean headerAudio, boolean headerVideo) {
      this.hasAudio = hasAudio;
      this.hasVideo = hasVideo;
      this.headerAudio = headerAudio;
      this.headerVideo = headerVideo;
    }

    public String contentType() {
      return "video/x-flv";
    }

    /**
     * SRS's {@code guess_has_av}: the header announces only the tracks the stream has shown a sequence header of
     * ({@code audio}, {@code video}); both when it has shown none yet. Tags are still sent by {@code has_audio} and
     * {@code has_video}: a track that starts later reaches the player (FFmpeg adds the stream), it is only not
     * announced.
     */
    Flv guessed(boolean audio, boolean video) {
      return audio || video ? new Flv(hasAudio, hasVideo, hasAudio && audio, hasVideo && video) : this;
    }

    public ByteBuf start(ByteBufAllocator alloc) {
      return FlvWriter.header(alloc, headerAudio, headerVideo);
    }

    public void append(CompositeByteBuf out, StreamMessage message, long timestamp, OwnBytes own) {
      if ((message.isAudio() && !hasAudio) || (message.isVideo() && !hasVideo)) {
        return;
      }
      ByteBuf payload = message.payload();
      int size = payload.readableBytes();
      int owed = owedTagSize >= 0 ? FlvWriter.PREVIOUS_TAG_SIZE_LENGTH : 0;
      ByteBuf bytes = own.reserve(owed + FlvWriter.TAG_HEADER_LENGTH);
      int start = bytes.writerIndex();
      if (owedTagSize >= 0) {
        FlvWriter.writePreviousTagSize(bytes, owedTagSize);
      }
      FlvWriter.writeTagHeader(bytes, message.type(), timestamp, size);
      out.addComponent(true, own.slice(start))
          .addComponent(true, payload.retainedDuplicate());
      owedTagSize = size;
    }

    @Override
    public void finish(CompositeByteBuf out, OwnBytes own) {
      if (owedTagSize < 0) {
        return;
      }
      ByteBuf bytes = own.reserve(FlvWriter.PREVIOUS_TAG_SIZE_LENGTH);
      int start = bytes.writerIndex();
      FlvWriter.writePreviousTagSize(bytes, owedTagSize);
      out.addComponent(true, own.slice(start));
      owedTagSize = -1;
    }
  }

  /** MPEG-TS: the messages of the stream's derived TS stream are TS packets already, shared as they are. */
  final class Ts implements Framing {
    public String contentType() {
      return "video/mp2t";
    }

    public ByteBuf start(ByteBufAllocator alloc) {
      return null;
    }

    public void append(CompositeByteBuf out, StreamMessage message, long timestamp, OwnBytes own) {
      out.addComponent(true, message.payload().retainedDuplicate());
    }
  }

  /** AAC in ADTS: per frame a 7-byte ADTS header of this player's own, then the shared raw frame. */
  final class Aac implements Framing {
    private static final int ADTS_HEADER_LENGTH = 7;
    private AacConfig config;

    public String contentType() {
      return "audio/aac";
    }

    public ByteBuf start(ByteBufAllocator alloc) {
      return null;
    }

    public void append(CompositeByteBuf out, StreamMessage message, long timestamp, OwnBytes own) {
      ByteBuf body = message.payload();
      if (!message.isAudio() || FlvTags.audioFormat(body) != FlvTags.AUDIO_FORMAT_AAC) {
        return;
      }
      int frame = body.readableBytes() - FlvTags.AAC_HEADER_LENGTH;
      if (message.isSequenceHeader()) {
        config = AacConfig.parse(body.slice(body.readerIndex() + FlvTags.AAC_HEADER_LENGTH, frame));
        return;
      }
      if (config == null || frame <= 0) {
        return;
      }
      ByteBuf bytes = own.reserve(ADTS_HEADER_LENGTH);
      int start = bytes.writerIndex();
      try {
        config.adtsHeader(frame, bytes);
      } catch (IllegalArgumentException e) {
        bytes.writerIndex(start); // a frame ADTS cannot carry: skipped for this player
        return;
      }
      out.addComponent(true, own.slice(start));
      out.addComponent(true, body.retainedSlice(body.readerIndex() + FlvTags.AAC_HEADER_LENGTH, frame));
    }
  }

  /** MP3: the shared frames after their 1-byte FLV audio header. */
  final class Mp3 implements Framing {
    public String contentType() {
      return "audio/mpeg";
    }

    public ByteBuf start(ByteBufAllocator alloc) {
      return null;
    }

    public void append(CompositeByteBuf out, StreamMessage message, long timestamp, OwnBytes own) {
      ByteBuf body = message.payload();
      if (message.isAudio() && FlvTags.audioFormat(body) == FlvTags.AUDIO_FORMAT_MP3 && body.readableBytes() > 1) {
        out.addComponent(true, body.retainedSlice(body.readerIndex() + 1, body.readableBytes() - 1));
      }
    }
  }
}
